package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sim"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata/")

// seeded is the seeded simulation the golden and determinism tests share,
// written once per test binary.
var seeded struct {
	once sync.Once
	dir  string
	err  error
}

// seededSim returns the directory of a 200-person, 45-day simulation
// (seed 5), removed when the test binary exits (see TestMain).
func seededSim(t *testing.T) string {
	t.Helper()
	seeded.once.Do(func() {
		seeded.dir, seeded.err = os.MkdirTemp("", "rollcall-sim-")
		if seeded.err != nil {
			return
		}
		var org *sim.Org
		if org, seeded.err = sim.Generate(sim.Config{Seed: 5, People: 200, Days: 45}); seeded.err == nil {
			seeded.err = org.WriteDir(seeded.dir)
		}
	})
	if seeded.err != nil {
		t.Fatal(seeded.err)
	}
	return seeded.dir
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if seeded.dir != "" {
		os.RemoveAll(seeded.dir)
	}
	os.Exit(code)
}

// TestGoldenReports keeps the JSON report of examples/small and of a seeded
// simulation byte-identical across refactors of the engine: a change here
// is a change in detection and must be explained in the commit.
func TestGoldenReports(t *testing.T) {
	simDir := seededSim(t)
	for _, tc := range []struct{ name, dir string }{
		{"examples_small", filepath.Join("..", "..", "examples", "small")},
		{"sim_seed5_200x45", simDir},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Scan(context.Background(), Options{Inputs: []Input{{Path: tc.dir}}})
			if err != nil {
				t.Fatal(err)
			}
			var raw, buf bytes.Buffer
			if err := (report.JSON{}).Write(&raw, res.Report); err != nil {
				t.Fatal(err)
			}
			if err := json.Indent(&buf, raw.Bytes(), "", " "); err != nil {
				t.Fatal(err)
			}
			// The simulation is written to a fresh directory each run.
			got := strings.ReplaceAll(buf.String(), filepath.ToSlash(simDir), "SIM")
			golden := filepath.Join("testdata", tc.name+".json")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGoldenReports -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("report of %s changed (-golden +now); if the change in detection is intended, explain it and rerun with -update:\n%s", tc.name, diff)
			}
		})
	}
}
