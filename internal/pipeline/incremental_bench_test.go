package pipeline

import (
	"context"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/sim"
)

// BenchmarkIncremental measures what a stream worker's analysis costs
// per batch: a simulated organisation (1,000 people, 30 days) arrives in
// time order; after a full analysis of the first half (or quarter) of it,
// batches of 1,000 events are analysed incrementally. It reports the full
// analysis and the mean incremental analysis at a quarter and at half of
// the history, and the people re-evaluated per batch.
func BenchmarkIncremental(b *testing.B) {
	events := simulatedEvents(b)
	const batch, batches = 1000, 5
	ctx := context.Background()
	for range b.N {
		for _, at := range []struct {
			name string
			frac float64
		}{{"quarter", 0.25}, {"half", 0.5}} {
			n := int(at.frac * float64(len(events)))
			var s State
			s.takeIn(events[:n])
			start := time.Now()
			if _, err := s.Analyse(ctx, Options{}); err != nil {
				b.Fatal(err)
			}
			full := time.Since(start)
			var took time.Duration
			evaluated := 0
			for i := range batches {
				s.takeIn(events[n+i*batch : n+(i+1)*batch])
				start := time.Now()
				res, err := s.Analyse(ctx, Options{})
				if err != nil {
					b.Fatal(err)
				}
				took += time.Since(start)
				scope, ok := s.Evaluated()
				if !ok {
					scope = map[string]bool{}
					for _, p := range res.Pop.People {
						scope[p.ID] = true
					}
				}
				evaluated += len(scope)
			}
			b.ReportMetric(float64(n), at.name+"_events")
			b.ReportMetric(full.Seconds(), at.name+"_full_s")
			b.ReportMetric(took.Seconds()/batches, at.name+"_batch_s")
			b.ReportMetric(float64(evaluated)/batches, at.name+"_evaluated/batch")
		}
	}
}

// loadTestShape builds what `make loadtest-reduced` stores, without NATS
// or a database: people roster records (SCIM users in one of six
// countries) and signIns successful Okta sign-ins spread evenly over 30
// days, each from its person's home address except about one in fifty
// from a hosting network, in time order (the store's order). It is built
// with the detecttest builders, not the load test's generator.
func loadTestShape(people, signIns int) []*event.Event {
	countries := []string{"US", "US", "GB", "DE", "CA", "PL"}
	rnd := rand.New(rand.NewPCG(7, 7))
	events := make([]*event.Event, 0, people+signIns)
	emails := make([]string, people)
	homes := make([]event.Network, people)
	for i := range people {
		id := "E" + strconv.Itoa(100000+i)
		emails[i] = strings.ToLower(id) + "@loadtest.example"
		c := rnd.IntN(len(countries))
		events = append(events, detecttest.Roster(i+1, id, emails[i], countries[c]))
		ip := netip.AddrFrom4([4]byte{byte(70 + c), byte(rnd.IntN(256)), byte(rnd.IntN(256)), byte(1 + rnd.IntN(254))})
		homes[i] = event.Network{IP: ip, Country: countries[c], ASN: uint32(7000 + c), ISP: "home isp " + countries[c]}
	}
	step := 30 * 24 * time.Hour / time.Duration(signIns)
	for i := range signIns {
		who := rnd.IntN(people)
		n := homes[who]
		if rnd.IntN(50) == 0 {
			n = event.Network{IP: netip.AddrFrom4([4]byte{95, 132, byte(rnd.IntN(256)), byte(1 + rnd.IntN(254))}),
				Country: "NL", ASN: 60781, ISP: "leaseweb netherlands b.v.", IsHosting: true}
		}
		events = append(events, detecttest.OktaSignIn(i+1, emails[who], detecttest.Start.Add(time.Duration(i)*step), n, "Mac OS X"))
	}
	return events
}

// BenchmarkIncrementalLoadTest measures an analysis in the load test's
// shape (10,000 roster people, 300,000 Okta sign-ins): a full analysis of
// the first 240,000 events, then a batch of 10,000 and a batch of 50,000
// new events through Incremental.Analyse. It reports each batch's time
// (ns/batch10k, ns/batch50k), the CPU time the process spent meanwhile
// (cpu-ns/…: on a machine shared with other work, a steadier figure than
// the wall time), the bytes it allocated (B/…: independent of the load)
// and the people it re-evaluated.
func BenchmarkIncrementalLoadTest(b *testing.B) {
	events := loadTestShape(10_000, 300_000)
	const base = 240_000
	ctx := context.Background()
	for range b.N {
		var inc Incremental
		start := time.Now()
		if _, err := inc.Analyse(ctx, events[:base], events[:base], Options{}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "full_s")
		at := base
		for _, n := range []int{10_000, 50_000} {
			name := "batch" + strconv.Itoa(n/1000) + "k"
			var res *Result
			var err error
			var mem runtime.MemStats
			runtime.ReadMemStats(&mem)
			allocated := mem.TotalAlloc
			start, cpu := time.Now(), cpuTime(b)
			// Labelled for the CPU profile: go tool pprof -tagfocus batch=batch10k
			pprof.Do(ctx, pprof.Labels("batch", name), func(ctx context.Context) {
				res, err = inc.Analyse(ctx, events[:at+n], events[at:at+n], Options{})
			})
			if err != nil {
				b.Fatal(err)
			}
			took, cpu := time.Since(start), cpuTime(b)-cpu
			runtime.ReadMemStats(&mem)
			allocated = mem.TotalAlloc - allocated
			at += n
			evaluated := len(res.Pop.People)
			if scope, ok := inc.Evaluated(); ok {
				evaluated = len(scope)
			}
			b.ReportMetric(float64(took.Nanoseconds()), "ns/"+name)
			b.ReportMetric(float64(cpu.Nanoseconds()), "cpu-ns/"+name)
			b.ReportMetric(float64(allocated), "B/"+name)
			b.ReportMetric(float64(evaluated), "evaluated/"+name)
		}
	}
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// simulatedEvents are the events of a simulated organisation (1,000
// people, 30 days, seed 3), in time order.
func simulatedEvents(b *testing.B) []*event.Event {
	b.Helper()
	dir := b.TempDir()
	org, err := sim.Generate(sim.Config{Seed: 3, People: 1000, Days: 30})
	if err != nil {
		b.Fatal(err)
	}
	if err := org.WriteDir(dir); err != nil {
		b.Fatal(err)
	}
	events := readEvents(b, dir)
	slices.SortStableFunc(events, byTime)
	return events
}

// BenchmarkStatePersist measures what a stream worker's save writes per
// batch: on the organisation of BenchmarkIncremental, after the first half
// is analysed and saved whole, batches of 1,000 events are analysed and
// saved with a store that patches (store.ResultsPatcher). It reports the
// people and findings in the report and those written per batch.
func BenchmarkStatePersist(b *testing.B) {
	events := simulatedEvents(b)
	const batch, batches = 1000, 5
	ctx := context.Background()
	for range b.N {
		st := &patchRecorder{Store: openLite(b)}
		s := State{Store: st}
		n := len(events) / 2
		s.takeIn(events[:n])
		var people, findings, savedPeople, savedFindings int
		for i := range batches + 1 {
			if i > 0 {
				s.takeIn(events[n+(i-1)*batch : n+i*batch])
			}
			res, err := s.Analyse(ctx, Options{})
			if err != nil {
				b.Fatal(err)
			}
			if err := s.Persist(ctx, res, time.Unix(0, 0)); err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				continue
			}
			p := st.patches[len(st.patches)-1]
			people += len(res.Report.People)
			savedPeople += len(p.People) + len(p.GonePeople)
			for _, person := range res.Report.People {
				findings += len(person.Indicators)
			}
			for _, at := range p.People {
				savedFindings += len(res.Report.People[at].Indicators)
			}
		}
		b.ReportMetric(float64(people)/batches, "people/batch")
		b.ReportMetric(float64(savedPeople)/batches, "people_saved/batch")
		b.ReportMetric(float64(findings)/batches, "findings/batch")
		b.ReportMetric(float64(savedFindings)/batches, "findings_saved/batch")
	}
}
