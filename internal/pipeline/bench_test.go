package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fastjson"

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

// rates are the events per second the floor and the decode benchmarks
// measured in this process, for BenchmarkScan's ratios. A benchmark that
// runs without them measures them once itself.
var rates struct {
	floor, decode float64
}

// oktaPath is the bench organisation's Okta System Log.
func oktaPath(b *testing.B) string {
	b.Helper()
	path := filepath.Join(benchData(b), sim.FileOkta)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	return path
}

// floorPass reads the Okta file with fastjson, one Parser, reading the
// four members every event needs: uuid, published, actor.alternateId and
// client.ipAddress. It is the parse floor the scan is measured against.
func floorPass(path string) (events int, err error) {
	f, err := source.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var p fastjson.Parser
	sum := 0
	for {
		line, err := f.ReadSlice('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			v, perr := p.ParseBytes(line)
			if perr != nil {
				return events, fmt.Errorf("%s: record %d: %w", path, events+1, perr)
			}
			sum += len(v.GetStringBytes("uuid")) + len(v.GetStringBytes("published")) +
				len(v.GetStringBytes("actor", "alternateId")) + len(v.GetStringBytes("client", "ipAddress"))
			events++
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			return events, fmt.Errorf("%s: a line longer than the read buffer", path)
		}
		if err != nil {
			if sum == 0 && events > 0 {
				return events, errors.New("no member read")
			}
			return events, nil
		}
	}
}

// decodePass decodes the Okta file with the okta adapter into a sink that
// keeps nothing.
func decodePass(path string) (events int, err error) {
	f, err := source.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var s countSink
	err = okta.New().Decode(context.Background(), f, path, &s)
	return s.events, err
}

// measure runs pass b.Loop times and reports events/s and allocations per
// event; it returns events/s.
func measure(b *testing.B, path string, pass func(string) (int, error)) float64 {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var events, total int
	for b.Loop() {
		n, err := pass(path)
		if err != nil {
			b.Fatal(err)
		}
		events, total = n, total+n
	}
	runtime.ReadMemStats(&after)
	if events < 1_000_000 && os.Getenv("ROLLCALL_BENCH_ORG") == "" {
		b.Fatalf("only %d Okta events; the benchmark needs at least 1M", events)
	}
	rate := float64(total) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(total), "allocs/event")
	return rate
}

// BenchmarkParseFloorOkta is the parse floor: a fastjson pass over the
// Okta file reading four members (see floorPass), on one core.
func BenchmarkParseFloorOkta(b *testing.B) {
	rates.floor = measure(b, oktaPath(b), floorPass)
}

// BenchmarkDecodeOkta decodes the same file into events with the okta
// adapter (every core), nothing else; floor_ratio is its events/s over the
// floor's.
func BenchmarkDecodeOkta(b *testing.B) {
	path := oktaPath(b)
	rates.decode = measure(b, path, decodePass)
	b.ReportMetric(rates.decode/floorRate(b, path), "floor_ratio")
}

// floorRate is the floor's events/s in this process, measured now (one
// pass) when BenchmarkParseFloorOkta did not run.
func floorRate(b *testing.B, path string) float64 {
	if rates.floor == 0 {
		rates.floor = timed(b, path, floorPass)
	}
	return rates.floor
}

// decodeRate is BenchmarkDecodeOkta's events/s, measured now when it did
// not run.
func decodeRate(b *testing.B, path string) float64 {
	if rates.decode == 0 {
		rates.decode = timed(b, path, decodePass)
	}
	return rates.decode
}

// timed runs pass once outside the benchmark's clock and returns events/s.
func timed(b *testing.B, path string, pass func(string) (int, error)) float64 {
	b.StopTimer()
	defer b.StartTimer()
	start := time.Now()
	n, err := pass(path)
	if err != nil {
		b.Fatal(err)
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkScan is the whole batch pipeline over the same organisation:
// read and normalise every file, enrich, resolve, evaluate every
// indicator, build cells, score and assemble the report. Beside events/s
// it reports the ratios to the floor and to the Okta decode, allocations
// per event, and the live heap per event: what the held result occupies
// after a garbage collection, over the events it holds.
func BenchmarkScan(b *testing.B) {
	dir := benchData(b)
	path := filepath.Join(dir, sim.FileOkta)
	floor, decode := floorRate(b, path), decodeRate(b, path)
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
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var res *Result
	var total int
	for b.Loop() {
		res = nil // let the previous result go while the next is built
		res, err = Scan(context.Background(), Options{Inputs: []Input{{Path: dir}}, Enricher: db.Enrich})
		if err != nil {
			b.Fatal(err)
		}
		total += res.Report.Stats.Events
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	mallocs := after.Mallocs - before.Mallocs
	runtime.GC()
	runtime.ReadMemStats(&after)
	events := res.Report.Stats.Events
	live := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	runtime.KeepAlive(res)
	rate := float64(total) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(rate/floor, "floor_ratio")
	b.ReportMetric(rate/decode, "decode_ratio")
	b.ReportMetric(float64(mallocs)/float64(total), "allocs/event")
	b.ReportMetric(live/float64(events), "live_B/event")
	b.Logf("%d events per scan; floor %.0f events/s, Okta decode %.0f events/s", events, floor, decode)
}
