package endpoint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestEmbeddedParses(t *testing.T) {
	k, err := Embedded()
	if err != nil {
		t.Fatalf("embedded knowledge: %v", err)
	}
	counts := map[Category]int{}
	for _, s := range k.Software() {
		counts[s.Category]++
		if s.Source == "" {
			t.Errorf("%s: no source", s.Origin)
		}
	}
	for _, u := range k.USBDevices() {
		counts[u.Category]++
	}
	for c, min := range map[Category]int{RemoteControl: 30, VPN: 30, AntiDetectBrowser: 10, AndroidEmulator: 10,
		Jiggler: 10, AgentTampering: 5, IPKVM: 10, KVMCable: 2, SBC: 4, NetworkGadget: 4, NetworkAdapter: 15} {
		if counts[c] < min {
			t.Errorf("%d %s entries, want at least %d", counts[c], c, min)
		}
	}
	if n := len(k.Layouts()); n < 100 {
		t.Errorf("%d keyboard layouts, want at least 100", n)
	}
	if langs, ok := k.CountryLanguages("us"); !ok || !strings.Contains(strings.Join(langs, " "), "en") {
		t.Errorf("CountryLanguages(us) = %v, %v", langs, ok)
	}
	want := map[string]string{"software.csv": "2025.1", "usb.csv": "2025.1", "keyboard.csv": "2025.1", "languages.csv": "2025.1"}
	if diff := cmp.Diff(want, k.Versions()); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
}

func TestLoadUserFiles(t *testing.T) {
	dir := t.TempDir()
	sw := filepath.Join(dir, "tools.csv")
	os.WriteFile(sw, []byte("# our additions\n# version: 7\ncategory,product,field,pattern,confidence,source\n"+
		"remote_control,HelpWire,name,helpwire*,high,vendor site helpwire.app\n"), 0o600)
	kb := filepath.Join(dir, "kb.csv")
	os.WriteFile(kb, []byte("layout,language,name,source\nwin:12,ko,Korean (reviewed),our review\n"), 0o600)
	k, err := LoadFiles(sw, kb)
	if err != nil {
		t.Fatalf("LoadFiles: %v", err)
	}
	if got := k.MatchSoftware(event.NewRow(map[string]string{"name": "HelpWire.exe"})); len(got) != 1 || got[0].Product != "HelpWire" {
		t.Errorf("user entry not matched: %+v", got)
	}
	if l, ok := k.LookupLayout("00000412"); !ok || l.Name != "Korean (reviewed)" {
		t.Errorf("user layout did not replace the shipped one: %+v", l)
	}
	if k.Versions()["tools.csv"] != "7" {
		t.Errorf("versions = %v", k.Versions())
	}
	// The shipped knowledge is unchanged.
	if got := Default().MatchSoftware(event.NewRow(map[string]string{"name": "HelpWire.exe"})); len(got) != 0 {
		t.Errorf("embedded knowledge changed: %+v", got)
	}
	if l, _ := Default().LookupLayout("00000412"); l.Name != "Korean" {
		t.Errorf("embedded layout changed: %+v", l)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"unknown_header", "a,b,c\n", "no recognised header"},
		{"empty", "# nothing\n", "no recognised header"},
		{"bad_category", "category,product,field,pattern,confidence,source\nrat,X,name,x*,high,s\n", `input 1:2: category "rat"`},
		{"bad_field", "category,product,field,pattern,confidence,source\nvpn,X,hash,x*,high,s\n", `field "hash"`},
		{"no_source", "category,product,field,pattern,confidence,source\nvpn,X,name,xvpn*,high,\n", "source is required"},
		{"match_everything", "category,product,field,pattern,confidence,source\nvpn,X,name,*,high,s\n", "fewer than two literal"},
		{"bad_confidence", "category,product,field,pattern,confidence,source\nvpn,X,name,xvpn,sure,s\n", `confidence "sure"`},
		{"columns", "category,product,field,pattern,confidence,source\nvpn,X,name\n", "3 columns, want 6"},
		{"bad_vid", "category,product,vendor_id,product_id,vendor,model,serial,confidence,source\nsbc,X,zz12,,,,,low,s\n", `vendor_id "zz12"`},
		{"pid_alone", "category,product,vendor_id,product_id,vendor,model,serial,confidence,source\nsbc,X,,0104,,,,low,s\n", "product_id without vendor_id"},
		{"usb_matches_all", "category,product,vendor_id,product_id,vendor,model,serial,confidence,source\nsbc,X,,,,,,low,s\n", "would match every device"},
		{"bad_language", "layout,language,name,source\nwin:12,korean,Korean,s\n", `language "korean"`},
		{"bad_win", "layout,language,name,source\nwin:412,ko,Korean,s\n", "two hex digits"},
		{"bad_country", "country,languages,source\nUSA,en,s\n", `country "USA"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestUseFiles(t *testing.T) {
	t.Cleanup(func() { Use(nil) })
	dir := t.TempDir()
	p := filepath.Join(dir, "usb.csv")
	os.WriteFile(p, []byte("category,product,vendor_id,product_id,vendor,model,serial,confidence,source\n"+
		"ip_kvm,Lab KVM,1234,5678,,,,high,our lab inventory\n"), 0o600)
	if err := UseFiles(p); err != nil {
		t.Fatalf("UseFiles: %v", err)
	}
	if got := Current().MatchUSB(event.NewRow(map[string]string{"vendor_id": "1234", "model_id": "5678"})); len(got) != 1 {
		t.Errorf("Current does not know the user's device: %+v", got)
	}
	if err := UseFiles(filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("UseFiles on a missing file: no error")
	}
	if got := Current().MatchUSB(event.NewRow(map[string]string{"vendor_id": "1234", "model_id": "5678"})); len(got) != 1 {
		t.Error("a failed UseFiles changed the knowledge in use")
	}
	if err := UseFiles(); err != nil || Current() != Default() {
		t.Errorf("UseFiles() did not restore the shipped knowledge: %v", err)
	}
}
