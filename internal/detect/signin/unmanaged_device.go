package signin

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/activity"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// UnmanagedDevice is IAM-07: the person works from computers the company
// does not manage, most of the time.
type UnmanagedDevice struct{}

var _ detect.Indicator = (*UnmanagedDevice)(nil)

// ID implements detect.Indicator.
func (*UnmanagedDevice) ID() string { return "IAM-07" }

// Name implements detect.Indicator.
func (*UnmanagedDevice) Name() string { return "Work sessions from unmanaged, non-company computers" }

// Stage implements detect.Indicator.
func (*UnmanagedDevice) Stage() detect.Stage { return detect.StageIdentity }

// Strength implements detect.Indicator: M–H in the catalogue; confidence
// reaches the full weight when the company laptop is never used.
func (*UnmanagedDevice) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: sign-ins that say whether the
// device is managed.
func (*UnmanagedDevice) Sources() []string { return []string{"entra", "okta"} }

// Weight implements detect.Indicator.
func (*UnmanagedDevice) Weight() float64 { return 35 }

// Description implements detect.Indicator.
func (*UnmanagedDevice) Description() string {
	return "On at least ten days in three or more weeks, and on at least a third of the days with computer sign-ins whose " +
		"management state is known (Entra deviceDetail isManaged/isCompliant, Okta device context), the person signs in " +
		"from a computer the company does not manage. Okta logs device context only for registered devices: when nearly " +
		"all of a source's computer sign-ins carry it, one without it is from an unregistered computer and counts as " +
		"unmanaged: the work happens somewhere other than on the laptop that was shipped — the FBI warns " +
		"that operatives work from their own machines while the company laptop sits in a farm. Phones and tablets " +
		"(iOS, iPadOS, Android, phone models) and MFA steps (whose device is the authenticator) do not count: a personal " +
		"phone for mail and chat is normal. Days before the company " +
		"laptop can have arrived (a week after the first shipment) do not count either. Confidence grows with the share " +
		"of computer sign-ins from unmanaged computers and is full when the person never uses a managed computer. If more than 40% of the people (of at least ten) with known device state " +
		"mostly use unmanaged computers, the organisation does not manage its fleet (or the data does not say) and the " +
		"indicator stays quiet. Known false positives: bring-your-own-device staff and contractors on their own " +
		"equipment by agreement (suppress per person); a replacement laptop not yet enrolled in device management; staff " +
		"who also use a home computer every day beside the company laptop (moderate confidence)."
}

// References implements detect.Indicator.
func (*UnmanagedDevice) References() []string {
	return []string{
		"FBI public service announcement I-012325-PSA, North Korean IT workers conducting data extortion, Jan 2025 (work from non-company devices; monitor for unusual device use)",
		"Microsoft Entra signIn resource: deviceDetail isManaged, isCompliant; Okta System Log device context",
	}
}

// Examples implements detect.Indicator.
func (*UnmanagedDevice) Examples() detect.Examples {
	own := []*event.Event{staff{record: 1, id: "E780", email: "abell@example.com", country: "US"}.event()}
	phone := []*event.Event{staff{record: 1, id: "E781", email: "bcole@example.com", country: "US"}.event()}
	for i, d := range weekdaysFrom(exampleStart, 3) {
		own = append(own, entraSignIn(i+1, "abell@example.com", d, homeChicago, "Windows10", "DESKTOP-8K2L1", "unmanaged", ""))
		// The company laptop in the morning, a personal phone at night.
		phone = append(phone,
			entraSignIn(2*i+1, "bcole@example.com", d, homeChicago, "Windows10", "LT-781", "managed", ""),
			entraSignIn(2*i+2, "bcole@example.com", d.Add(8*time.Hour), homeChicago, "iOS 17.4", "iPhone", "unmanaged", ""))
	}
	return detect.Examples{
		Positive: detect.Example{Name: "every_day_from_a_personal_windows_pc", Events: own, Person: "E780"},
		Negative: detect.Example{Name: "personal_phone_for_mail_company_laptop_for_work", Events: phone, Person: "E781"},
	}
}

const (
	// The pattern: unmanaged computer sign-ins on at least unmanagedMinDays
	// days in unmanagedMinWeeks weeks, and on unmanagedMinShare of the
	// days with computer sign-ins — a habit, not the odd evening.
	unmanagedMinDays  = 10
	unmanagedMinWeeks = 3
	unmanagedMinShare = 1.0 / 3
	// deliveryDays: sign-ins before the first shipment plus this many
	// days are before the company laptop can be there.
	deliveryDays = 7
	// byodShare, byodMinPeople: an organisation where this share of at
	// least this many people make most of their computer sign-ins from
	// unmanaged computers manages none.
	byodShare     = 0.4
	byodMinPeople = 10
)

// deviceDays counts one person's computer sign-ins by management.
type deviceDays struct {
	known     map[time.Time]bool // days with a computer sign-in whose state is known
	unmanaged map[time.Time]bool // days with an unmanaged computer sign-in
	managed   int                // managed computer sign-ins
	events    []*event.Event     // unmanaged computer sign-ins
	devices   map[string]bool
}

// dayShare is the share of known days with an unmanaged computer.
func (dd deviceDays) dayShare() float64 {
	if len(dd.known) == 0 {
		return 0
	}
	return float64(len(dd.unmanaged)) / float64(len(dd.known))
}

// eventShare is the share of computer sign-ins from unmanaged computers.
func (dd deviceDays) eventShare() float64 {
	if n := len(dd.events) + dd.managed; n > 0 {
		return float64(len(dd.events)) / float64(n)
	}
	return 0
}

// computerDays reads the person's computer sign-ins.
func computerDays(p *profile.Person, states activity.DeviceStates) deviceDays {
	dd := deviceDays{known: map[time.Time]bool{}, unmanaged: map[time.Time]bool{}, devices: map[string]bool{}}
	var arrived time.Time
	if len(p.Shipments) > 0 {
		arrived = p.Shipments[0].Time.AddDate(0, 0, deliveryDays)
	}
	for _, e := range p.SignIns {
		state := states.Of(e)
		if state == "" || e.Time.Before(arrived) {
			continue
		}
		dd.known[detect.Day(e.Time)] = true
		if state != activity.Unmanaged {
			dd.managed++
			continue
		}
		dd.unmanaged[detect.Day(e.Time)] = true
		dd.events = append(dd.events, e)
		label := deviceLabel(e.SignIn)
		if states.Unregistered(e) {
			label = "unregistered " + strings.TrimSpace(e.SignIn.OS+" "+e.SignIn.Browser) + " computer"
		}
		dd.devices[label] = true
	}
	return dd
}

// deviceLabel names a sign-in's device: "DESKTOP-8K2L1 (Windows10)".
func deviceLabel(si *event.SignIn) string {
	name := si.DeviceName
	if name == "" {
		name = si.DeviceID
	}
	if name == "" {
		name = "unregistered device"
	}
	if si.OS != "" {
		name += " (" + si.OS + ")"
	}
	return name
}

// Detect implements detect.Indicator.
func (d *UnmanagedDevice) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	states := in.Pop.DeviceStates
	days := map[string]deviceDays{}
	var withState, mostlyUnmanaged int
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("IAM-07: %w", err)
		}
		dd := computerDays(p, states)
		days[p.ID] = dd
		if len(dd.known) > 0 {
			withState++
			if dd.eventShare() >= 0.5 {
				mostlyUnmanaged++
			}
		}
	}
	if withState >= byodMinPeople && float64(mostlyUnmanaged) > byodShare*float64(withState) {
		return nil, nil // a bring-your-own-device organisation
	}
	var out []detect.Finding
	for _, p := range in.Pop.People {
		dd := days[p.ID]
		share := dd.dayShare()
		unmanagedDays := slices.Collect(maps.Keys(dd.unmanaged))
		slices.SortFunc(unmanagedDays, time.Time.Compare)
		if len(unmanagedDays) < unmanagedMinDays || activity.Weeks(unmanagedDays) < unmanagedMinWeeks || share < unmanagedMinShare {
			continue
		}
		conf := 0.3 + 0.7*dd.eventShare()
		if dd.managed == 0 {
			conf = 1 // never a managed computer
		}
		var ev []detect.Evidence
		seen := map[time.Time]bool{}
		for _, e := range dd.events {
			if seen[detect.Day(e.Time)] {
				continue
			}
			seen[detect.Day(e.Time)] = true
			what := "unmanaged " + deviceLabel(e.SignIn)
			if states.Unregistered(e) {
				what = "a computer not registered with the identity provider (" + strings.TrimSpace(e.SignIn.OS+" "+e.SignIn.Browser) + ")"
			}
			ev = append(ev, detect.EvidenceOf(e, "%s %s from %s via %s", detect.Stamp(e.Time), e.SignIn.Action, what, e.Net().IP))
		}
		ev, more := detect.CapEvidence(ev)
		devices := make([]string, 0, len(dd.devices))
		for dv := range dd.devices {
			devices = append(devices, dv)
		}
		slices.Sort(devices)
		out = append(out, detect.Finding{
			Indicator: d.ID(),
			Person:    p.ID,
			Summary: fmt.Sprintf("signed in from unmanaged computers on %d of %d days with computer sign-ins (%.0f%%; %.0f%% of "+
				"computer sign-ins): %s%s", len(dd.unmanaged), len(dd.known), 100*share, 100*dd.eventShare(),
				strings.Join(devices, ", "), more),
			Confidence: detect.Round2(conf),
			Evidence:   ev,
		})
	}
	return out, nil
}
