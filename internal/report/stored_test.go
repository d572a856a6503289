package report

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestToStore_FromStore_round_trip: a report mapped to the store's types
// and back is the same report, with the same JSON (lists that were nil
// stay nil, empty ones stay empty), for the golden fixture and for a
// report whose lists are all nil.
func TestToStore_FromStore_round_trip(t *testing.T) {
	full := fixture(t)
	if len(full.People) == 0 || len(full.Clusters) == 0 || len(full.Rejected) == 0 || len(full.SkippedFiles) == 0 {
		t.Fatal("the fixture lacks people, clusters, rejections or skipped files: the test would prove little")
	}
	for name, want := range map[string]*Report{"fixture": full, "nil_lists": {Version: Version}} {
		t.Run(name, func(t *testing.T) {
			got := FromStore(ToStore(want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("report after the round trip (-want +got):\n%s", diff)
			}
			wantJSON, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			gotJSON, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("JSON after the round trip:\n%s\nwant:\n%s", gotJSON, wantJSON)
			}
		})
	}
	if FromStore(nil) != nil || ToStore(nil) != nil {
		t.Error("nil results should map to a nil report and back")
	}
}
