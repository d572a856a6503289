package hiring

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/detect/detecttest"
	"github.com/rollcall/rollcall/internal/enrich/ipintel"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// InterviewNetwork is APP-09: a candidate joined their interviews through
// an anonymising VPN or a hosting network, or from another country than
// the one they claim to live in.
type InterviewNetwork struct{}

var (
	_ detect.Indicator    = (*InterviewNetwork)(nil)
	_ detect.PersonScoped = (*InterviewNetwork)(nil)
)

// ID implements detect.Indicator.
func (*InterviewNetwork) ID() string { return "APP-09" }

// Name implements detect.Indicator.
func (*InterviewNetwork) Name() string {
	return "Interview joined through a VPN or hosting network, or from another country than claimed"
}

// Stage implements detect.Indicator.
func (*InterviewNetwork) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*InterviewNetwork) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*InterviewNetwork) Sources() []string { return []string{"zoom", "teams"} }

// Weight implements detect.Indicator: below medium alone, so that it
// needs corroboration (a privacy VPN or a trip is no reason to accuse).
func (*InterviewNetwork) Weight() float64 { return 25 }

// PersonScoped implements detect.PersonScoped.
func (*InterviewNetwork) PersonScoped() {}

// Confidences.
const (
	confHidden    = 0.5 // a VPN, proxy or hosting network
	confFavoured  = 0.8 // a VPN the advisories name (Astrill)
	confForeign   = 0.6 // another country than claimed, never from home
	confEveryTime = 0.1 // added when every interview with a known network shows it (two or more)
)

// Description implements detect.Indicator.
func (*InterviewNetwork) Description() string {
	return "A candidate's interviews (Zoom participant reports, Teams call records: meetings a person with candidate " +
		"records joined as a guest before being hired) came through an anonymising VPN, proxy or hosting network, or " +
		"from another country than the one the candidate claims to live in (roster home, else the candidate's " +
		"addresses). Operators interview from abroad behind a VPN exit in the claimed country, or leak their real " +
		"location. A VPN the advisories name (Astrill) weighs most; another country counts only when no interview was " +
		"joined from the claimed country (a candidate travelling for one interview is not flagged) and every interview " +
		"is placed (a Teams call record gives only the address: without an IP database it may well be home). Corporate " +
		"gateways and allow-listed networks (the candidate's current employer's Zscaler, a sanctioned VPN) never count. " +
		"Zoom reports give the address and Zoom's location; the network's kind needs an IP database (--ipdb) or the " +
		"network list. Medium and weighted below the flagging line: it needs corroboration. Known false positives: " +
		"privacy-minded candidates on a consumer VPN, a current employer's VPN exiting abroad, candidates relocating " +
		"for the job."
}

// References implements detect.Indicator.
func (*InterviewNetwork) References() []string {
	return []string{
		"DTEX, Exposing DPRK's Cyber Syndicate and Hidden IT Workforce (i3 threat advisory), 2025 (interviews through VPNs)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks (interview red flags: VPN, location mismatch)",
	}
}

// Detect implements detect.Indicator.
func (d *InterviewNetwork) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return detect.EachPerson(ctx, in, "APP-09", d.person)
}

func (d *InterviewNetwork) person(p *profile.Person) (detect.Finding, bool) {
	ivs := p.Interviews()
	if len(ivs) == 0 {
		return detect.Finding{}, false
	}
	claimed := claimedCountry(p)
	var hidden, foreign []*event.Event
	known, home, favoured, unplaced := 0, false, false, false
	for _, e := range ivs {
		f := e.Facts.Net
		if f == nil || !e.Net().IP.IsValid() && f.Country == "" {
			continue
		}
		if f.Country == "" && f.Verdict.Kind == event.NetOrdinary {
			unplaced = true // an address nobody places (a Teams call record without an IP database): maybe home
		}
		switch v := f.Verdict; {
		case v.Kind == event.NetSanctioned || v.Kind == event.NetGateway:
			continue // a corporate egress: not where the candidate is, and no hiding either
		case v.Hides():
			known++
			hidden = append(hidden, e)
			favoured = favoured || v.Favoured
		case claimed != "" && f.Country != "" && f.Country != claimed:
			known++
			foreign = append(foreign, e)
		case f.Country != "":
			known++
			home = home || f.Country == claimed
		}
	}
	if home || unplaced {
		foreign = nil // a trip: the candidate also joined from the claimed country, or may have
	}
	if len(hidden) == 0 && len(foreign) == 0 {
		return detect.Finding{}, false
	}
	var conf float64
	var parts []string
	if len(hidden) > 0 {
		conf = confHidden
		if favoured {
			conf = confFavoured
		}
		parts = append(parts, detect.Count(len(hidden), "interview")+" through a VPN, proxy or hosting network")
	}
	if len(foreign) > 0 {
		conf = addConfidence(conf, confForeign)
		parts = append(parts, fmt.Sprintf("%s from another country than the claimed %s", detect.Count(len(foreign), "interview"), claimed))
	}
	if n := len(hidden) + len(foreign); n >= 2 && n == known {
		conf = min(1, conf+confEveryTime)
	}
	var ev []detect.Evidence
	for _, e := range ivs {
		f := e.Facts.Net
		if !slices.Contains(hidden, e) && !slices.Contains(foreign, e) {
			continue
		}
		ev = append(ev, detect.EvidenceOf(e, "%s as %s from %s: %s",
			detect.MeetingLabel(e), e.Actor().Email, ipintel.Describe(e.Net()), netWhy(f)))
	}
	if src := claimSource(p); src != nil && len(foreign) > 0 {
		ev = append(ev, detect.EvidenceOf(src, "%s: claims to live in %s", recordLabel(src), claimed))
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{
		Indicator:  d.ID(),
		Person:     p.ID,
		Summary:    fmt.Sprintf("%s joined %s of %s", p.Label(), strings.Join(parts, " and "), detect.Count(len(ivs), "interview")) + more,
		Confidence: detect.Round2(conf),
		Evidence:   ev,
	}, true
}

// netWhy words a network verdict for evidence.
func netWhy(f *event.NetFacts) string {
	if f.Verdict.Hides() {
		return f.Verdict.Kind.String() + " — " + f.Verdict.Why
	}
	return "located in " + f.Country
}

// Examples implements detect.Indicator: a candidate claiming Texas who
// joins both interviews through an M247 VPN exit; and a candidate who
// joins one interview from a hotel in Lisbon and the other from home.
func (*InterviewNetwork) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{Name: "both_interviews_through_a_vpn", Events: vpnInterviews(), Person: profile.ApplicantIDPrefix + "5101"},
		Negative: detect.Example{Name: "one_interview_while_travelling", Events: travellingInterviews(), Person: profile.ApplicantIDPrefix + "5102"},
	}
}

var exampleInterview = time.Date(2025, 2, 11, 15, 0, 0, 0, time.UTC)

// interviewCandidate is a candidate living at addr who applied a month
// before the example interviews.
func interviewCandidate(id, name, email, addr string) *event.Event {
	applied := exampleInterview.AddDate(0, -1, 0)
	return candidateRecord(1, event.Applicant{CandidateID: id, Name: name, Emails: []string{email}, Addresses: []string{addr}, CreatedAt: applied,
		Applications: []event.Application{{ID: "8" + id, AppliedAt: applied, Jobs: []string{"Senior Backend Engineer"}}}})
}

func vpnInterviews() []*event.Event {
	const email = "lena.ortiz.dev@gmail.com"
	return []*event.Event{
		interviewCandidate("5101", "Lena Ortiz", email, "1 Main St, Austin, TX 78701, US"),
		detecttest.MeetingRecord(1, "91234567890", email, exampleInterview, 45, detecttest.M247VPN, event.CameraOff),
		detecttest.MeetingRecord(2, "91234567891", email, exampleInterview.AddDate(0, 0, 7), 50, detecttest.M247VPN, event.CameraOff),
	}
}

func travellingInterviews() []*event.Event {
	const email = "sam.ortiz@gmail.com"
	homeNet := event.Network{IP: netip.MustParseAddr("198.51.100.77"), Country: "US", City: "Denver", ASN: 7922, ASOrg: "comcast cable communications, llc"}
	hotel := event.Network{IP: netip.MustParseAddr("203.0.113.145"), Country: "PT", City: "Lisbon", ASN: 3243, ASOrg: "meo - servicos de comunicacoes e multimedia, s.a."}
	return []*event.Event{
		interviewCandidate("5102", "Sam Ortiz", email, "12 Elm St, Denver, CO 80202, US"),
		detecttest.MeetingRecord(1, "91234567892", email, exampleInterview, 30, hotel, event.CameraOn),
		detecttest.MeetingRecord(2, "91234567893", email, exampleInterview.AddDate(0, 0, 9), 60, homeNet, event.CameraOn),
	}
}
