// Package eval scores a rollcall JSON report against the ground truth of a
// simulated organisation (internal/sim): operatives caught, precision and
// recall, false positives among legitimate people (overall and among those
// with hard-negative behaviours, by behaviour), how well the report's
// clusters reconstruct the true cells, and per-indicator precision/recall,
// recall contribution and false positives by class and behaviour.
package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/sim"
)

// LoadTruth reads a truth.json written by the simulator.
func LoadTruth(path string) (*sim.Truth, error) { return sim.LoadTruth(path) }

// LoadReport reads a rollcall JSON report file.
func LoadReport(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report file: %w", err)
	}
	return b, nil
}

// report is the part of the JSON report (DESIGN.md §5) that eval reads.
type report struct {
	People []struct {
		ID           string   `json:"id"`
		EmployeeID   string   `json:"employee_id"`
		CandidateIDs []string `json:"candidate_ids"`
		Flagged      bool     `json:"flagged"`
		Indicators   []struct {
			ID string `json:"id"`
		} `json:"indicators"`
	} `json:"people"`
	Clusters []struct {
		ID      string   `json:"id"`
		Members []string `json:"members"`
	} `json:"clusters"`
}

// Result is the evaluation of one report.
type Result struct {
	Operatives          int      // operative personas in the truth (employees and applicants)
	Caught              int      // of which flagged in the report
	EmployeeOperatives  int      //
	EmployeeCaught      int      //
	ApplicantOperatives int      //
	ApplicantCaught     int      //
	CarefulOperatives   int      //
	CarefulCaught       int      //
	Missed              []string // operatives not flagged (absent ones included)
	Absent              []string // operatives the report does not list at all

	Flagged          int      // people flagged in the report
	FalsePositives   int      // flagged people who are not operatives
	FalsePositiveIDs []string //
	Precision        float64  // caught / flagged (0 when nothing is flagged)
	Recall           float64  // caught / operatives

	Legitimate        int     // legitimate people (population minus operatives)
	FalsePositiveRate float64 // false positives / legitimate

	HardNegatives   int             // legitimate people with hard-negative behaviours
	HardNegativeFP  int             // of which flagged
	HardNegativeFPR float64         //
	Behaviours      []BehaviourStat // by behaviour, sorted by name

	Cells           []CellMatch // by true cell
	MeanBestJaccard float64     // mean of the cells' best Jaccard similarity
	ExactCells      int         // cells some report cluster rebuilds exactly (Jaccard 1)
	Clusters        int         // clusters in the report
	CleanClusters   int         // clusters without any operative

	Indicators []IndicatorStat // by indicator id
}

// BehaviourStat is how often legitimate people with one hard-negative
// behaviour were flagged.
type BehaviourStat struct {
	Behaviour string
	People    int
	Flagged   int
	Rate      float64
	IDs       []string // the flagged ones
	// By counts, per indicator, the flagged ones it fired on: which
	// indicators the false positives of the behaviour came through.
	By map[string]int
}

// CellMatch is the report cluster that best reconstructs a true cell.
type CellMatch struct {
	Cell           string
	Members        int
	Cluster        string // "" when no cluster shares a member
	ClusterMembers int
	Common         int
	Jaccard        float64
	Exact          bool // the cluster holds exactly the cell's members
}

// IndicatorStat says how an indicator separates operatives from the rest.
type IndicatorStat struct {
	ID           string
	Fired        int     // people it fired on
	OnOperatives int     // of which operatives
	Precision    float64 // OnOperatives / Fired
	Recall       float64 // OnOperatives / operatives
	WithTell     int     // operatives whose truth lists the indicator as a tell
	TellCaught   int     // of which the indicator fired on
	TellRecall   float64 // TellCaught / WithTell (0 when WithTell is 0)
	// CaughtWith counts the flagged operatives it fired on: its part in
	// the recall (the operatives it helped catch).
	CaughtWith int
	// False positives by class: the legitimate employees and applicants
	// (never hired) it fired on, and how many of those were flagged.
	FPEmployees  int
	FPApplicants int
	FPFlagged    int
	// OnBehaviours counts, per hard-negative behaviour, the legitimate
	// people with that behaviour it fired on.
	OnBehaviours map[string]int
	// FalsePositiveRate is FPFlagged / legitimate people: the share of
	// honest people it helped flag.
	FalsePositiveRate float64
}

// person is a report person resolved to a truth id.
type person struct {
	flagged    bool
	indicators map[string]bool
}

// Evaluate scores a JSON report against the truth.
func Evaluate(t *sim.Truth, reportJSON []byte) (*Result, error) {
	var rep report
	if err := json.Unmarshal(reportJSON, &rep); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if t == nil {
		return nil, fmt.Errorf("truth: none given")
	}
	res := &Result{}
	resolve := newResolver(t)

	people := map[string]*person{}
	for _, p := range rep.People {
		id := resolve.id(p.ID, p.EmployeeID, p.CandidateIDs)
		q := people[id]
		if q == nil {
			q = &person{indicators: map[string]bool{}}
			people[id] = q
		}
		q.flagged = q.flagged || p.Flagged
		for _, in := range p.Indicators {
			q.indicators[in.ID] = true
		}
	}

	ops := map[string]sim.TruthOperative{}
	for _, op := range t.Operatives {
		ops[op.ID] = op
		res.Operatives++
		p, listed := people[op.ID]
		caught := listed && p.flagged
		if !listed {
			res.Absent = append(res.Absent, op.ID)
		}
		if caught {
			res.Caught++
		} else {
			res.Missed = append(res.Missed, op.ID)
		}
		switch op.Kind {
		case "applicant":
			res.ApplicantOperatives++
			if caught {
				res.ApplicantCaught++
			}
		default:
			res.EmployeeOperatives++
			if caught {
				res.EmployeeCaught++
			}
		}
		if op.Careful {
			res.CarefulOperatives++
			if caught {
				res.CarefulCaught++
			}
		}
	}

	nonOps := 0
	for id, p := range people {
		if _, isOp := ops[id]; isOp {
			if p.flagged {
				res.Flagged++
			}
			continue
		}
		nonOps++
		if p.flagged {
			res.Flagged++
			res.FalsePositives++
			res.FalsePositiveIDs = append(res.FalsePositiveIDs, id)
		}
	}
	slices.Sort(res.FalsePositiveIDs)
	res.Precision = ratio(res.Caught, res.Flagged)
	res.Recall = ratio(res.Caught, res.Operatives)
	res.Legitimate = max(t.Employees+t.Applicants-len(t.Operatives), nonOps)
	res.FalsePositiveRate = ratio(res.FalsePositives, res.Legitimate)

	res.scoreBehaviours(t, people)
	res.scoreCells(t, rep, resolve)
	res.scoreIndicators(t, people, ops)
	return res, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// resolver maps a report person to the id the truth uses.
type resolver struct {
	known      map[string]bool
	byCand     map[string]string // candidate id -> truth id
	byEmployee map[string]string // employee id -> truth id
}

func newResolver(t *sim.Truth) *resolver {
	r := &resolver{known: map[string]bool{}, byCand: map[string]string{}, byEmployee: map[string]string{}}
	for _, op := range t.Operatives {
		r.known[op.ID] = true
		for _, c := range op.CandidateIDs {
			r.byCand[c] = op.ID
		}
		if op.EmployeeID != "" {
			r.byEmployee[op.EmployeeID] = op.ID
		}
	}
	for _, l := range t.Legitimate {
		r.known[l.ID] = true
		if c, ok := strings.CutPrefix(l.ID, "cand-"); ok {
			r.byCand[c] = l.ID
		}
	}
	return r
}

// id resolves by id, then employee id, then candidate ids; unknown people
// keep their own id.
func (r *resolver) id(id, employeeID string, candidateIDs []string) string {
	if r.known[id] {
		return id
	}
	if t, ok := r.byEmployee[employeeID]; ok {
		return t
	}
	for _, c := range candidateIDs {
		if t, ok := r.byCand[c]; ok {
			return t
		}
	}
	if c, ok := strings.CutPrefix(id, "cand-"); ok {
		if t, ok := r.byCand[c]; ok {
			return t
		}
	}
	if id == "" {
		return employeeID
	}
	return id
}
