package hiring

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/identity"
	"github.com/rollcall/rollcall/internal/profile"
)

// ApplicationSpraying is APP-12: one email address or phone number behind
// applications to many requisitions in a short time — from one candidate
// record or spread over several.
type ApplicationSpraying struct{}

var _ detect.Indicator = (*ApplicationSpraying)(nil)

// ID implements detect.Indicator.
func (*ApplicationSpraying) ID() string { return "APP-12" }

// Name implements detect.Indicator.
func (*ApplicationSpraying) Name() string {
	return "One contact applying to many requisitions"
}

// Stage implements detect.Indicator.
func (*ApplicationSpraying) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*ApplicationSpraying) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*ApplicationSpraying) Sources() []string { return []string{"greenhouse"} }

// Weight implements detect.Indicator.
func (*ApplicationSpraying) Weight() float64 { return 25 }

// Thresholds: this many distinct requisitions within the window; or, the
// weaker scattered form, scatterMin requisitions in unrelated kinds of
// role within scatterWindow.
const (
	sprayMin           = 10
	sprayHeavy         = 25 // full confidence from here
	sprayWindowOne     = 30 * 24 * time.Hour
	sprayWindowSeveral = 90 * 24 * time.Hour
	scatterMin         = 4
	scatterFamilies    = 3
	scatterWindow      = 14 * 24 * time.Hour
	confScattered      = 0.4
)

// Description implements detect.Indicator.
func (*ApplicationSpraying) Description() string {
	return "One email address or phone number is behind self-made applications to 10 or more different requisitions " +
		"within 30 days on one candidate record, or within 90 days across several candidate records (full confidence from " +
		"25, or when the records carry different names); or, a weaker form (0.4 confidence), 4 or more requisitions within " +
		"14 days in at least three unrelated kinds of role (say mobile, infrastructure and software), which at a company " +
		"with few openings is the same indiscriminate pattern. Operators apply to every opening they can find, often from one " +
		"mailbox re-registered under new candidate records; one case reached 300 jobs from one email. Personas that entity " +
		"resolution (the linker the scan runs once over everyone) links as one operator's (different names, two or more kinds " +
		"of shared identifier) count as one contact, though no one mailbox or phone is on every record. Requisitions are " +
		"counted by job name (by application when the job is not named). Applications the candidate did not make are not " +
		"counted: recruiter-sourced prospects (sources naming a recruiter, sourcing or prospecting), referrals, and " +
		"agency submissions (agency sources or tags; agency contact details are shared by design). Known false positives: " +
		"active job seekers at very large employers applying to many similar roles; new graduates and career changers " +
		"applying to whatever is open (the scattered form); re-organised requisitions re-posted under new names; " +
		"duplicate candidate records created by an import."
}

// References implements detect.Indicator.
func (*ApplicationSpraying) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (one email address applying to hundreds of jobs)",
		"Recorded Future Insikt Group, reporting on North Korean IT worker application campaigns",
	}
}

// sprayApp is one self-made application with its candidate record.
type sprayApp struct {
	req    string // requisition key: job name, or application id
	at     time.Time
	record *event.Event
	person *profile.Person
}

// Detect implements detect.Indicator.
func (d *ApplicationSpraying) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	byContact := map[string][]sprayApp{}
	var order []string
	operator := operatorGroups(in.Pop.Linked)
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-12: %w", err)
		}
		for _, e := range p.Applicants {
			a := e.Applicant
			if slices.ContainsFunc(a.Tags, agencySource) {
				continue
			}
			apps := selfMade(e, p)
			if len(apps) == 0 {
				continue
			}
			keys := contactKeys(e)
			if g := operator[p.ID]; g != "" {
				keys = append(keys, g)
			}
			for _, k := range keys {
				if byContact[k] == nil {
					order = append(order, k)
				}
				byContact[k] = append(byContact[k], apps...)
			}
		}
	}
	// The burst of each person: the contact with the most requisitions in
	// one window.
	best := map[*profile.Person]burst{}
	for _, k := range order {
		apps := dedupApps(byContact[k])
		records, names := countRecords(apps)
		window := sprayWindowOne
		if records > 1 {
			window = sprayWindowSeveral
		}
		b := burst{contact: k, apps: busiestWindow(apps, window), records: records, names: names}
		if distinctReqs(b.apps) < sprayMin {
			if b.apps = scatteredWindow(apps); b.apps == nil {
				continue
			}
			b.scattered = true
		}
		for _, a := range b.apps {
			if have, ok := best[a.person]; !ok || have.scattered && !b.scattered || have.scattered == b.scattered && distinctReqs(b.apps) > distinctReqs(have.apps) {
				best[a.person] = b
			}
		}
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		b, ok := best[p]
		if !ok {
			continue
		}
		out = append(out, d.finding(p, b))
	}
	return out, nil
}

// burst is the applications behind one contact in its busiest window.
type burst struct {
	contact   string
	apps      []sprayApp
	records   int
	names     int
	scattered bool // the weaker form: few requisitions, unrelated roles
}

func (d *ApplicationSpraying) finding(p *profile.Person, b burst) detect.Finding {
	contact, apps, records, names := b.contact, b.apps, b.records, b.names
	n := distinctReqs(apps)
	conf := 0.7
	if n >= sprayHeavy || names > 1 {
		conf = 1
	}
	if b.scattered {
		conf = confScattered
	}
	var (
		related []string
		ev      []detect.Evidence
		perRec  = map[*event.Event][]string{}
		recs    []*event.Event
	)
	for _, a := range apps {
		if perRec[a.record] == nil {
			recs = append(recs, a.record)
		}
		if !slices.Contains(perRec[a.record], a.req) {
			perRec[a.record] = append(perRec[a.record], a.req)
		}
		if a.person != p && !slices.Contains(related, a.person.ID) {
			related = append(related, a.person.ID)
		}
	}
	slices.Sort(related)
	for _, r := range recs {
		ev = append(ev, detect.EvidenceOf(r, "%s %q applied to %d requisitions: %s", recordLabel(r), candidateName(r.Applicant),
			len(perRec[r]), strings.Join(clipList(perRec[r], 6), ", ")))
	}
	summary := fmt.Sprintf("%s is behind applications to %d requisitions between %s and %s", contact, n,
		apps[0].at.Format("2006-01-02"), apps[len(apps)-1].at.Format("2006-01-02"))
	if b.scattered {
		summary += fmt.Sprintf(" in %d unrelated kinds of role (%s)", len(families(apps)), strings.Join(families(apps), ", "))
	}
	if records > 1 {
		summary += fmt.Sprintf(", across %d candidate records", records)
		if names > 1 {
			summary += fmt.Sprintf(" under %d different names", names)
		}
	}
	if len(ev) > detect.MaxEvidence {
		summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
		ev = ev[:detect.MaxEvidence]
	}
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related}
}

// notSelfMade are words of application sources that mean someone else
// put the candidate forward.
var notSelfMade = []string{"prospect", "sourc", "recruiter", "referral", "referred", "internal"}

// selfMade lists a candidate record's applications that the candidate
// made: not agency submissions, referrals or recruiter-sourced prospects.
func selfMade(e *event.Event, p *profile.Person) []sprayApp {
	a := e.Applicant
	var out []sprayApp
	for _, app := range a.Applications {
		src := strings.ToLower(app.Source)
		if agencySource(src) || slices.ContainsFunc(notSelfMade, func(w string) bool { return strings.Contains(src, w) }) {
			continue
		}
		at := app.AppliedAt
		if at.IsZero() {
			at = a.CreatedAt
		}
		if at.IsZero() {
			continue
		}
		reqs := app.Jobs
		if len(reqs) == 0 {
			reqs = []string{"application " + app.ID}
		}
		for _, j := range reqs {
			out = append(out, sprayApp{req: strings.ToLower(strings.TrimSpace(j)), at: at, record: e, person: p})
		}
	}
	return out
}

// operatorGroups maps the people entity resolution (profile.Linked)
// linked as one operator's personas (different names, two or more kinds
// of shared identifier) to a label of their linked group, so that an
// applicant wave spread over personas counts as one contact even when no
// single mailbox or phone is on every record.
func operatorGroups(linked *profile.Linked) map[string]string {
	if linked == nil {
		return nil
	}
	out := map[string]string{}
	for _, lp := range linked.Pairs {
		if lp.Kind != "shared" {
			continue
		}
		label := "the personas entity resolution links as one operator (group " + linked.Cluster[lp.A] + ")"
		out[lp.A], out[lp.B] = label, label
	}
	return out
}

// contactKeys are the stamped mailboxes and phone keys of a candidate record,
// labelled for summaries.
func contactKeys(e *event.Event) []string {
	var out []string
	if c := e.Contacts(); c != nil {
		for _, v := range c.Mailboxes {
			if v != "" {
				out = append(out, "email "+v)
			}
		}
		for _, ph := range c.Phones {
			if ph.Key != "" {
				out = append(out, "phone "+maskPhone(ph.Key))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dedupApps sorts applications by time and drops repeats (the same record
// listed under two of its contacts).
func dedupApps(apps []sprayApp) []sprayApp {
	slices.SortStableFunc(apps, func(x, y sprayApp) int { return x.at.Compare(y.at) })
	return slices.CompactFunc(apps, func(x, y sprayApp) bool { return x.record == y.record && x.req == y.req && x.at.Equal(y.at) })
}

func countRecords(apps []sprayApp) (records, names int) {
	var recs []*event.Event
	var ns []string
	for _, a := range apps {
		if !slices.Contains(recs, a.record) {
			recs = append(recs, a.record)
			n := candidateName(a.record.Applicant)
			if !slices.ContainsFunc(ns, func(m string) bool { return identity.SameName(m, n) }) {
				ns = append(ns, n)
			}
		}
	}
	return len(recs), len(ns)
}

// scatteredWindow returns the applications of the 14 days with the most
// distinct requisitions when they number at least scatterMin and span at
// least scatterFamilies kinds of role; nil otherwise.
func scatteredWindow(apps []sprayApp) []sprayApp {
	win := busiestWindow(apps, scatterWindow)
	if distinctReqs(win) < scatterMin || len(families(win)) < scatterFamilies {
		return nil
	}
	return win
}

// roleFamilies group job names into kinds of role, first match wins; a
// job matching none is its own kind.
var roleFamilies = []struct {
	name string
	re   *regexp.Regexp
}{
	{"mobile", regexp.MustCompile(`(?i)\b(mobile|ios|android)\b`)},
	{"security", regexp.MustCompile(`(?i)\b(security|grc|identity|soc)\b`)},
	{"quality", regexp.MustCompile(`(?i)\b(qa|quality|test|sdet)\b`)},
	{"data", regexp.MustCompile(`(?i)\b(data|analytics|machine learning|ml|ai|scientist)\b`)},
	{"infrastructure", regexp.MustCompile(`(?i)\b(devops|sre|site reliability|platform|cloud|infrastructure|systems? admin\w*|network|it support|support engineer)\b`)},
	{"design", regexp.MustCompile(`(?i)\b(design\w*|ux|ui)\b`)},
	{"product", regexp.MustCompile(`(?i)\b(product|program|project) manager\b`)},
	{"sales", regexp.MustCompile(`(?i)\b(sales|account|customer|success|solutions|implementation|business development)\b`)},
	{"business", regexp.MustCompile(`(?i)\b(marketing|recruit\w*|people|payroll|accountant|finance|financial|controller|legal|counsel|paralegal|contracts)\b`)},
	{"software", regexp.MustCompile(`(?i)\b(software|frontend|front-end|backend|back-end|full[- ]?stack|web|developer|engineer)\b`)},
}

// families lists the kinds of role of a set of applications, in order.
func families(apps []sprayApp) []string {
	var out []string
	for _, a := range apps {
		f := a.req
		for _, rf := range roleFamilies {
			if rf.re.MatchString(a.req) {
				f = rf.name
				break
			}
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// busiestWindow returns the run of applications within window that covers
// the most distinct requisitions.
func busiestWindow(apps []sprayApp, window time.Duration) []sprayApp {
	var best []sprayApp
	lo := 0
	for hi := range apps {
		for apps[hi].at.Sub(apps[lo].at) > window {
			lo++
		}
		if distinctReqs(apps[lo:hi+1]) > distinctReqs(best) {
			best = apps[lo : hi+1]
		}
	}
	return best
}

func distinctReqs(apps []sprayApp) int {
	seen := map[string]bool{}
	for _, a := range apps {
		seen[a.req] = true
	}
	return len(seen)
}

// clipList keeps the first n entries and says how many more there were.
func clipList(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(slices.Clip(list[:n]), fmt.Sprintf("and %d more", len(list)-n))
}

// Examples implements detect.Indicator: one mailbox behind three
// candidate records under different names applying to fourteen
// requisitions in three weeks; and a job seeker who applied to four roles
// while a recruiter added them as a prospect to eight more.
func (*ApplicationSpraying) Examples() detect.Examples {
	start := time.Date(2025, 1, 6, 14, 0, 0, 0, time.UTC)
	jobs := []string{"Senior Backend Engineer", "Staff Backend Engineer", "Platform Engineer", "Site Reliability Engineer",
		"DevOps Engineer", "Senior Go Developer", "Cloud Engineer", "Data Engineer", "Senior Full-Stack Engineer",
		"Frontend Engineer", "Mobile Engineer", "Security Engineer", "Machine Learning Engineer", "QA Automation Engineer"}
	appsFrom := func(first, n int, source string) []event.Application {
		var out []event.Application
		for i := first; i < first+n; i++ {
			out = append(out, event.Application{ID: fmt.Sprint(8600 + i), AppliedAt: start.Add(time.Duration(i) * 36 * time.Hour),
				Jobs: []string{jobs[i%len(jobs)]}, Source: source})
		}
		return out
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "one_mailbox_three_records_fourteen_jobs",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3601", Name: "Daniel Brooks", Emails: []string{"hire.devteam@proton.me"}, Applications: appsFrom(0, 5, "Jobs page on your website")}),
				candidateRecord(2, event.Applicant{CandidateID: "3602", Name: "Kevin Tran", Emails: []string{"hire.devteam@proton.me"}, Applications: appsFrom(5, 5, "LinkedIn")}),
				candidateRecord(3, event.Applicant{CandidateID: "3603", Name: "Samuel Okafor", Emails: []string{"Hire.DevTeam@proton.me"}, Applications: appsFrom(10, 4, "Indeed")}),
			},
			Person: profile.ApplicantIDPrefix + "3601",
		},
		Negative: detect.Example{
			Name: "job_seeker_and_recruiter_prospecting",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "3604", Name: "Hannah Weiss", Emails: []string{"hannah.weiss@gmail.com"},
					Applications: append(appsFrom(0, 4, "Jobs page on your website"), appsFrom(4, 8, "LinkedIn Recruiter (Prospecting)")...)}),
			},
			Person: profile.ApplicantIDPrefix + "3604",
		},
	}
}
