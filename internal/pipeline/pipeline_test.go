package pipeline

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScan_counts_add_up(t *testing.T) {
	res, err := Scan(context.Background(), Options{Inputs: []Input{{Path: filepath.Join("..", "..", "examples", "small")}}})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Report.Stats
	if st.RecordsRead != st.Events+st.RecordsRejected {
		t.Errorf("records_read %d != events %d + rejected %d", st.RecordsRead, st.Events, st.RecordsRejected)
	}
	want := map[string]int{"okta": 2, "payroll": 2, "scim": 2, "shipments": 2}
	if diff := cmp.Diff(want, st.BySource); diff != "" {
		t.Errorf("events by source (-want +got):\n%s", diff)
	}
	if st.RecordsRejected != 4 {
		t.Errorf("rejected = %d, want 4: %+v", st.RecordsRejected, res.Report.Rejected)
	}
	for _, r := range res.Report.Rejected {
		if r.File == "" || r.Line == 0 || r.Reason == "" {
			t.Errorf("rejection without file, line or reason: %+v", r)
		}
	}
	if len(res.Report.SkippedFiles) != 1 || filepath.Base(res.Report.SkippedFiles[0].File) != "truth.json" {
		t.Errorf("skipped = %+v, want truth.json", res.Report.SkippedFiles)
	}
	if st.UnresolvedAccounts != 1 || res.Report.Unresolved[0].Account != "ghost@acme.example" {
		t.Errorf("unresolved = %+v, want ghost@acme.example", res.Report.Unresolved)
	}
	// Jane and Sam share one payout account: both get PAY-01 and form a cell.
	for _, p := range res.Report.People {
		var ids []string
		for _, ind := range p.Indicators {
			ids = append(ids, ind.ID)
		}
		if !slices.Contains(ids, "PAY-01") {
			t.Errorf("%s: indicators %v, want PAY-01", p.ID, ids)
		}
		if p.Cluster == "" {
			t.Errorf("%s: no cluster, want the shared-account cell", p.ID)
		}
	}
	if len(res.Report.Clusters) != 1 {
		t.Fatalf("clusters = %+v, want one", res.Report.Clusters)
	}
}

func TestScan_explicit_unknown_file_is_input_error(t *testing.T) {
	_, err := Scan(context.Background(), Options{Inputs: []Input{{Path: filepath.Join("..", "..", "examples", "small", "truth.json")}}})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an InputError", err)
	}
}

func TestScan_missing_path_is_input_error(t *testing.T) {
	_, err := Scan(context.Background(), Options{Inputs: []Input{{Path: filepath.Join("testdata", "nope")}}})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an InputError", err)
	}
}

func TestParseInput(t *testing.T) {
	in, err := ParseInput("okta=logs/x.json")
	if err != nil || in.Format != "okta" || in.Path != "logs/x.json" {
		t.Errorf("ParseInput = %+v, %v", in, err)
	}
	if _, err := ParseInput("nosuch=x"); err == nil {
		t.Error("unknown format accepted")
	}
	in, err = ParseInput("plain/path.json")
	if err != nil || in.Format != "" {
		t.Errorf("ParseInput(plain) = %+v, %v", in, err)
	}
}
