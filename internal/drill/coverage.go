package drill

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
)

// Coverage is one row of the coverage matrix: an indicator, the data
// sources that feed it and which of them the inputs have, its lifecycle
// stage, and how it did in the drill.
type Coverage struct {
	Indicator string   `json:"indicator"`
	Name      string   `json:"name"`
	Stage     string   `json:"stage"`
	Needs     []string `json:"needs"`   // formats that can feed it (any of them)
	Present   []string `json:"present"` // those the inputs have
	CanFire   bool     `json:"can_fire"`
	Fired     int      `json:"fired"`  // personas it fired on
	Silent    int      `json:"silent"` // personas it could have caught but stayed silent on
}

type covRow = Coverage

// coverage builds the matrix of the registered indicators over the
// sources present.
func coverage(inds []detect.Indicator, prof *Profile) map[string]*covRow {
	out := map[string]*covRow{}
	for _, ind := range inds {
		r := &covRow{Indicator: ind.ID(), Name: ind.Name(), Stage: string(ind.Stage()), Needs: ind.Sources(), Present: []string{}}
		primary := 0
		for _, s := range ind.Sources() {
			if prof.Has(s) {
				r.Present = append(r.Present, s)
				if s != "scim" {
					primary++
				}
			}
		}
		// The roster gives context (claimed home, zone) to most
		// indicators; alone it feeds only those that read nothing else.
		r.CanFire = primary > 0 || len(r.Present) > 0 && slices.Equal(ind.Sources(), []string{"scim"})
		for _, s := range requires[r.Indicator] {
			if !prof.Has(s) {
				r.CanFire = false
			}
		}
		out[r.Indicator] = r
	}
	return out
}

// requires names, for indicators that compare two sources, the one the
// registry's any-of list cannot say is indispensable.
var requires = map[string][]string{
	"END-08": {"osquery"},              // the device's clock against sign-in geography
	"ONB-06": {"osquery", "shipments"}, // the serial seen against the serial shipped
}

// covRows orders the matrix by stage then id and counts what fired.
func covRows(cov map[string]*covRow, personas []Persona) []Coverage {
	for _, p := range personas {
		for _, f := range p.Fired {
			if r := cov[f.ID]; r != nil {
				r.Fired++
			}
		}
		for _, s := range p.Silent {
			if r := cov[s.ID]; r != nil {
				r.Silent++
			}
		}
	}
	out := make([]Coverage, 0, len(cov))
	for _, r := range cov {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Coverage) int {
		if d := stageOrder(a.Stage) - stageOrder(b.Stage); d != 0 {
			return d
		}
		return strings.Compare(a.Indicator, b.Indicator)
	})
	return out
}

// sourceAction says how to get a missing source, for blind spots.
var sourceAction = map[string]struct{ label, action string }{
	"osquery":      {"endpoint", "schedule osquery `usb_devices`, `processes`, `programs`/`apps` and `system_info` on company laptops and add its results log"},
	"okta":         {"Okta sign-in", "export the Okta System Log (GET /api/v1/logs) for the period"},
	"entra":        {"Entra ID sign-in", "export Entra ID sign-ins (Graph auditLogs/signIns)"},
	"gworkspace":   {"Google Workspace login", "export Workspace login activity (Reports API activities.list, applicationName=login)"},
	"github":       {"GitHub audit", "export the GitHub organisation audit log with IP disclosure on"},
	"gitlog":       {"git history", "add `git log` output of the main repositories"},
	"scim":         {"HR roster", "export the HR roster as SCIM 2.0 Users (with addresses, phones and employeeNumber)"},
	"greenhouse":   {"applicant", "export Greenhouse candidates (Harvest API GET /candidates)"},
	"payroll":      {"payroll", "export payout methods as payroll CSV (employee_id,effective_date,method,account_fingerprint,bank_country,payee_name)"},
	"shipments":    {"equipment shipment", "export laptop shipments as shipments CSV"},
	"resumes":      {"résumé", "add the applicants' résumés (a directory of .txt/.pdf/.docx named by candidate id)"},
	"github-users": {"GitHub profile", "add the GitHub profiles (GET /users/{username}) of applicants"},
}

// blindSpots phrases what the drill found missing as actions.
func blindSpots(cov map[string]*covRow, prof *Profile, rep *Report) []string {
	var out []string
	if !prof.Has("scim") {
		out = append(out, "no HR roster: accounts in the sign-in, audit and endpoint data resolve to no one, so no employee can be flagged; "+sourceAction["scim"].action)
	}
	// Indicators that cannot fire, grouped by the formats that would feed them.
	groups := map[string][]string{}
	var keys []string
	for _, r := range cov {
		if r.CanFire {
			continue
		}
		k := strings.Join(missing(r, prof), "|")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r.Indicator)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ids := groups[k]
		slices.Sort(ids)
		needs := strings.Split(k, "|")
		var labels, actions []string
		for _, n := range needs {
			a, ok := sourceAction[n]
			if !ok {
				a.label, a.action = n, "add "+n+" data"
			}
			labels = append(labels, a.label)
			actions = append(actions, a.action)
		}
		noun := "indicators"
		if len(ids) == 1 {
			noun = "indicator"
		}
		out = append(out, fmt.Sprintf("no %s data: the %d %s %s cannot fire; %s", strings.Join(labels, " or "), len(ids), noun, strings.Join(ids, ", "), strings.Join(actions, ", or ")))
	}
	if prof.Has("github") && !prof.GitHubIPs {
		out = append(out, "GitHub audit log without IP disclosure: IAM-03 and NET-01 cannot use it; turn on IP disclosure for the organisation (Settings → Authentication security) and export it again")
	}
	for _, t := range rep.ByScenario {
		if t.Caught == t.Injected {
			continue
		}
		var missed []string
		for _, p := range rep.Personas {
			if p.Scenario == t.Group && !p.Caught {
				missed = append(missed, p.ID+" ("+p.Variant+")")
			}
		}
		out = append(out, fmt.Sprintf("%s: %d of %d personas got through (%s); see their would_catch", t.Group, t.Injected-t.Caught, t.Injected, strings.Join(missed, ", ")))
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// missing lists the formats whose absence keeps r from firing: those it
// requires, else the ones of its sources other than the roster.
func missing(r *covRow, prof *Profile) []string {
	var out []string
	for _, s := range requires[r.Indicator] {
		if !prof.Has(s) {
			out = append(out, s)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, s := range r.Needs {
		if !prof.Has(s) && (s != "scim" || len(r.Needs) == 1) {
			out = append(out, s)
		}
	}
	return out
}

// joinOr joins formats with "or".
func joinOr(s []string) string { return strings.Join(s, " or ") }
