package okta

import (
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func FuzzDecode(f *testing.F) {
	sourcetest.FuzzSeeds(f, "testdata")
	f.Add([]byte(`{"eventType":"user.session.start","published":"2024-01-01 00:00:00.1","client":{"ipAddress":"::1%eth0"}}`))
	f.Add([]byte("[{\"eventType\":\"\xff\",\"published\":\"2024-01-01T00:00:00Z\",\"securityContext\":{\"asNumber\":99999999999999999999}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzDecode(t, New(), data)
	})
}
