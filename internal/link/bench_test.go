package link

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchRecords is the size of the benchmark population:
// ROLLCALL_LINK_RECORDS, or a million.
func benchRecords(b *testing.B) int {
	n := 1_000_000
	if s := os.Getenv("ROLLCALL_LINK_RECORDS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 2 {
			b.Fatalf("ROLLCALL_LINK_RECORDS=%q: want a number of records (at least 2)", s)
		}
		n = v
	}
	return n
}

var (
	benchOnce  sync.Once
	benchPop   []Record
	benchTruth SynthTruth
)

// BenchmarkLink1M links a synthetic platform-scale applicant pool (a
// million records by default: duplicates with typos, nicknames,
// transliterations, reformatted contacts; agency applicants sharing
// switchboards; facilitator rings) and reports the time, the CPU time,
// the pairs compared, the peak heap and resident memory, and pair
// precision and recall against the generator's truth.
func BenchmarkLink1M(b *testing.B) {
	n := benchRecords(b)
	benchOnce.Do(func() {
		benchPop, benchTruth = Synthesize(DefaultSynthOptions(n))
	})
	runtime.GC()
	var cpu0 time.Duration
	if ru, ok := rusage(); ok {
		cpu0 = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.ResetTimer()
	var st Stats
	var clusters []Cluster
	var peak uint64
	for range b.N {
		stop := sampleHeap(&peak)
		res, err := Link(context.Background(), benchPop, DefaultOptions())
		stop()
		if err != nil {
			b.Fatal(err)
		}
		st, clusters = res.Stats, res.Clusters
	}
	b.StopTimer()
	entity := make(map[string]string, len(benchPop))
	for i, r := range benchPop {
		entity[r.ID] = "p" + strconv.Itoa(int(benchTruth.Person[i]))
		if benchTruth.Ring[i] >= 0 {
			entity[r.ID] = "r" + strconv.Itoa(int(benchTruth.Ring[i]))
		}
	}
	acc := evaluate(benchPop, clusters, func(id string) string { return entity[id] })
	b.ReportMetric(acc.pairPrecision, "pair_precision")
	b.ReportMetric(acc.pairRecall, "pair_recall")
	b.ReportMetric(float64(st.PairsCompared), "pairs_compared")
	b.ReportMetric(float64(st.Clusters), "clusters")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak_heap_MiB")
	if ru, ok := rusage(); ok {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak_rss_MiB")
		cpu := time.Duration(ru.Utime.Nano()+ru.Stime.Nano()) - cpu0
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu_s/op")
	}
	for _, phase := range []string{"normalise", "resumes", "block", "compare", "model", "cluster"} {
		b.Logf("%-9s %v", phase, st.Timings[phase].Round(time.Millisecond))
	}
	b.Logf("stats: %+v", st)
}

// sampleHeap records the largest heap in use into peak, sampling every
// 50 ms until the returned stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

func rusage() (syscall.Rusage, bool) {
	var ru syscall.Rusage
	return ru, syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil
}
