package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/stream"
)

// execWorker builds a `rollcall worker` command on the load test's stream
// and database, logging to name in the work directory.
func execWorker(ctx context.Context, c config, natsURL, dsn string, topo stream.Topology, name string, extra ...string) *exec.Cmd {
	args := append([]string{"worker", "--nats", natsURL, "--db", dsn, "--tenant", tenant, "--stream", topo.Stream,
		"--subject-prefix", topo.Prefix, "--log-json"}, extra...)
	cmd := exec.CommandContext(ctx, c.bin, args...)
	if f, err := os.Create(filepath.Join(c.dir, name)); err == nil {
		cmd.Stdout, cmd.Stderr = f, f
	}
	return cmd
}

func mib(b float64) float64 { return b / (1 << 20) }

// printReport prints the figures the issue asks for.
func printReport(c config, pub *published, m *monitor, fin *finalResult, size [2]int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	total := float64(pub.events + c.people)
	fmt.Printf("\n== rollcall load test: %d sign-in events, %d people, %d workers, PostgreSQL, NATS JetStream (loopback)\n",
		pub.events, c.people, c.workers)
	fmt.Printf("publish: %.0f events/s offered (target %d/s; 0 = unthrottled)", float64(pub.events)/pub.took.Seconds(), c.rate)
	if c.drain {
		fmt.Print("; workers started after the last publish (draining a backlog)")
	}
	fmt.Println()

	t0, t1, rates := windows(m.samples, total)
	if !t1.IsZero() {
		fmt.Printf("stored: %.0f records in %s: %.0f records/s sustained (first to last insert)\n",
			total, t1.Sub(t0).Round(time.Second), total/t1.Sub(t0).Seconds())
	}
	if len(rates) > 0 {
		slices.Sort(rates)
		fmt.Printf("        10 s windows: min %.0f/s, median %.0f/s, max %.0f/s\n", rates[0], rates[len(rates)/2], rates[len(rates)-1])
	}
	fmt.Printf("latency publish → event committed: p50 %.3fs, p99 %.3fs (%.0f events, histogram)\n",
		quantile(m.latency, m.count, 0.5), quantile(m.latency, m.count, 0.99), m.count)
	findingLatency(c, pub, m)
	if size[0] > 0 {
		per := float64(size[0]) / (total / 1e6)
		fmt.Printf("PostgreSQL: %.0f MiB in all (%.0f MiB events table with indexes): %.0f MiB per million events\n",
			mib(float64(size[0])), mib(float64(size[1])), mib(per))
	}
	for i := range c.workers {
		var rss, heap float64
		for _, s := range m.samples {
			if i < len(s.rss) {
				rss, heap = max(rss, s.rss[i]), max(heap, s.heap[i])
			}
		}
		fmt.Printf("worker %d: peak RSS %.0f MiB, peak Go heap in use %.0f MiB: %.0f bytes per person while ingesting\n",
			i, mib(rss), mib(heap), rss/float64(c.people))
	}
	if fin != nil && fin.took > 0 {
		fmt.Printf("final analysis (a worker that analyses once and exits): %s over %.0f events, peak RSS %.0f MiB = %.0f KiB per person, %.0f bytes per event\n",
			fin.took.Round(time.Second), fin.events, mib(float64(fin.maxRSS)), float64(fin.maxRSS)/1024/float64(c.people), float64(fin.maxRSS)/fin.events)
	}
}

// windows returns when the first record was stored, when the last was,
// and the insert rates over 10-second windows in between.
func windows(samples []sample, total float64) (t0, t1 time.Time, rates []float64) {
	for i, s := range samples {
		if t0.IsZero() && s.inserted > 0 {
			t0 = samples[max(i-1, 0)].at
		}
		if t1.IsZero() && s.inserted >= total {
			t1 = s.at
		}
		if i >= 10 && samples[i-10].inserted > 0 && samples[i-10].inserted < total {
			rates = append(rates, (s.inserted-samples[i-10].inserted)/s.at.Sub(samples[i-10].at).Seconds())
		}
	}
	return t0, t1, rates
}

// findingLatency reports, from the analysis saves seen, how long after
// being published each event was part of saved results.
func findingLatency(c config, pub *published, m *monitor) {
	if len(m.analyses) == 0 || len(pub.at) == 0 {
		fmt.Println("latency publish → persisted finding: no analysis ran during the load (see the final analysis below)")
		return
	}
	var lat []float64
	done := 0 // checkpoints covered so far
	for _, a := range m.analyses {
		covered := int(a.events) - c.people // sign-ins in the analysis (the roster went first)
		for done < len(pub.at) && (done+1)*checkpoint <= covered {
			lat = append(lat, a.at.Sub(pub.at[done]).Seconds())
			done++
		}
	}
	if len(lat) == 0 {
		fmt.Println("latency publish → persisted finding: no analysis covered a whole checkpoint")
		return
	}
	sort.Float64s(lat)
	q := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	var gaps []string
	for i := 1; i < len(m.analyses); i++ {
		gaps = append(gaps, m.analyses[i].at.Sub(m.analyses[i-1].at).Round(time.Second).String())
	}
	fmt.Printf("latency publish → persisted finding: p50 %.1fs, p99 %.1fs (%d analyses; gaps %s)\n",
		q(0.5), q(0.99), len(m.analyses), strings.Join(gaps, " "))
}

// savedAnalysis is one "analysis saved" line of a worker's JSON log.
type savedAnalysis struct {
	Msg      string `json:"msg"`
	Events   int    `json:"events"`
	Loaded   int    `json:"loaded"`
	LoadTook string `json:"load_took"`
	Took     string `json:"took"`
}

// printAnalyses prints, from the analysing worker's log, how long its
// analyses took as history grew: the one nearest half the events and the
// last, with how many events each read from the store.
func printAnalyses(c config) {
	f, err := os.Open(filepath.Join(c.dir, "worker-0.log"))
	if err != nil {
		return
	}
	defer f.Close()
	var runs []savedAnalysis
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var a savedAnalysis
		if json.Unmarshal(sc.Bytes(), &a) == nil && a.Msg == "analysis saved" {
			runs = append(runs, a)
		}
	}
	if len(runs) == 0 {
		return
	}
	last := runs[len(runs)-1]
	half := runs[0]
	for _, r := range runs {
		if abs(r.Events-last.Events/2) < abs(half.Events-last.Events/2) {
			half = r
		}
	}
	fmt.Printf("analyses in worker 0: %d saved\n", len(runs))
	for _, r := range []savedAnalysis{half, last} {
		fmt.Printf("  over %d events: took %s, of which loading %s (%d events read from the store)\n",
			r.Events, r.Took, r.LoadTook, r.Loaded)
	}
}

func abs(n int) int { return max(n, -n) }

// printProfiles prints the top of each worker's CPU profile.
func printProfiles(c config) {
	for i := range c.workers {
		path := filepath.Join(c.dir, fmt.Sprintf("cpu-worker-%d.pprof", i))
		if _, err := os.Stat(path); err != nil {
			continue
		}
		out, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=30", c.bin, path).CombinedOutput()
		if err != nil {
			fmt.Printf("pprof worker %d: %v\n", i, err)
			continue
		}
		fmt.Printf("\n== CPU profile, worker %d (20 s)\n%s", i, out)
	}
}
