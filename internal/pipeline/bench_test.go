package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/okta"
)

// benchOrg is a simulated organisation with at least a million Okta
// events (1,500 people over a year), written once to a cache directory
// and reused by later runs.
var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

func benchData(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		if dir := os.Getenv("ROLLCALL_BENCH_ORG"); dir != "" {
			benchDir = dir // a simulated organisation written by `rollcall simulate`
			return
		}
		benchDir = filepath.Join(os.TempDir(), "rollcall-bench", "org-1500x365-seed1")
		done := filepath.Join(benchDir, ".complete")
		if _, err := os.Stat(done); err == nil {
			return
		}
		org, err := sim.Generate(sim.Config{Seed: 1, People: 1500, Days: 365})
		if err != nil {
			benchErr = err
			return
		}
		if err := org.WriteDir(benchDir); err != nil {
			benchErr = err
			return
		}
		benchErr = os.WriteFile(done, nil, 0o644)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir
}

type countSink struct{ events, rejected int }

func (s *countSink) Event(*event.Event)      { s.events++ }
func (s *countSink) Reject(source.Rejection) { s.rejected++ }

// BenchmarkDecodeOkta is the floor: decoding the Okta file into events,
// nothing else.
func BenchmarkDecodeOkta(b *testing.B) {
	path := filepath.Join(benchData(b), sim.FileOkta)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var events int
	for b.Loop() {
		f, err := source.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var s countSink
		if err := okta.New().Decode(context.Background(), f, path, &s); err != nil {
			b.Fatal(err)
		}
		f.Close()
		events = s.events
	}
	if events < 1_000_000 && os.Getenv("ROLLCALL_BENCH_ORG") == "" {
		b.Fatalf("only %d Okta events; the benchmark needs at least 1M", events)
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkScan is the whole batch pipeline over the same organisation:
// read and normalise every file, enrich, resolve, evaluate every
// indicator, build cells, score and assemble the report.
func BenchmarkScan(b *testing.B) {
	dir := benchData(b)
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() {
			size += info.Size()
		}
	}
	db, err := ipintel.Open()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var events int
	for b.Loop() {
		res, err := Scan(context.Background(), Options{Inputs: []Input{{Path: dir}}, Enricher: db.Enrich})
		if err != nil {
			b.Fatal(err)
		}
		events = res.Report.Stats.Events
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.Log(fmt.Sprintf("%d events per scan", events))
}
