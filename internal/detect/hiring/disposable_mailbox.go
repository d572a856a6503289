package hiring

import (
	"context"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// DisposableMailbox is APP-22: a mailbox an applicant or hire gave is on a
// disposable-mail domain — weak alone, stronger when other people gave the
// same mailbox or the person also gave a VoIP number.
type DisposableMailbox struct{}

var _ detect.Indicator = (*DisposableMailbox)(nil)

// ID implements detect.Indicator.
func (*DisposableMailbox) ID() string { return "APP-22" }

// Name implements detect.Indicator.
func (*DisposableMailbox) Name() string { return "Disposable mailbox on an applicant or hire" }

// Stage implements detect.Indicator.
func (*DisposableMailbox) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator: weak, it never flags anyone alone.
func (*DisposableMailbox) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*DisposableMailbox) Sources() []string { return []string{"greenhouse", "scim"} }

// Weight implements detect.Indicator.
func (*DisposableMailbox) Weight() float64 { return 8 }

// Confidences of the forms of the finding.
const (
	confDisposableAlone  = 0.3 // a disposable mailbox, nothing more
	confDisposableVoIP   = 0.7 // and a VoIP number on the person's records
	confDisposableShared = 0.8 // and other people gave the same mailbox
	confDisposableBoth   = 1.0 // shared, and a VoIP number
)

// Description implements detect.Indicator.
func (*DisposableMailbox) Description() string {
	return "A mailbox on the person's candidate or HR records is on a disposable-mail domain — a throw-away inbox " +
		"service such as mailinator.com, yopmail.com or guerrillamail.com — according to the disposable-email-domains list " +
		"(npm, embedded at build time by make disposable; never fetched at run time), compared on the canonical mailbox " +
		"(enrich/email). Operators burn through personas and the inboxes behind them. Weak: it never raises anyone above " +
		"low alone. Confidence 0.3 alone; 0.7 when the person also gave a VoIP number (APP-21); 0.8 when other people gave " +
		"the same mailbox (the finding names them); 1 for both. Mainstream and privacy-focused providers that keep a " +
		"mailbox for good (Gmail, Outlook, Proton, Tutanota, Yandex, QQ, Naver…) are not on the list and never count. " +
		"\"Newly registered\" mail domains are not detected: that needs WHOIS/RDAP registration dates, which rollcall does " +
		"not query. References' mailboxes are not covered: Greenhouse Harvest candidates carry no reference records. " +
		"Known false positives: applicants who shield their real inbox from recruiter spam with a throw-away or alias " +
		"address (forwarding services that give each user a subdomain are on the list as wildcards). The weight is low (8) " +
		"for the same reason as APP-21's: privacy-minded people who use throw-away inboxes also use consumer VPNs."
}

// References implements detect.Indicator.
func (*DisposableMailbox) References() []string {
	return []string{
		"KnowBe4, How a North Korean Fake IT Worker Tried to Infiltrate Us, July 2024, and follow-up write-ups (throw-away contact details on personas)",
		"Google Threat Intelligence Group, DPRK IT workers expanding in scope and scale, April 2025 (persona email accounts)",
		"disposable-email-domains list (github.com/ivolo/disposable-email-domains; npm disposable-email-domains)",
	}
}

// disposableKind is APP-22 for contactTellKind.
var disposableKind = contactTellKind{id: "APP-22", noun: "disposable mailbox", own: disposableTells, other: firstVoIP,
	conf: [4]float64{confDisposableAlone, confDisposableVoIP, confDisposableShared, confDisposableBoth}}

// Detect implements detect.Indicator.
func (*DisposableMailbox) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	return disposableKind.detect(ctx, in)
}

// Examples implements detect.Indicator: a candidate on a Mailinator inbox;
// and a privacy-minded candidate on Proton Mail.
func (*DisposableMailbox) Examples() detect.Examples {
	return detect.Examples{
		Positive: detect.Example{
			Name: "mailinator_inbox",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "4201", Name: "Ryan Cole", Emails: []string{"ryan.cole.dev@mailinator.com"},
					Phones: []string{"+1 312 555 0199"}}),
			},
			Person: profile.ApplicantIDPrefix + "4201",
		},
		Negative: detect.Example{
			Name: "privacy_minded_proton_mail",
			Events: []*event.Event{
				candidateRecord(1, event.Applicant{CandidateID: "4202", Name: "Mia Schultz", Emails: []string{"mia.schultz@proton.me"},
					Phones: []string{"+1 312 555 0142"}}),
			},
			Person: profile.ApplicantIDPrefix + "4202",
		},
	}
}
