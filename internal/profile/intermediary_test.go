package profile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKnownIntermediary(t *testing.T) {
	tests := []struct{ payee, want string }{
		{"Deel Inc.", "Deel"},
		{"DEEL PAYROLL SERVICES LLC", "Deel"},
		{"Remote Technology, Inc.", "Remote"},
		{"Remote", "Remote"},
		{"Oyster HR Inc", "Oyster"},
		{"G-P (Globalization Partners) LLC", "Globalization Partners"},
		{"Upwork Escrow Inc.", "Upwork"},
		// Look-alikes and people are not platforms.
		{"Remote Solutions LLC", ""},
		{"Oyster Bay Consulting", ""},
		{"Deelan Tech Ltd", ""},
		{"Kevin Tran", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, _ := KnownIntermediary(tt.payee)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("KnownIntermediary(%q) (-want +got):\n%s", tt.payee, diff)
		}
	}
	for _, im := range Intermediaries() {
		if im.Source == "" || len(im.Names) == 0 {
			t.Errorf("intermediary %q needs names and a source", im.Name)
		}
	}
}
