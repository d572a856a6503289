package sim

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"
)

// Truth is the ground truth of a simulated organisation (truth.json).
// Person ids follow the report's convention: employees by employee number,
// applicants never hired by "cand-<candidate id>".
type Truth struct {
	Seed       int64            `json:"seed"`
	People     int              `json:"people"`
	Days       int              `json:"days"`
	Start      time.Time        `json:"start"`
	End        time.Time        `json:"end"`
	IdP        string           `json:"idp"`        // the identity provider whose sign-in log was written: okta or entra
	Employees  int              `json:"employees"`  // roster size
	Applicants int              `json:"applicants"` // candidates never hired
	Operatives []TruthOperative `json:"operatives"`
	Cells      []TruthCell      `json:"cells"`
	Legitimate []TruthLegit     `json:"legitimate"`
}

// TruthOperative is one covert operative persona: a hired employee or an
// applicant persona that was never hired.
type TruthOperative struct {
	ID           string   `json:"id"`
	EmployeeID   string   `json:"employee_id,omitempty"`
	CandidateIDs []string `json:"candidate_ids"`
	Kind         string   `json:"kind"` // "employee" or "applicant"
	Name         string   `json:"name"`
	Cell         string   `json:"cell"`
	Tells        []string `json:"tells"` // indicator IDs (INDICATORS.md) the data really exhibits
	Careful      bool     `json:"careful"`
}

// TruthCell is one cell and its members' ids.
type TruthCell struct {
	ID      string   `json:"id"`
	Members []string `json:"members"`
}

// TruthLegit is a legitimate person whose data carries hard-negative
// behaviours.
type TruthLegit struct {
	ID         string   `json:"id"`
	Behaviours []string `json:"behaviours"`
}

// IsOperative reports whether id is an operative.
func (t *Truth) IsOperative(id string) bool {
	return slices.ContainsFunc(t.Operatives, func(op TruthOperative) bool { return op.ID == id })
}

// LoadTruth reads a truth.json file.
func LoadTruth(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("truth file: %w", err)
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("truth file %q: %w", path, err)
	}
	return &t, nil
}

// computeTruth assembles the truth from the generated organisation.
func (o *Org) computeTruth() *Truth {
	t := &Truth{Seed: o.cfg.Seed, People: o.cfg.People, Days: o.cfg.Days, Start: o.start, End: o.end, IdP: o.cfg.IdP, Employees: len(o.People)}
	for _, c := range o.Candidates {
		if c.Employee == nil {
			t.Applicants++
		}
	}
	tl := o.newTellIndex()
	for _, c := range o.Cells {
		tc := TruthCell{ID: c.ID}
		for _, p := range c.Members {
			op := TruthOperative{ID: p.ID(), EmployeeID: p.EmployeeNumber, CandidateIDs: []string{}, Kind: "employee",
				Name: p.Name(), Cell: c.ID, Tells: tl.employeeTells(p), Careful: p.Op.Careful}
			if p.Candidate != nil {
				op.CandidateIDs = append(op.CandidateIDs, strconv.FormatInt(p.Candidate.ID, 10))
			}
			t.Operatives = append(t.Operatives, op)
			tc.Members = append(tc.Members, op.ID)
		}
		for _, cand := range c.Personas {
			op := TruthOperative{ID: cand.PersonID(), CandidateIDs: []string{strconv.FormatInt(cand.ID, 10)}, Kind: "applicant",
				Name: cand.Given + " " + cand.Family, Cell: c.ID, Tells: tl.candidateTells(cand)}
			t.Operatives = append(t.Operatives, op)
			tc.Members = append(tc.Members, op.ID)
		}
		t.Cells = append(t.Cells, tc)
	}
	for _, p := range o.People {
		if p.Op != nil || len(p.Behaviours) == 0 {
			continue
		}
		if b := o.manifested(p); len(b) > 0 {
			t.Legitimate = append(t.Legitimate, TruthLegit{ID: p.ID(), Behaviours: b})
		}
	}
	for _, c := range o.Candidates {
		if c.Employee == nil && c.Cell == nil && len(c.Behaviours) > 0 {
			t.Legitimate = append(t.Legitimate, TruthLegit{ID: c.PersonID(), Behaviours: slices.Clone(c.Behaviours)})
		}
	}
	return t
}

// manifested returns the behaviours of p that really show in the data:
// behaviours that depend on chance (a mobile sign-in, a VPN session…) are
// kept only when at least one activity shows them, and those of the
// code-host, git and endpoint data only when p's records there show them.
func (o *Org) manifested(p *Person) []string {
	needs := map[string]func(a *Activity) bool{
		BehaviourMobileCGNAT:    func(a *Activity) bool { return a.Egress.ISP.Key == "tmobile" },
		BehaviourConsumerVPN:    func(a *Activity) bool { return a.Egress.Proxy },
		BehaviourPersonalDevice: func(a *Activity) bool { return !a.Device.Managed && !a.Device.Mobile },
		BehaviourOffice:         func(a *Activity) bool { return a.Egress == o.office.Egress },
		BehaviourNightOwl: func(a *Activity) bool {
			h := a.Start.In(p.Loc()).Hour()
			return h >= 1 && h < 4
		},
	}
	var acts []*Activity
	var sr *sourceRecords
	var out []string
	for _, b := range p.Behaviours {
		if shows, ok := sourceBehaviours[b]; ok {
			if acts == nil {
				acts = o.PersonActivities(p)
			}
			if sr == nil {
				sr = o.personSourceRecords(p, acts)
			}
			if shows(o, p, sr) {
				out = append(out, b)
			}
			continue
		}
		f, chancy := needs[b]
		if !chancy {
			out = append(out, b)
			continue
		}
		if acts == nil {
			acts = o.PersonActivities(p)
		}
		if slices.ContainsFunc(acts, f) {
			out = append(out, b)
		}
	}
	slices.Sort(out)
	return out
}
