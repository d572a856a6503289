package score

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/graph"
	"github.com/rollcall/rollcall/internal/policy"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestExplain_golden(t *testing.T) {
	pol := policy.Default()
	pol.Allow.People = []policy.PersonEntry{{Person: "E1", Indicator: "END-05", Entry: policy.Entry{Reason: "jiggler approved for kiosk duty (IT-12)"}}}
	pol.Weights["IAM-06"] = 30
	pol.Weights["COL-02"] = 30
	shared := find("E1", "ONB-02")
	shared.Summary = "ship-to 77 pine rd, 75201, US shared with E2"
	shared.Related = []string{"E2"}
	shared.Evidence = []detect.Evidence{
		{Source: "shipments", File: "shipments.csv", Record: 12, Line: 13, Summary: "asset A-1 for E1 shipped to 77 pine rd on 2025-03-03"},
		{Source: "shipments", File: "shipments.csv", Record: 14, Line: 15, Summary: "asset A-2 for E2 shipped to 77 pine rd on 2025-03-04"},
	}
	vpn := withConfidence(find("E1", "IAM-01"), 0.8)
	vpn.Evidence[0].ID = "evt-1"
	findings := []detect.Finding{
		shared, find("E1", "ONB-03"), vpn, find("E1", "IAM-06"), find("E1", "END-05"),
		find("E2", "IAM-06"), find("E2", "COL-02"),
		find("E4", "XYZ-01"),
	}
	clusters := []graph.Cluster{{ID: "C1", Members: []string{"E1", "E2", "E3"}, Links: []graph.Link{
		{Kind: graph.KindAddress, Value: "77 pine rd, 75201, US", Members: []string{"E1", "E2"}},
		{Kind: graph.KindIP, Value: "73.1.2.3", Members: []string{"E2", "E3"}},
	}}}
	res := Score(population("E1", "E2", "E3", "E4", "E5"), findings, clusters, pol, lookup, now)
	var buf bytes.Buffer
	for _, ps := range res.Ranked {
		if err := Explain(&buf, ps); err != nil {
			t.Fatal(err)
		}
		buf.WriteString("\n----\n\n")
	}
	golden := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("Explain output differs from %s (-want +got); run go test -update if the change is intended:\n%s", golden, diff)
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestExplain_write_error(t *testing.T) {
	ps := Score(population("A"), []detect.Finding{find("A", "ONB-02")}, nil, nil, lookup, now).People["A"]
	if err := Explain(failingWriter{}, ps); !errors.Is(err, errWrite) {
		t.Errorf("Explain to a failing writer = %v, want %v", err, errWrite)
	}
}
