package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/pipeline"
)

func TestRenderProgress(t *testing.T) {
	start := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		snap pipeline.ProgressSnapshot
		at   time.Duration
		want string
	}{
		{"before_any_stage", pipeline.ProgressSnapshot{}, time.Second, ""},
		{"reading_bytes_records_eta", pipeline.ProgressSnapshot{Stage: "reading", Unit: pipeline.UnitBytes, Done: 400_000_000, Total: 1_200_000_000, Records: 1_234_567, Start: start},
			20 * time.Second, "reading: 400.0 MB of 1.2 GB (33%), 1,234,567 records, about 40s left"},
		{"no_eta_in_the_first_second", pipeline.ProgressSnapshot{Stage: "reading", Unit: pipeline.UnitBytes, Done: 512, Total: 2048, Start: start},
			500 * time.Millisecond, "reading: 512 B of 2.0 kB (25%)"},
		{"people_with_minutes_left", pipeline.ProgressSnapshot{Stage: "profiling", Unit: pipeline.UnitPeople, Done: 100, Total: 1500, Records: 9, Start: start},
			10 * time.Second, "profiling: 100 of 1,500 people (6%), about 2m20s left"},
		{"indicators_counted", pipeline.ProgressSnapshot{Stage: "indicators", Done: 61, Total: 61, Start: start},
			3 * time.Second, "indicators: 61 of 61 (100%)"},
		{"stage_without_total_says_how_long", pipeline.ProgressSnapshot{Stage: "graph", Start: start},
			75 * time.Second, "graph: 1m15s"},
		{"hours", pipeline.ProgressSnapshot{Stage: "profiling", Unit: pipeline.UnitPeople, Done: 1, Total: 3, Start: start},
			time.Hour, "profiling: 1 of 3 people (33%), about 2h00m left"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, renderProgress(tc.snap, start.Add(tc.at))); diff != "" {
				t.Errorf("line (-want +got):\n%s", diff)
			}
		})
	}
}

// syncBuffer is a terminal stand-in the ticker writes to while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestShowProgress_draws_then_clears: the line is redrawn in place while
// the engine counts, and cleared when the command stops it.
func TestShowProgress_draws_then_clears(t *testing.T) {
	var prog pipeline.Progress
	prog.Begin("profiling", pipeline.UnitPeople, 4)
	prog.Add(1)
	var w syncBuffer
	shown := showProgress(&w, &prog)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(w.String(), "profiling: 1 of 4 people (25%)") {
		if time.Now().After(deadline) {
			t.Fatalf("no progress line drawn in 10s: %q", w.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, not waiting for a fixed time
	}
	shown.stop()
	shown.stop() // idempotent
	if out := w.String(); !strings.HasPrefix(out, "\r\033[K") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("line not redrawn in place and cleared: %q", out)
	}
}

// TestScanPrintsNoProgressOffATerminal: with stderr a file (a pipe or a
// CI log), scan writes no progress at all.
func TestScanPrintsNoProgressOffATerminal(t *testing.T) {
	errFile, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer errFile.Close()
	var stdout bytes.Buffer
	if code := Main([]string{"scan", mixed}, strings.NewReader(""), &stdout, errFile); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	got, err := os.ReadFile(errFile.Name())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "\r") || strings.Contains(string(got), "reading") {
		t.Errorf("progress written to a file: %q", got)
	}
}
