package event

import (
	"encoding/json"
	"slices"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/google/go-cmp/cmp"
)

// TestRowJSON: a Row is written exactly as the map[string]string it
// replaces was (sorted keys, the same escaping), by both JSON libraries
// the project uses, and reads back equal.
func TestRowJSON(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]string
	}{
		{name: "nil", m: nil},
		{name: "empty", m: map[string]string{}},
		{name: "columns", m: map[string]string{"vendor_id": "1d6b", "model": "PiKVM <Composite> & co", "decorations.username": "mo", "b": ""}},
		{name: "escapes", m: map[string]string{"cmdline": "sh -c 'echo \"}\" \\ \u2028 \x01'", "ünïcode": "日本"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal([]map[string]string{tc.m})
			if err != nil {
				t.Fatal(err)
			}
			rows := RowsOf(tc.m)
			for lib, marshal := range map[string]func(any) ([]byte, error){"encoding_json": json.Marshal, "goccy": gojson.Marshal} {
				got, err := marshal(rows)
				if err != nil {
					t.Fatalf("%s: %v", lib, err)
				}
				if string(got) != string(want) {
					t.Errorf("%s wrote %s, want %s", lib, got, want)
				}
			}
			var back []Row
			if err := json.Unmarshal(want, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rows, back); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.m, back[0].Map()); diff != "" {
				t.Errorf("Map (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRowAccess(t *testing.T) {
	r := NewRow(map[string]string{"name": "AnyDesk", "pid": "42", "path": "/a"})
	if got := r.Get("pid"); got != "42" {
		t.Errorf("Get(pid) = %q, want 42", got)
	}
	if v, ok := r.Lookup("cmdline"); ok || v != "" {
		t.Errorf("Lookup(cmdline) = %q, %v; want absent", v, ok)
	}
	var cols []string
	for k := range r.All() {
		cols = append(cols, k)
	}
	if want := []string{"name", "path", "pid"}; !slices.Equal(cols, want) {
		t.Errorf("All yields %v, want %v", cols, want)
	}
	shared := r
	r.Set("pid", "43")
	r.Set("cmdline", "anydesk --service")
	if diff := cmp.Diff(map[string]string{"name": "AnyDesk", "pid": "43", "path": "/a", "cmdline": "anydesk --service"}, r.Map()); diff != "" {
		t.Errorf("after Set (-want +got):\n%s", diff)
	}
	if got := shared.Map(); !cmp.Equal(got, map[string]string{"name": "AnyDesk", "pid": "42", "path": "/a"}) {
		t.Errorf("Set changed a copy sharing the values: %v", got)
	}
	if (Row{}).Get("x") != "" || (Row{}).Len() != 0 || !(Row{}).IsNil() {
		t.Error("zero Row is not an empty, nil row")
	}
}
