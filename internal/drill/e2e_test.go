package drill

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/sim"
)

// company is a small simulated company the end-to-end drills run on,
// written once per test binary (removed by TestMain).
var company struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if company.dir != "" {
		os.RemoveAll(company.dir)
	}
	os.Exit(code)
}

// companyFiles returns the files of a 120-person, 30-day simulation,
// without truth.json (which is not company data) and without the files
// whose names contain one of drop.
func companyFiles(t *testing.T, drop ...string) []pipeline.Input {
	t.Helper()
	if raceEnabled {
		t.Skip("end-to-end drills run without -race (make test runs them in its race-free step)")
	}
	company.once.Do(func() {
		if company.dir, company.err = os.MkdirTemp("", "rollcall-drill-"); company.err != nil {
			return
		}
		org, err := sim.Generate(sim.Config{Seed: 3, People: 120, Days: 30})
		if err != nil {
			company.err = err
			return
		}
		company.err = org.WriteDir(company.dir)
	})
	if company.err != nil {
		t.Fatal(company.err)
	}
	var in []pipeline.Input
	for _, name := range []string{sim.FileRoster, sim.FileCandidates, sim.FilePayroll, sim.FileShipments, sim.FileOkta, sim.FileWorkspace, sim.FileGitHub, sim.FileGitLog, sim.FileOsquery} {
		if !slices.ContainsFunc(drop, func(d string) bool { return strings.Contains(name, d) }) {
			in = append(in, pipeline.Input{Path: filepath.Join(company.dir, name)})
		}
	}
	return in
}

// fullDrill is the drill over every file of the company, run once.
var fullDrill struct {
	once sync.Once
	rep  *Report
	err  error
}

func runFull(t *testing.T) *Report {
	t.Helper()
	in := companyFiles(t)
	fullDrill.once.Do(func() {
		fullDrill.rep, fullDrill.err = Run(context.Background(), Options{Scan: pipeline.Options{Inputs: in}, Seed: 1})
	})
	if fullDrill.err != nil {
		t.Fatal(fullDrill.err)
	}
	return fullDrill.rep
}

func TestDrillJSONHasTheReportedFields(t *testing.T) {
	rep := runFull(t)
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"injected", "caught", "personas", "blind_spots", "coverage"} {
		if _, ok := got[k]; !ok {
			t.Errorf("drill JSON has no %q", k)
		}
	}
	personas, _ := got["personas"].([]any)
	if len(personas) == 0 || len(personas) != int(got["injected"].(float64)) {
		t.Fatalf("personas = %d, injected = %v", len(personas), got["injected"])
	}
	for _, p := range personas {
		for _, k := range []string{"id", "scenario", "variant", "caught", "level", "days_to_flag", "fired", "silent"} {
			if _, ok := p.(map[string]any)[k]; !ok {
				t.Errorf("persona %v has no %q", p.(map[string]any)["id"], k)
			}
		}
	}
	for _, s := range Library {
		for _, v := range []string{Standard, Evasive} {
			if !slices.ContainsFunc(rep.Personas, func(p Persona) bool { return p.Scenario == s.ID && p.Variant == v }) {
				t.Errorf("no %s %s persona injected", v, s.ID)
			}
		}
	}
}

func TestDrillCatchesNonEvasivePersonasAndReportsEvasiveOnes(t *testing.T) {
	rep := runFull(t)
	var std, stdCaught, evasive int
	for _, p := range rep.Personas {
		switch p.Variant {
		case Standard:
			std++
			if p.Caught {
				stdCaught++
			}
		case Evasive:
			evasive++
			if !p.Caught && len(p.WouldCatch) == 0 {
				t.Errorf("evasive persona %s got through without saying what would have caught it", p.ID)
			}
		}
		if p.Caught && p.Kind == "employee" && (p.DaysToFlag == nil || *p.DaysToFlag < 0) {
			t.Errorf("caught employee persona %s has days_to_flag %v", p.ID, p.DaysToFlag)
		}
		if p.Caught && p.Kind == "applicant" && p.Stage != "hiring" {
			t.Errorf("caught applicant persona %s: stage %q, want hiring", p.ID, p.Stage)
		}
		if p.Caught != (len(p.Fired) > 0) && p.Caught {
			t.Errorf("persona %s caught with nothing fired", p.ID)
		}
	}
	if std == 0 || float64(stdCaught) < 0.9*float64(std) {
		t.Errorf("caught %d of %d non-evasive personas, want at least 90%%", stdCaught, std)
	}
	if evasive == 0 {
		t.Error("no evasive persona injected")
	}
	t.Logf("non-evasive: %d of %d caught; evasive: %d injected, %d caught overall of %d", stdCaught, std, evasive, rep.Caught, rep.Injected)
}

func TestDrillLeavesRealPeopleUnchanged(t *testing.T) {
	in := companyFiles(t)
	before := hashFiles(t, in)
	rep := runFull(t)
	plain, err := pipeline.Scan(context.Background(), pipeline.Options{Inputs: in})
	if err != nil {
		t.Fatal(err)
	}
	drilled := map[string]int{}
	for i, p := range rep.analysis.People {
		drilled[p.ID] = i
	}
	for _, p := range plain.Report.People {
		i, ok := drilled[p.ID]
		if !ok {
			t.Errorf("real person %s missing from the drill's analysis", p.ID)
			continue
		}
		if q := rep.analysis.People[i]; q.Score != p.Score || q.Level != p.Level || q.Flagged != p.Flagged {
			t.Errorf("real person %s: scan %d/%s, drill %d/%s", p.ID, p.Score, p.Level, q.Score, q.Level)
		}
	}
	if !rep.Real.Unchanged || rep.Real.People != len(plain.Report.People) {
		t.Errorf("real-people check = %+v, want unchanged over %d people", rep.Real, len(plain.Report.People))
	}
	real := map[string]bool{}
	for _, p := range plain.Report.People {
		real[p.ID] = true
	}
	for _, p := range rep.Personas {
		if real[p.ID] {
			t.Errorf("persona id %s is a real person's id", p.ID)
		}
		ap := rep.analysis.People[drilled[p.ID]]
		for _, ind := range ap.Indicators {
			if !slices.ContainsFunc(ind.Evidence, func(ev event.Evidence) bool { return strings.HasPrefix(ev.File, FilePrefix) }) {
				t.Errorf("persona %s: %s cites no injected record: %v", p.ID, ind.ID, ind.Evidence)
			}
		}
	}
	if after := hashFiles(t, in); !slices.Equal(before, after) {
		t.Error("the drill changed its input files")
	}
}

func TestDrillWithoutASourceShowsBlindSpotsAndCatchesFewer(t *testing.T) {
	full := runFull(t)
	in := companyFiles(t, "osquery", "greenhouse")
	rep, err := Run(context.Background(), Options{Scan: pipeline.Options{Inputs: in}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.CatchRate >= full.CatchRate {
		t.Errorf("catch rate without osquery and greenhouse %.2f, with them %.2f: want lower", rep.CatchRate, full.CatchRate)
	}
	endpoint := spot(rep.BlindSpots, "no endpoint data")
	if endpoint == "" || !strings.Contains(endpoint, "END-03") || !strings.Contains(endpoint, "usb_devices") {
		t.Errorf("blind spots %q: want one for the missing endpoint data naming END-03 and usb_devices", rep.BlindSpots)
	}
	if spot(full.BlindSpots, "no endpoint data") != "" {
		t.Errorf("full drill reports missing endpoint data: %q", full.BlindSpots)
	}
	if s := spot(rep.BlindSpots, "no applicant data"); !strings.Contains(s, "APP-12") {
		t.Errorf("blind spots %q: want one for the missing applicant data naming APP-12", rep.BlindSpots)
	}
	for _, c := range rep.Coverage {
		if c.Indicator == "END-03" && (c.CanFire || c.Fired > 0) {
			t.Errorf("END-03 without osquery: %+v", c)
		}
	}
	for _, p := range rep.Personas {
		if p.Kind == "applicant" && p.Caught {
			t.Errorf("applicant persona %s caught without applicant data", p.ID)
		}
	}
}

func TestDrillIsDeterministic(t *testing.T) {
	in := companyFiles(t)
	var out [2][]byte
	for i := range out {
		rep, err := Run(context.Background(), Options{Scan: pipeline.Options{Inputs: in}, Seed: 4, Count: 2, Scenarios: []string{"careful-cell"}})
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	}
	if string(out[0]) != string(out[1]) {
		t.Error("two drills with the same seed differ")
	}
}

func spot(spots []string, prefix string) string {
	for _, s := range spots {
		if strings.HasPrefix(s, prefix) {
			return s
		}
	}
	return ""
}

func hashFiles(t *testing.T, in []pipeline.Input) [][32]byte {
	t.Helper()
	var out [][32]byte
	for _, i := range in {
		b, err := os.ReadFile(i.Path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sha256.Sum256(b))
	}
	return out
}

// TestDrillScenariosShowWhatTheyModel: each scenario's standard personas
// carry its signature tell, and the evasive variants really evade.
func TestDrillScenariosShowWhatTheyModel(t *testing.T) {
	rep := runFull(t)
	fired := func(p Persona, ids ...string) bool {
		return slices.ContainsFunc(p.Fired, func(f Fired) bool { return slices.Contains(ids, f.ID) })
	}
	for _, p := range rep.Personas {
		switch {
		case p.Variant == Standard && p.Scenario == "laptop-farm" && !fired(p, "ONB-02", "NET-01", "IAM-03"):
			t.Errorf("laptop-farm persona %s shows no shared farm (ONB-02, NET-01, IAM-03): %+v", p.ID, p.Fired)
		case p.Variant == Standard && p.Scenario == "careful-cell" && !fired(p, "IAM-02", "PAY-01"):
			t.Errorf("careful-cell persona %s shows no shared MFA phone or payout: %+v", p.ID, p.Fired)
		case p.Variant == Standard && p.Scenario == "lone-bulk-cloner" && !fired(p, "NET-05", "OFF-04"):
			t.Errorf("lone-bulk-cloner persona %s shows no bulk clone: %+v", p.ID, p.Fired)
		case p.Variant == Evasive && p.Scenario == "laptop-farm":
			if fired(p, "ONB-02", "END-03") {
				t.Errorf("evasive laptop-farm persona %s still shares a ship-to or shows a PiKVM: %+v", p.ID, p.Fired)
			}
			if !slices.Contains(p.Evasions, EvadeForwarder) {
				t.Errorf("evasive laptop-farm persona %s: evasions %v", p.ID, p.Evasions)
			}
		case p.Variant == Evasive && p.Kind == "applicant" && fired(p, "APP-01"):
			t.Errorf("evasive applicant %s still shares a contact (APP-01)", p.ID)
		}
	}
}
