package oui

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name    string
		mac     string
		product string
		class   Class
		ok      bool
	}{
		{"raspberry_pi_foundation_colons", "b8:27:eb:4f:10:2a", "Raspberry Pi (PiKVM/TinyPilot/BliKVM host)", KVMBoard, true},
		{"raspberry_pi_trading_dashes", "DC-A6-32-01-02-03", "Raspberry Pi (PiKVM/TinyPilot/BliKVM host)", KVMBoard, true},
		{"tinypilot_ma_m_block", "04:c9:8b:1a:00:07", "TinyPilot", IPKVM, true},
		{"same_ma_l_other_ma_m_holder", "04:c9:8b:2a:00:07", "", "", false},
		{"raritan_cisco_dots", "000d.5d12.3456", "Raritan Dominion KVM", IPKVM, true},
		{"aten", "00:10:74:aa:bb:cc", "ATEN KVM over IP", IPKVM, true},
		{"sipeed_nanokvm", "48:da:35:6f:00:01", "Sipeed NanoKVM", IPKVM, true},
		{"gl_inet", "94:83:c4:12:34:56", "GL.iNet (Comet KVM or router)", KVMBoard, true},
		{"apple_is_not", "a4:83:e7:12:34:56", "", "", false},
		{"locally_administered", "ba:27:eb:4f:10:2a", "", "", false},
		{"incomplete_arp_entry", "00:00:00:00:00:00", "", "", false},
		{"broadcast", "ff:ff:ff:ff:ff:ff", "", "", false},
		{"too_short", "b8:27:eb:4f:10", "", "", false},
		{"not_hex", "b8:27:eb:4f:10:zz", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := Lookup(tc.mac)
			if ok != tc.ok || e.Product != tc.product || e.Class != tc.class {
				t.Errorf("Lookup(%q) = %+v, %v; want %q %q %v", tc.mac, e, ok, tc.product, tc.class, tc.ok)
			}
		})
	}
}

func TestEmbeddedTable(t *testing.T) {
	if n := Entries(); n < 15 {
		t.Errorf("embedded table has %d blocks: regenerate it with make oui", n)
	}
	for _, e := range entries() {
		if e.Product == "" || e.Organisation == "" || e.Confidence == "" {
			t.Errorf("incomplete entry %+v", e)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"fields", "B827EB\tkvm_board\tPi\n"},
		{"prefix", "B827E\tkvm_board\tPi\tlow\tRaspberry Pi Foundation\n"},
		{"class", "B827EB\tsomething\tPi\tlow\tRaspberry Pi Foundation\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parse(tc.in); err == nil {
				t.Error("no error")
			}
		})
	}
	got, err := parse("# c\nb827eb\tkvm_board\tPi\tlow\tRaspberry Pi Foundation\n")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Entry{"B827EB": {"B827EB", KVMBoard, "Pi", "low", "Raspberry Pi Foundation"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parse (-want +got):\n%s", diff)
	}
}
