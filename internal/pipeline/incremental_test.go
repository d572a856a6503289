package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/list"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
)

// readEvents reads the events of the inputs under dir, in file order.
func readEvents(tb testing.TB, dir string) []*event.Event {
	tb.Helper()
	jobs, err := plan([]Input{{Path: dir}})
	if err != nil {
		tb.Fatal(err)
	}
	files, err := readAll(context.Background(), jobs, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var events []*event.Event
	for _, f := range files {
		if f.err != nil {
			tb.Fatal(f.err)
		}
		events = append(events, f.Events...)
	}
	return events
}

// seen is a person-scoped indicator that finds nothing and records whom
// it evaluated.
type seen struct {
	detect.Indicator
	mu     sync.Mutex
	people map[string]bool
}

func (s *seen) ID() string    { return "TST-99" }
func (s *seen) PersonScoped() {}
func (s *seen) Detect(_ context.Context, in *detect.Input) ([]detect.Finding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.people = map[string]bool{}
	for _, p := range in.People() {
		s.people[p.ID] = true
	}
	return nil, nil
}

func reportJSON(t *testing.T, rep *report.Report) string {
	t.Helper()
	var raw, buf bytes.Buffer
	if err := (report.JSON{}).Write(&raw, rep); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&buf, raw.Bytes(), "", " "); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestIncremental_matches_a_full_analysis splits the seeded simulation
// into batches at random (a roster record may come after its person's
// sign-ins, an applicant after the employee) and checks, after every
// batch, that the incremental analysis reports exactly what a full
// analysis of the same events reports. A last batch of one sign-in then
// re-evaluates only its person and those linked to them.
func TestIncremental_matches_a_full_analysis(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the seeded simulation several times")
	}
	ctx := context.Background()
	events := readEvents(t, seededSim(t))
	rnd := rand.New(rand.NewPCG(9, 9))
	batches := make([][]*event.Event, 3)
	for _, e := range events {
		i := rnd.IntN(len(batches))
		batches[i] = append(batches[i], e)
	}
	probe := &seen{}
	opts := Options{Indicators: append(list.Indicators(), probe)}
	var s State
	var evaluated map[string]bool // by the probe, in the last incremental analysis
	analyse := func(name string, batch []*event.Event) {
		s.takeIn(batch)
		got, err := s.Analyse(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		evaluated = probe.people
		gotJSON := reportJSON(t, got.Report) // before the full analysis restamps the shared events
		want, err := Analyse(ctx, slices.Clone(s.Events()), opts)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(reportJSON(t, want.Report), gotJSON); diff != "" {
			t.Fatalf("%s: incremental report differs from a full analysis (-full +incremental):\n%s", name, diff)
		}
	}
	for i, b := range batches {
		analyse("batch "+strconv.Itoa(i), b)
		if scope, ok := s.Evaluated(); i > 0 && ok && !cmp.Equal(scope, evaluated) {
			t.Errorf("batch %d: the probe saw %d people, the scope has %d", i, len(evaluated), len(scope))
		}
	}

	// One more sign-in of one person.
	pop := s.inc.pop
	var who string
	var last *event.Event
	for _, p := range pop.People {
		if len(p.SignIns) > 0 {
			who, last = p.ID, p.SignIns[len(p.SignIns)-1]
			break
		}
	}
	if last == nil {
		t.Fatal("nobody signed in")
	}
	e := *last
	e.Prov.Record, e.Prov.Hash = 1<<30, "incremental-test"
	e.Time = e.Time.Add(1)
	analyse("one sign-in", []*event.Event{&e})
	scope, ok := s.Evaluated()
	if !ok {
		t.Fatal("one more sign-in re-evaluated everyone")
	}
	if !scope[who] || len(scope) >= len(pop.People)/2 {
		t.Errorf("one sign-in of %s re-evaluated %d of %d people (%s included: %t)", who, len(scope), len(pop.People), who, scope[who])
	}
	if diff := cmp.Diff(scope, evaluated); diff != "" {
		t.Errorf("people evaluated by a person-scoped indicator (-scope +evaluated):\n%s", diff)
	}
	linked := pop.Index.Linked(map[string]bool{who: true})
	for id := range scope {
		if !linked[id] {
			t.Errorf("%s was re-evaluated but shares nothing with %s", id, who)
		}
	}
}

// TestIncremental_stream analyses the seeded simulation as a stream
// worker does, in time order: all of it, then batches past its end —
// sign-ins of known accounts (resolved on their own), one of them from
// another person's address (a new shared IP), a roster change that gives
// one employee another's phone (a new shared identifier: everything is
// resolved again), and sign-ins after it — checking after each that the
// report is a full analysis's.
func TestIncremental_stream(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses the seeded simulation several times")
	}
	ctx := context.Background()
	events := readEvents(t, seededSim(t))
	slices.SortStableFunc(events, byTime)
	var s State
	s.takeIn(events)
	if _, err := s.Analyse(ctx, Options{}); err != nil {
		t.Fatal(err)
	}
	pop := s.inc.pop
	end := dataEnd(pop, events)
	record := 1 << 30
	// again is a copy of e as a new record at a time past the end.
	again := func(e *event.Event, after time.Duration) *event.Event {
		c := *e
		record++
		c.Prov.Record, c.Prov.Hash, c.Time = record, "stream-test-"+strconv.Itoa(record), end.Add(after)
		c.Facts = event.Facts{}
		return &c
	}
	var signedIn []*profile.Person // employees with sign-ins and a phone, by id
	for _, p := range pop.People {
		if len(p.SignIns) > 0 && p.Roster != nil && len(p.HR().Phones) > 0 {
			signedIn = append(signedIn, p)
		}
	}
	if len(signedIn) < 10 {
		t.Fatalf("%d employees with sign-ins and phones", len(signedIn))
	}
	lastSignIn := func(p *profile.Person) *event.Event { return p.SignIns[len(p.SignIns)-1] }
	var later []*event.Event
	for i, p := range signedIn[:6] {
		later = append(later, again(lastSignIn(p), time.Duration(i+1)*time.Minute))
	}
	// signedIn[0] signs in from where signedIn[9] last did.
	x, y := signedIn[0], signedIn[9]
	shared := again(lastSignIn(x), time.Hour)
	sig := *shared.SignIn
	sig.Net = lastSignIn(y).SignIn.Net
	shared.SignIn = &sig
	// A new roster snapshot gives x y's phone.
	moved := again(x.Roster, 2*time.Hour)
	hr := *x.HR()
	hr.Phones, hr.Modified = slices.Clone(y.HR().Phones), moved.Time
	moved.Person = &hr
	var after []*event.Event
	for i, p := range signedIn[3:8] {
		after = append(after, again(lastSignIn(p), 3*time.Hour+time.Duration(i)*time.Minute))
	}

	for _, st := range []struct {
		name      string
		batch     []*event.Event
		onItsOwn  bool // identity resolution of the batch alone
		evaluated []string
	}{
		{"sign_ins", later, true, nil},
		{"a_shared_ip", []*event.Event{shared}, true, []string{x.ID, y.ID}},
		{"a_roster_change", []*event.Event{moved}, false, []string{x.ID, y.ID}},
		{"sign_ins_after_it", after, true, nil},
	} {
		before := s.inc.resolvedFresh
		s.takeIn(st.batch)
		got, err := s.Analyse(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		gotJSON := reportJSON(t, got.Report)
		want, err := Analyse(ctx, slices.Clone(s.Events()), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(reportJSON(t, want.Report), gotJSON); diff != "" {
			t.Fatalf("%s: incremental report differs from a full analysis (-full +incremental):\n%s", st.name, diff)
		}
		if !reflect.DeepEqual(got.Pop.Index, want.Pop.Index) || !got.Pop.DeviceStates.Equal(want.Pop.DeviceStates) {
			t.Errorf("%s: the population indexes or device states differ from a full analysis's", st.name)
		}
		if onItsOwn := s.inc.resolvedFresh > before; onItsOwn != st.onItsOwn {
			t.Errorf("%s: identities of the batch alone resolved: %t, want %t", st.name, onItsOwn, st.onItsOwn)
		}
		scope, ok := s.Evaluated()
		if !ok {
			t.Fatalf("%s: everyone was re-evaluated", st.name)
		}
		for _, id := range st.evaluated {
			if !scope[id] {
				t.Errorf("%s: %s was not re-evaluated", st.name, id)
			}
		}
	}
}
