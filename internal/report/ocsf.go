package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"
)

// OCSFVersion is the OCSF schema version the OCSF reporter emits.
const OCSFVersion = "1.4.0"

// OCSF class and category identifiers (OCSF 1.4.0, Findings category).
const (
	ocsfCategoryFindings   = 2
	ocsfClassDetection     = 2004
	ocsfClassIncident      = 2005
	ocsfActivityCreate     = 1
	ocsfStatusNew          = 1
	ocsfAnalyticRule       = 1
	ocsfObservableIP       = 2
	ocsfObservableEmail    = 5
	ocsfObservableURL      = 6
	ocsfObservableHash     = 8
	ocsfObservableUserName = 4
	ocsfObservableOther    = 99
)

// OCSF writes the report as OCSF events, one JSON object a line (NDJSON,
// as Amazon Security Lake, Splunk and most SIEM collectors ingest them):
// a Detection Finding (class 2004) for each flagged person and each member
// of a cell, then an Incident Finding (class 2005) for each cell whose
// finding_info_list names the members' detection findings.
type OCSF struct {
	// Time stamps every event (the scan's evaluation time).
	Time time.Time
	// ProductVersion is rollcall's version, reported in metadata.product.
	ProductVersion string
	// AssigneeGroup names the team incidents are assigned to (the schema
	// asks for an assignee or an assignee group). Default "insider-risk".
	AssigneeGroup string
}

var _ Reporter = OCSF{}

// ocsfSeverity maps a rollcall level to OCSF severity_id and its caption.
func ocsfSeverity(level string) (int, string) {
	switch level {
	case "low":
		return 2, "Low"
	case "medium":
		return 3, "Medium"
	case "high":
		return 4, "High"
	case "critical":
		return 5, "Critical"
	default:
		return 1, "Informational"
	}
}

// Finding uids: stable across runs over the same data, so a SIEM can
// deduplicate repeated exports.
func ocsfPersonUID(id string) string   { return "rollcall:person:" + id }
func ocsfCellUID(id string) string     { return "rollcall:cell:" + id }
func ocsfAnalyticUID(id string) string { return "rollcall:indicator:" + id }

type ocsfProduct struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version,omitempty"`
}

type ocsfMetadata struct {
	Product  ocsfProduct `json:"product"`
	Version  string      `json:"version"`
	Profiles []string    `json:"profiles,omitempty"`
}

type ocsfAnalytic struct {
	UID      string `json:"uid"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	Desc     string `json:"desc,omitempty"`
	TypeID   int    `json:"type_id"`
	Type     string `json:"type"`
}

type ocsfFindingInfo struct {
	UID              string         `json:"uid"`
	Title            string         `json:"title"`
	Desc             string         `json:"desc,omitempty"`
	Analytic         *ocsfAnalytic  `json:"analytic,omitempty"`
	RelatedAnalytics []ocsfAnalytic `json:"related_analytics,omitempty"`
	Types            []string       `json:"types,omitempty"`
}

type ocsfObservable struct {
	Name   string `json:"name"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
	Value  string `json:"value,omitempty"`
}

type ocsfUser struct {
	UID  string `json:"uid"`
	Name string `json:"name,omitempty"`
}

type ocsfEvidence struct {
	Name string         `json:"name"`
	UID  string         `json:"uid,omitempty"`
	User *ocsfUser      `json:"user,omitempty"`
	Data map[string]any `json:"data"`
}

type ocsfGroup struct {
	Name string `json:"name"`
}

// ocsfEvent holds the base-event and finding attributes both classes use;
// class-specific ones are omitted when empty.
type ocsfEvent struct {
	ActivityID   int          `json:"activity_id"`
	ActivityName string       `json:"activity_name"`
	CategoryUID  int          `json:"category_uid"`
	CategoryName string       `json:"category_name"`
	ClassUID     int          `json:"class_uid"`
	ClassName    string       `json:"class_name"`
	TypeUID      int          `json:"type_uid"`
	TypeName     string       `json:"type_name"`
	SeverityID   int          `json:"severity_id"`
	Severity     string       `json:"severity"`
	StatusID     int          `json:"status_id"`
	Status       string       `json:"status"`
	Time         int64        `json:"time"`
	Message      string       `json:"message"`
	Metadata     ocsfMetadata `json:"metadata"`

	// Detection Finding.
	FindingInfo *ocsfFindingInfo `json:"finding_info,omitempty"`
	IsAlert     *bool            `json:"is_alert,omitempty"`
	RiskScore   *int             `json:"risk_score,omitempty"`
	Evidences   []ocsfEvidence   `json:"evidences,omitempty"`

	// Incident Finding.
	Desc            string            `json:"desc,omitempty"`
	FindingInfoList []ocsfFindingInfo `json:"finding_info_list,omitempty"`
	AssigneeGroup   *ocsfGroup        `json:"assignee_group,omitempty"`

	Observables []ocsfObservable `json:"observables,omitempty"`
}

// Write implements Reporter.
func (o OCSF) Write(w io.Writer, r *Report) error {
	n := normalized(r)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, ev := range o.events(n) {
		if err := enc.Encode(ev); err != nil {
			return fmt.Errorf("ocsf report: %w", err)
		}
	}
	return nil
}

func (o OCSF) events(r *Report) []ocsfEvent {
	inCell := map[string][]Link{}
	for _, c := range r.Clusters {
		for _, l := range c.Links {
			for _, m := range l.Members {
				inCell[m] = append(inCell[m], l)
			}
		}
		for _, m := range c.Members {
			if _, ok := inCell[m]; !ok {
				inCell[m] = nil
			}
		}
	}
	byID := map[string]*Person{}
	var out []ocsfEvent
	for i := range r.People {
		p := &r.People[i]
		byID[p.ID] = p
		if _, cell := inCell[p.ID]; !p.Flagged && !cell {
			continue
		}
		out = append(out, o.detection(p, inCell[p.ID]))
	}
	for _, c := range r.Clusters {
		out = append(out, o.incident(c, byID))
	}
	return out
}

func (o OCSF) base(class int, className, level, message string) ocsfEvent {
	sev, sevName := ocsfSeverity(level)
	md := ocsfMetadata{Product: ocsfProduct{Name: "rollcall", VendorName: "rollcall", Version: o.ProductVersion}, Version: OCSFVersion}
	if class == ocsfClassIncident {
		md.Profiles = []string{"incident"}
	}
	return ocsfEvent{
		ActivityID: ocsfActivityCreate, ActivityName: "Create",
		CategoryUID: ocsfCategoryFindings, CategoryName: "Findings",
		ClassUID: class, ClassName: className,
		TypeUID: class*100 + ocsfActivityCreate, TypeName: className + ": Create",
		SeverityID: sev, Severity: sevName,
		StatusID: ocsfStatusNew, Status: "New",
		Time:     o.Time.UnixMilli(),
		Message:  message,
		Metadata: md,
	}
}

func (o OCSF) detection(p *Person, links []Link) ocsfEvent {
	title := fmt.Sprintf("Possible covert remote IT worker: %s (%s, score %d)", p.ID, p.Level, p.Score)
	ev := o.base(ocsfClassDetection, "Detection Finding", p.Level, title)
	info := &ocsfFindingInfo{UID: ocsfPersonUID(p.ID), Title: title, Types: []string{"Insider Threat"}}
	user := &ocsfUser{UID: p.ID, Name: p.Name}
	for _, ind := range p.Indicators {
		a := ocsfAnalytic{UID: ocsfAnalyticUID(ind.ID), Name: ind.Name, Category: ind.Stage, Desc: ind.Summary, TypeID: ocsfAnalyticRule, Type: "Rule"}
		if info.Analytic == nil {
			info.Analytic = &a
		} else {
			info.RelatedAnalytics = append(info.RelatedAnalytics, a)
		}
		for _, e := range ind.Evidence {
			data := map[string]any{"indicator": ind.ID, "source": e.Source, "file": e.File, "record": e.Record, "summary": e.Summary}
			if e.Line > 0 {
				data["line"] = e.Line
			}
			ev.Evidences = append(ev.Evidences, ocsfEvidence{Name: ind.ID, UID: e.ID, User: user, Data: data})
		}
	}
	if info.Analytic != nil {
		info.Desc = fmt.Sprintf("%d indicators fired; see related_analytics and evidences.", 1+len(info.RelatedAnalytics))
	}
	ev.FindingInfo = info
	alert, score := p.Flagged, p.Score
	ev.IsAlert, ev.RiskScore = &alert, &score
	ev.Observables = append(ev.Observables, ocsfObservable{Name: "evidences.user.uid", TypeID: ocsfObservableUserName, Type: "User Name", Value: p.ID})
	ev.Observables = append(ev.Observables, linkObservables(links)...)
	return ev
}

func (o OCSF) incident(c Cluster, byID map[string]*Person) ocsfEvent {
	level := "none"
	for _, m := range c.Members {
		if p := byID[m]; p != nil && levelRank(p.Level) > levelRank(level) {
			level = p.Level
		}
	}
	msg := fmt.Sprintf("Cell %s: %d people joined by %d shared identifiers", c.ID, len(c.Members), len(c.Links))
	ev := o.base(ocsfClassIncident, "Incident Finding", level, msg)
	ev.Desc = msg
	group := o.AssigneeGroup
	if group == "" {
		group = "insider-risk"
	}
	ev.AssigneeGroup = &ocsfGroup{Name: group}
	ev.FindingInfoList = []ocsfFindingInfo{{UID: ocsfCellUID(c.ID), Title: msg}}
	for _, m := range c.Members {
		fi := ocsfFindingInfo{UID: ocsfPersonUID(m), Title: "member " + m}
		if p := byID[m]; p != nil {
			fi.Title = fmt.Sprintf("member %s (%s, score %d)", m, p.Level, p.Score)
		}
		ev.FindingInfoList = append(ev.FindingInfoList, fi)
	}
	ev.Observables = linkObservables(c.Links)
	return ev
}

// levelRank is l's place in levels (-1 for none known).
func levelRank(l string) int { return slices.Index(levels, l) }

type ocsfObsType struct {
	id   int
	name string
}

// ocsfLinkTypes maps link kinds to OCSF observable types; kinds OCSF has
// no type for are Other (99) with a name of their own.
var ocsfLinkTypes = map[string]ocsfObsType{
	"ip":           {ocsfObservableIP, "IP Address"},
	"email":        {ocsfObservableEmail, "Email Address"},
	"url":          {ocsfObservableURL, "URL String"},
	"resume":       {ocsfObservableHash, "Hash"},
	"bank_account": {ocsfObservableOther, "Payout Account Fingerprint"},
	"phone":        {ocsfObservableOther, "Phone Number"},
	"address":      {ocsfObservableOther, "Postal Address"},
	"device":       {ocsfObservableOther, "Device Serial"},
}

// linkObservables turns shared identifiers into OCSF observables, one per
// distinct kind and value.
func linkObservables(links []Link) []ocsfObservable {
	var out []ocsfObservable
	seen := map[[2]string]bool{}
	for _, l := range links {
		k := [2]string{l.Kind, l.Value}
		if seen[k] {
			continue
		}
		seen[k] = true
		t, ok := ocsfLinkTypes[l.Kind]
		if !ok {
			t = ocsfObsType{ocsfObservableOther, l.Kind}
		}
		ob := ocsfObservable{Name: "unmapped.shared_" + l.Kind, TypeID: t.id, Type: t.name, Value: l.Value}
		out = append(out, ob)
	}
	return out
}
