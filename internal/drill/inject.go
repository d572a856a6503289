package drill

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/sim"
)

// FilePrefix starts the file name of every injected record's provenance:
// evidence citing it is recognisably the drill's, and no real file has it.
const FilePrefix = "drill-injected/"

// injected is one persona the drill put into the data.
type injected struct {
	id       string // person id after re-keying, as the report names it
	simID    string // person id in the simulated organisation
	scenario *Scenario
	variant  string
	kind     string    // employee or applicant
	hired    time.Time // zero for applicants
	tells    []string  // indicators the generated records exhibit (the simulator's truth)
	events   []*event.Event
	evasions []string
}

// unit is one scenario instance: a cell, a lone operative, a wave.
type unit struct {
	scenario *Scenario
	variant  string
}

// plan says which scenario and variant cell i of the simulated
// organisation gets: scenarios in turn, standard on the first round and
// evasive on the next.
func plan(scenarios []*Scenario, i int) unit {
	v := Standard
	if (i/len(scenarios))%2 == 1 {
		v = Evasive
	}
	return unit{scenarios[i%len(scenarios)], v}
}

// generate simulates an organisation shaped after the profile whose first
// count cells follow the scenarios, and returns its records as events read
// through the same readers as the real inputs (only the formats the real
// data has), with the simulator's truth.
func generate(ctx context.Context, prof *Profile, scenarios []*Scenario, count int, seed int64) (*sim.Org, []*event.Event, error) {
	ops := 4*count + 4 // cells have 2–6 members: enough for count cells
	days := 30
	end := sim.DefaultEnd
	if !prof.End.IsZero() {
		end = prof.End
		days = int(prof.End.Sub(prof.Start)/(24*time.Hour)) + 1
	}
	days = min(max(days, sim.MinDays), sim.MaxDays)
	idp := sim.IdPOkta
	if prof.Has("entra") && !prof.Has("okta") {
		idp = sim.IdPEntra
	}
	cfg := sim.Config{
		Seed: seed*7919 + 104729, People: max(60, 5*ops), Days: days, End: end, IdP: idp, Operatives: ops,
		Shape: func(cell int, p *sim.Person) {
			if cell >= count {
				return
			}
			u := plan(scenarios, cell)
			mi := memberIndex(p)
			u.scenario.shape(p, mi)
			// Hired inside the data, so that the drill sees when they would
			// have been flagged: the first member a few days in, the next
			// ones a week apart, leaving three weeks to observe them.
			start := end.AddDate(0, 0, 1-days)
			p.MoveHire(start.AddDate(0, 0, min(2+7*mi, max(0, days-21))))
		},
	}
	org, err := sim.Generate(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("drill: %w", err)
	}
	var events []*event.Event
	for _, name := range org.Files() {
		format := simFormats[name]
		// The roster and the applicants are read even when the real data
		// lacks them: they say whose records are whose (choose); keep
		// drops what the real data would not have.
		if format == "" || !prof.Has(format) && format != "scim" && format != "greenhouse" {
			continue
		}
		res, err := ingestGenerated(ctx, org, name)
		if err != nil {
			return nil, nil, err
		}
		events = append(events, res...)
	}
	return org, events, nil
}

// simFormats are the formats of the files the simulator writes.
var simFormats = map[string]string{
	sim.FileOkta: "okta", sim.FileEntra: "entra", sim.FileRoster: "scim", sim.FileCandidates: "greenhouse",
	sim.FilePayroll: "payroll", sim.FileShipments: "shipments", sim.FileWorkspace: "gworkspace",
	sim.FileGitHub: "github", sim.FileGitLog: "gitlog", sim.FileOsquery: "osquery",
}

// ingestGenerated streams one generated file through the pipeline's
// reader, as a file of the inputs would be read.
func ingestGenerated(ctx context.Context, org *sim.Org, name string) ([]*event.Event, error) {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<16)
		err := org.WriteFile(name, bw)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	res, err := pipeline.Ingest(ctx, pipeline.Body{Name: FilePrefix + name, Reader: pr}, nil)
	pr.CloseWithError(io.ErrClosedPipe) // unblocks the writer if the reader stopped early
	if err != nil {
		return nil, fmt.Errorf("drill: reading generated %s: %w", name, err)
	}
	if len(res.Rejected) > 0 {
		return nil, fmt.Errorf("drill: generated %s: record %d rejected: %s (please report this)", name, res.Rejected[0].Record, res.Rejected[0].Reason)
	}
	return res.Events, nil
}

func memberIndex(p *sim.Person) int {
	for i, m := range p.Op.Cell.Members {
		if m == p {
			return i
		}
	}
	return 0
}

// choose picks the personas of the first count cells and their events.
func choose(prof *Profile, org *sim.Org, events []*event.Event, scenarios []*Scenario, count int) []*injected {
	pop := identity.Resolve(events)
	tells := map[string][]string{}
	for _, op := range org.Truth().Operatives {
		tells[op.ID] = op.Tells
	}
	var out []*injected
	for ci, c := range org.Cells {
		if ci >= count {
			break
		}
		u := plan(scenarios, ci)
		add := func(simID, kind string, hired time.Time) {
			p := pop.ByID[simID]
			if p == nil {
				return
			}
			var keep []*event.Event
			for _, e := range personEvents(p) {
				if prof.Has(e.Prov.Source()) {
					keep = append(keep, e)
				}
			}
			out = append(out, &injected{simID: simID, scenario: u.scenario, variant: u.variant, kind: kind, hired: hired, tells: tells[simID], events: keep})
		}
		members := c.Members
		if u.scenario.hired >= 0 {
			members = members[:min(len(members), u.scenario.hired)]
		}
		for _, m := range members {
			add(m.ID(), profile.KindEmployee, m.Hired)
		}
		if u.scenario.applicants {
			for _, cand := range c.Personas {
				add(cand.PersonID(), profile.KindApplicant, time.Time{})
			}
		}
	}
	return out
}

// personEvents lists every record resolved to p.
func personEvents(p *profile.Person) []*event.Event {
	var out []*event.Event
	if p.Roster != nil {
		out = append(out, p.Roster)
	}
	for _, es := range [][]*event.Event{p.Applicants, p.SignIns, p.Audits, p.Commits, p.Devices, p.Payouts, p.Shipments, p.Profiles, p.Resumes} {
		out = append(out, es...)
	}
	return out
}

// rekey gives the personas identifiers in the company's own styles that
// no real record uses: employee numbers and candidate ids after the
// largest in use, work emails on the company's domain. Every string field
// of their records equal to an old identifier is rewritten.
func rekey(prof *Profile, personas []*injected) {
	ids := map[string]string{}
	var nEmp, nCand int
	newID := func(style idStyle, fallback string, n *int) string {
		for {
			id := style.format(fallback, *n)
			*n++
			if !prof.ids[id] {
				prof.ids[id] = true
				return id
			}
		}
	}
	for _, ip := range personas {
		// An applicant persona applies whether or not the inputs have
		// applicant data: it gets an id even with no records to carry it.
		if cid, ok := strings.CutPrefix(ip.simID, profile.ApplicantIDPrefix); ok {
			if _, done := ids[cid]; !done {
				ids[cid] = newID(prof.candStyle, "9000000", &nCand)
			}
		} else if _, done := ids[ip.simID]; !done {
			ids[ip.simID] = newID(prof.idStyle, "DRILL-E", &nEmp) // also without a roster record to carry it
		}
		for _, e := range ip.events {
			switch {
			case e.Person != nil:
				if _, ok := ids[e.Person.EmployeeID]; !ok {
					ids[e.Person.EmployeeID] = newID(prof.idStyle, "DRILL-E", &nEmp)
				}
				for _, m := range append([]string{e.Person.UserName}, e.Person.Emails...) {
					rekeyEmail(prof, ids, m)
				}
			case e.Applicant != nil:
				if _, ok := ids[e.Applicant.CandidateID]; !ok {
					ids[e.Applicant.CandidateID] = newID(prof.candStyle, "9000000", &nCand)
				}
			}
		}
	}
	disjoint(prof, personas, ids)
	rewrite := func(s string) string {
		if v, ok := ids[s]; ok {
			return v
		}
		if v, ok := ids[strings.ToLower(s)]; ok {
			return v
		}
		return s
	}
	for _, ip := range personas {
		for _, e := range ip.events {
			rewriteStrings(reflect.ValueOf(e).Elem(), rewrite)
			if e.Person != nil && e.Person.Manager != "" && !isNew(ids, e.Person.Manager) {
				e.Person.Manager = prof.Manager
			}
			if e.Applicant != nil {
				for i := range e.Applicant.Applications {
					a := &e.Applicant.Applications[i]
					if a.CreditedToEmployee != "" && !isNew(ids, a.CreditedToEmployee) {
						a.CreditedToEmployee, a.CreditedToName = "", "" // a referrer outside the drill is no one real
					}
				}
			}
		}
		if strings.HasPrefix(ip.simID, profile.ApplicantIDPrefix) {
			ip.id = profile.ApplicantIDPrefix + rewrite(strings.TrimPrefix(ip.simID, profile.ApplicantIDPrefix))
		} else {
			ip.id = rewrite(ip.simID)
		}
	}
}

func isNew(ids map[string]string, v string) bool {
	for _, n := range ids {
		if n == v {
			return true
		}
	}
	return false
}

// rekeyEmail maps a simulated work email to the company's domain, kept
// unique among the real emails.
func rekeyEmail(prof *Profile, ids map[string]string, m string) {
	m = strings.ToLower(m)
	at := strings.LastIndexByte(m, '@')
	if at < 0 || prof.EmailDomain == "" || ids[m] != "" || !strings.HasSuffix(m, "@"+sim.CompanyDomain) {
		return
	}
	local := m[:at]
	for n := 0; ; n++ {
		cand := local + "@" + prof.EmailDomain
		if n > 0 {
			cand = local + strconv.Itoa(n+1) + "@" + prof.EmailDomain
		}
		if !prof.emails[cand] {
			prof.emails[cand] = true
			ids[m] = cand
			return
		}
	}
}

// rewriteRow applies f to every value of an osquery row.
func rewriteRow(r *event.Row, f func(string) string) {
	for col, val := range r.All() {
		if s := f(val); s != val {
			r.Set(col, s)
		}
	}
}

// rewriteStrings applies f to every settable string reachable from v
// (fields, slices, map values), leaving times and addresses alone.
func rewriteStrings(v reflect.Value, f func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			if s := f(v.String()); s != v.String() {
				v.SetString(s)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			rewriteStrings(v.Elem(), f)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		if v.Type() == reflect.TypeFor[event.Row]() {
			if v.CanAddr() {
				rewriteRow(v.Addr().Interface().(*event.Row), f)
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				rewriteStrings(v.Field(i), f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			rewriteStrings(v.Index(i), f)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			if s := f(v.MapIndex(k).String()); s != v.MapIndex(k).String() {
				v.SetMapIndex(k, reflect.ValueOf(s))
			}
		}
	}
}
