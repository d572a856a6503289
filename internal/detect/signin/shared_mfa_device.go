package signin

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// SharedMFADevice is IAM-02: one MFA device (authenticator app, phone,
// security key) completes MFA for the accounts of several people.
type SharedMFADevice struct{}

var _ detect.Indicator = (*SharedMFADevice)(nil)

// ID implements detect.Indicator.
func (*SharedMFADevice) ID() string { return "IAM-02" }

// Name implements detect.Indicator.
func (*SharedMFADevice) Name() string {
	return "One MFA device completes MFA for several people's accounts"
}

// Stage implements detect.Indicator.
func (*SharedMFADevice) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator.
func (*SharedMFADevice) Strength() detect.Strength { return detect.Strong }

// Sources implements detect.Indicator.
func (*SharedMFADevice) Sources() []string { return []string{"okta", "entra"} }

// Weight implements detect.Indicator.
func (*SharedMFADevice) Weight() float64 { return 50 }

// Description implements detect.Indicator.
func (*SharedMFADevice) Description() string {
	return "The same MFA device — the device Okta logs on an MFA step (the Okta Verify device: one phone has a separate " +
		"enrollment per account but one device id), the Okta authenticator enrollment or factor id, the Entra " +
		"Authenticator app's device id or the device named in the MFA detail — completes successful MFA for the accounts of two or more people on the " +
		"roster. A facilitator who holds the phone for several operatives' accounts shows up this way (Microsoft saw one " +
		"device enrolled as the authenticator of many Jasper Sleet accounts). Each holder gets a finding naming the " +
		"others; confidence is full when each used the device on two or more days. Not counted: masked phone numbers " +
		"(\"+1 XXXXXXX12\" matches thousands of phones), factor types shared by everyone (\"push\"), devices shared by " +
		"more people than cluster.max_identifier_sharers (a help-desk token or a bad identifier), and accounts that look " +
		"like service, test, admin or shared accounts by their login or roster type. Known false positives: shared test " +
		"and admin accounts with personal-looking names; a help-desk phone used to enrol or recover accounts; couples " +
		"who enrolled one phone for both."
}

// References implements detect.Indicator.
func (*SharedMFADevice) References() []string {
	return []string{
		"Microsoft Threat Intelligence / Defender Experts, Jasper Sleet: North Korean remote IT workers' evolving tactics, 2025 (one MFA device registered to many accounts)",
		"Okta System Log: AuthenticatorEnrollment targets and debugData.factorId; Entra signIn authenticationAppDeviceDetails",
	}
}

// Examples implements detect.Indicator.
func (*SharedMFADevice) Examples() detect.Examples {
	farm := []*event.Event{
		staff{record: 1, id: "E120", email: "avance@example.com", country: "US"}.event(),
		staff{record: 2, id: "E121", email: "bholt@example.com", country: "US"}.event(),
	}
	// A test account and its owner use one phone: test accounts are not
	// people.
	qa := []*event.Event{
		staff{record: 1, id: "E130", email: "cmoss@example.com", country: "US"}.event(),
		staff{record: 2, id: "E131", email: "qa-test01@example.com", country: "US", name: "QA Test01"}.event(),
	}
	for i := range 4 {
		t := exampleStart.AddDate(0, 0, i)
		farm = append(farm,
			entraSignIn(2*i+1, "avance@example.com", t, homeChicago, "Windows10", "", "", "auth-dev-7f3a9c"),
			entraSignIn(2*i+2, "bholt@example.com", t.Add(time.Hour), homeChicago, "Windows10", "", "", "auth-dev-7f3a9c"))
		qa = append(qa,
			entraSignIn(2*i+1, "cmoss@example.com", t, homeChicago, "Windows10", "", "", "auth-dev-1b2c3d"),
			entraSignIn(2*i+2, "qa-test01@example.com", t.Add(time.Hour), homeChicago, "Windows10", "", "", "auth-dev-1b2c3d"))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "two_employees_one_authenticator", Events: farm, Person: "E120"},
		Negative: detect.Example{Name: "engineer_and_test_account_share_a_phone", Events: qa, Person: "E130"},
	}
}

var (
	// serviceAccount recognises logins of service, test, admin and shared
	// accounts by a word of their local part.
	serviceAccount = regexp.MustCompile(`(?i)(^|[._\-+])(svc|service|srv|test|tester|testing|qa|admin|adm|root|shared|bot|noreply|no-reply|build|deploy|automation|sandbox|demo|training|helpdesk|support|breakglass|break-glass|emergency|generic|temp)([._\-+0-9]|$)`)
	// serviceType recognises the roster's user/employee type of such
	// accounts.
	serviceType = regexp.MustCompile(`(?i)\b(service|system|shared|test|generic|non[- ]?human|bot)\b`)
	// maskedFactor recognises masked phone numbers and emails.
	maskedFactor = regexp.MustCompile(`[xX*•]{3,}`)
)

// genericFactors are factor types, never device identifiers.
var genericFactors = map[string]bool{
	"push": true, "sms": true, "call": true, "voice": true, "totp": true, "email": true, "password": true,
	"phoneappnotification": true, "phoneappotp": true, "onewaysms": true, "twowayvoicemobile": true, "fido2": true,
	"softwareoath": true, "hardwareoath": true, "okta_verify_push": true, "token:software:totp": true,
	"microsoft authenticator": true, "authenticator app": true, "windows hello for business": true,
}

// mfaDeviceIDs returns the MFA devices a sign-in names: the factor or
// authenticator enrollment ("factor …", when usable), and for an MFA step
// the device the identity provider saw complete it ("device …": Okta logs
// the Okta Verify device there; one phone carries a separate enrollment
// for each account, but one device id).
func mfaDeviceIDs(e *event.Event) []string {
	si := e.SignIn
	var out []string
	if id := strings.TrimSpace(si.MFADevice); id != "" && !maskedFactor.MatchString(id) && !genericFactors[strings.ToLower(id)] {
		out = append(out, "factor "+id)
	}
	if id := strings.TrimSpace(si.DeviceID); id != "" && e.Facts.Device.Has(event.DeviceMFAStep) {
		out = append(out, "device "+id)
	}
	return out
}

// nonPerson reports whether a person is a service, test, admin or shared
// account by roster type or the login of e.
func nonPerson(p *profile.Person, e *event.Event) bool {
	if hr := p.HR(); hr != nil {
		if serviceType.MatchString(hr.UserType) || serviceType.MatchString(hr.EmployeeType) {
			return true
		}
		local, _, _ := strings.Cut(hr.UserName, "@")
		if serviceAccount.MatchString(local) {
			return true
		}
	}
	for _, s := range []string{e.Actor().Login, e.Actor().Email} {
		local, _, _ := strings.Cut(s, "@")
		if local != "" && serviceAccount.MatchString(local) {
			return true
		}
	}
	return false
}

// mfaUse is one person's use of one MFA device.
type mfaUse struct {
	person *profile.Person
	events []*event.Event
	days   map[time.Time]bool
}

// Detect implements detect.Indicator.
func (d *SharedMFADevice) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	maxSharers := 6
	if in.Policy != nil && in.Policy.Cluster.MaxIdentifierSharers > 0 {
		maxSharers = in.Policy.Cluster.MaxIdentifierSharers
	}
	byDevice := map[string]map[string]*mfaUse{}
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("IAM-02: %w", err)
		}
		for _, e := range p.SignIns {
			if !detect.Succeeded(e) {
				continue
			}
			ids := mfaDeviceIDs(e)
			if len(ids) == 0 || nonPerson(p, e) {
				continue
			}
			for _, id := range ids {
				users := byDevice[id]
				if users == nil {
					users = map[string]*mfaUse{}
					byDevice[id] = users
				}
				u := users[p.ID]
				if u == nil {
					u = &mfaUse{person: p, days: map[time.Time]bool{}}
					users[p.ID] = u
				}
				u.events = append(u.events, e)
				u.days[detect.Day(e.Time)] = true
			}
		}
	}
	findings := map[string]*detect.Finding{}
	var order []string
	devices := make([]string, 0, len(byDevice))
	for id := range byDevice {
		devices = append(devices, id)
	}
	slices.Sort(devices)
	for _, id := range devices {
		users := byDevice[id]
		if len(users) < 2 || len(users) > maxSharers {
			continue
		}
		ids := make([]string, 0, len(users))
		for pid := range users {
			ids = append(ids, pid)
		}
		slices.Sort(ids)
		for _, pid := range ids {
			f := d.finding(id, users[pid], ids, users)
			if have := findings[pid]; have != nil {
				have.Summary += "; " + f.Summary
				have.Evidence = append(have.Evidence, f.Evidence...)
				have.Confidence = max(have.Confidence, f.Confidence)
				for _, r := range f.Related {
					if !slices.Contains(have.Related, r) {
						have.Related = append(have.Related, r)
					}
				}
				continue
			}
			findings[pid] = &f
			order = append(order, pid)
		}
	}
	slices.Sort(order)
	out := make([]detect.Finding, 0, len(order))
	for _, pid := range order {
		f := findings[pid]
		var more string
		f.Evidence, more = detect.CapEvidence(detect.DedupEvidence(f.Evidence))
		f.Summary += more
		slices.Sort(f.Related)
		out = append(out, *f)
	}
	return out, nil
}

// finding is person u's finding for one shared device.
func (d *SharedMFADevice) finding(device string, u *mfaUse, ids []string, users map[string]*mfaUse) detect.Finding {
	var others []string
	var parts []string
	conf := 0.6
	ev := []detect.Evidence{detect.EvidenceOf(u.events[0], "%s %s by %s completed MFA with %s (%s with it in all)",
		detect.Stamp(u.events[0].Time), u.events[0].SignIn.Action, accountOf(u.events[0]), device, detect.Count(len(u.days), "day"))}
	for _, oid := range ids {
		if oid == u.person.ID {
			continue
		}
		o := users[oid]
		others = append(others, oid)
		parts = append(parts, fmt.Sprintf("%s (%s, %s)", oid, accountOf(o.events[0]), detect.Count(len(o.days), "day")))
		ev = append(ev, detect.EvidenceOf(o.events[0], "%s %s by %s (person %s) completed MFA with the same %s",
			detect.Stamp(o.events[0].Time), o.events[0].SignIn.Action, accountOf(o.events[0]), oid, device))
		if len(u.days) >= 2 && len(o.days) >= 2 {
			conf = 1
		}
	}
	for _, e := range u.events[1:] {
		ev = append(ev, detect.EvidenceOf(e, "%s %s completed MFA with %s", detect.Stamp(e.Time), e.SignIn.Action, device))
	}
	return detect.Finding{
		Indicator: d.ID(),
		Person:    u.person.ID,
		Summary: fmt.Sprintf("MFA %s completed MFA for this person on %s and for %s",
			device, detect.Count(len(u.days), "day"), strings.Join(parts, ", ")),
		Confidence: conf,
		Evidence:   ev,
		Related:    others,
	}
}

// accountOf names the account of an event.
func accountOf(e *event.Event) string {
	for _, s := range []string{e.Actor().Login, e.Actor().Email, e.Actor().ID} {
		if s != "" {
			return s
		}
	}
	return "(unknown account)"
}
