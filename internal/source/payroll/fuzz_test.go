package payroll

import (
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte("employee_id,effective_date,method,account_fingerprint,bank_country,payee_name\n\"E1\nx\",2024-01-01,BANK,f,\xff\xfe,\"\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzDecode(t, New(), data)
	})
}
