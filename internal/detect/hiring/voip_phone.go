package hiring

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// VoIPPhone is APP-21: the phone number an applicant or hire gave is a
// VoIP number — weak alone, stronger when other people gave the same
// number or the person also gave a disposable mailbox.
type VoIPPhone struct{}

var _ detect.Indicator = (*VoIPPhone)(nil)

// ID implements detect.Indicator.
func (*VoIPPhone) ID() string { return "APP-21" }

// Name implements detect.Indicator.
func (*VoIPPhone) Name() string { return "VoIP phone number on an applicant or hire" }

// Stage implements detect.Indicator.
func (*VoIPPhone) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator: weak, it never flags anyone alone.
func (*VoIPPhone) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*VoIPPhone) Sources() []string { return []string{"greenhouse", "scim"} }

// Weight implements detect.Indicator.
func (*VoIPPhone) Weight() float64 { return 15 }

// Confidences of the forms of the finding.
const (
	confVoIPAlone      = 0.4 // a VoIP number, nothing more
	confVoIPDisposable = 0.7 // and a disposable mailbox on the person's records
	confVoIPShared     = 0.8 // and other people gave the same number
	confVoIPBoth       = 1.0 // shared, and a disposable mailbox
)

// Description implements detect.Indicator.
func (*VoIPPhone) Description() string {
	return "A phone number on the person's candidate or HR records is a VoIP number: libphonenumber's metadata " +
		"(github.com/nyaruka/phonenumbers, stamped at enrichment with the number read in the country of the record's " +
		"address) types it VOIP — UK 056, Dutch 085/091, Japanese 050 numbers and the like. Numbers typed " +
		"fixed_line_or_mobile, or of unknown type, never count: in the United States and Canada every geographic number, " +
		"Google Voice and other VoIP services included, is fixed_line_or_mobile, so this indicator cannot see North American " +
		"VoIP numbers at all (a carrier lookup would; rollcall makes none). Operators register throw-away VoIP numbers for " +
		"their personas. Weak: it never raises anyone above low alone. Confidence 0.4 alone; 0.7 when the person also gave " +
		"a disposable mailbox (APP-22); 0.8 when other people gave the same number (the finding names them); 1 for both. " +
		"Known false positives: people who keep a VoIP number for work or privacy, expatriates keeping a number from home, " +
		"small businesses on hosted telephony; French 09 numbers, which come with every broadband box, are ignored."
}

// References implements detect.Indicator.
func (*VoIPPhone) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (inconsistent or VoIP contact information)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks (VoIP numbers on personas)",
		"libphonenumber number types (github.com/google/libphonenumber, resources/PhoneNumberMetadata.xml: voip)",
	}
}

// Detect implements detect.Indicator.
func (d *VoIPPhone) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-21: %w", err)
		}
		phones := voipPhones(p)
		if len(phones) == 0 {
			continue
		}
		out = append(out, d.finding(in.Pop, p, phones))
	}
	return out, nil
}

func (d *VoIPPhone) finding(pop *profile.Population, p *profile.Person, phones []recordPhone) detect.Finding {
	var (
		ev      []detect.Evidence
		related []string
		numbers []string
	)
	for _, c := range phones {
		others := otherHolders(p, pop.Index.Phone.Holders(c.phone.Key))
		shown := c.phone.E164
		what := fmt.Sprintf("%s gives phone %s, a VoIP number", recordLabel(c.record), shown)
		if len(others) > 0 {
			what += fmt.Sprintf(", also given by %s", strings.Join(others, ", "))
			related = appendNew(related, others...)
		}
		ev = append(ev, detect.EvidenceOf(c.record, "%s", what))
		numbers = appendNew(numbers, shown)
	}
	boxes := disposableMailboxes(p)
	conf := confVoIPAlone
	switch {
	case len(related) > 0 && len(boxes) > 0:
		conf = confVoIPBoth
	case len(related) > 0:
		conf = confVoIPShared
	case len(boxes) > 0:
		conf = confVoIPDisposable
	}
	summary := fmt.Sprintf("VoIP phone number %s on the candidate/HR records", strings.Join(numbers, ", "))
	if len(related) > 0 {
		summary += fmt.Sprintf("; the same number is on the records of %d other people (%s)", len(related), strings.Join(related, ", "))
	}
	if len(boxes) > 0 {
		summary += fmt.Sprintf("; also a disposable mailbox (%s)", boxes[0].match.Domain)
		ev = append(ev, detect.EvidenceOf(boxes[0].record, "%s gives mailbox %s on disposable-mail domain %s",
			recordLabel(boxes[0].record), boxes[0].mailbox, boxes[0].match.Domain))
	}
	ev, more := detect.CapEvidence(ev)
	return detect.Finding{Indicator: d.ID(), Person: p.ID, Confidence: conf, Summary: summary + more, Evidence: ev, Related: related}
}

// appendNew appends the values list does not hold yet.
func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		if !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

// Examples implements detect.Indicator: a candidate on a UK VoIP number
// shared with another persona; and a French candidate whose 09 number is
// the home line of their broadband box.
func (*VoIPPhone) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "shared_uk_voip_number",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "4101", Name: "Daniel Brooks", Emails: []string{"d.brooks.dev@outlook.com"},
					Phones: []string{"+44 56 1234 5678"}, Addresses: []string{"12 Elm Road, Leeds LS6 2AB, United Kingdom"}}),
				candidateRecord(2, event.Applicant{CandidateID: "4102", Name: "Kevin Tran", Emails: []string{"kevintran.eng@outlook.com"},
					Phones: []string{"+44 (0)56 1234 5678"}}),
			},
			Person: profile.ApplicantIDPrefix + "4101",
		},
		Negative: detect.Example{
			Name: "french_box_home_line",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "4103", Name: "Camille Martin", Emails: []string{"camille.martin@orange.fr"},
					Phones: []string{"09 70 12 34 56"}, Addresses: []string{"8 rue des Lilas, 69003 Lyon, France"}}),
			},
			Person: profile.ApplicantIDPrefix + "4103",
		},
	}
}
