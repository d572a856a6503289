package hiring

import (
	"context"

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
func (*VoIPPhone) Weight() float64 { return 8 }

// Confidences of the forms of the finding.
const (
	confVoIPAlone      = 0.3 // a VoIP number, nothing more
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
		"their personas. Weak: it never raises anyone above low alone. Confidence 0.3 alone; 0.7 when the person also gave " +
		"a disposable mailbox (APP-22); 0.8 when other people gave the same number (the finding names them); 1 for both. " +
		"Known false positives: people who keep a VoIP number for work or privacy, expatriates keeping a number from home, " +
		"small businesses on hosted telephony; French 09 numbers, which come with every broadband box, are ignored. The " +
		"weight is low (8) because the privacy-minded people who keep VoIP numbers also use consumer VPNs: a larger weight " +
		"tipped such staff over medium on the simulator."
}

// References implements detect.Indicator.
func (*VoIPPhone) References() []string {
	return []string{
		"US Department of State, Treasury and FBI, Guidance on the DPRK Information Technology Workers, 16 May 2022 (inconsistent or VoIP contact information)",
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks (VoIP numbers on personas)",
		"libphonenumber number types (github.com/google/libphonenumber, resources/PhoneNumberMetadata.xml: voip)",
	}
}

// voipKind is APP-21 for contactTellKind.
var voipKind = contactTellKind{id: "APP-21", noun: "VoIP phone number", own: voipTells, other: firstDisposable,
	conf: [4]float64{confVoIPAlone, confVoIPDisposable, confVoIPShared, confVoIPBoth}}

// Detect implements detect.Indicator.
func (*VoIPPhone) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return voipKind.detect(ctx, in)
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
