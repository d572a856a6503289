package onboarding

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// SerialMismatch is ONB-06: the endpoint agent on the person's machine
// reports a hardware serial that is not the serial of the laptop shipped
// to them. The company laptop stays at a farm or a forwarder while the
// agent runs on another machine, or a laptop shipped to someone else turns
// up under this person's account.
type SerialMismatch struct{}

var _ detect.Indicator = (*SerialMismatch)(nil)

// ID implements detect.Indicator.
func (*SerialMismatch) ID() string { return "ONB-06" }

// Name implements detect.Indicator.
func (*SerialMismatch) Name() string {
	return "Device serial seen by the endpoint agent differs from the serial shipped"
}

// Stage implements detect.Indicator.
func (*SerialMismatch) Stage() detect.Stage { return detect.StageOnboarding }

// Strength implements detect.Indicator.
func (*SerialMismatch) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator.
func (*SerialMismatch) Sources() []string { return []string{"osquery", "shipments"} }

// Weight implements detect.Indicator.
func (*SerialMismatch) Weight() float64 { return 30 }

// Timing of the judgement.
const (
	// mismatchOnboarding: an unknown machine that starts reporting within
	// this time of a shipment to the person replaced the shipped laptop
	// from the start.
	mismatchOnboarding = 60 * 24 * time.Hour
	// mismatchHandover: how long the shipped laptop may keep reporting
	// after its replacement appeared (a handover, not a second machine).
	mismatchHandover = 7 * 24 * time.Hour
)

// Confidences of the forms of the finding.
const (
	confShippedToOther   = 1.0 // the serial was shipped to another (active) person
	confRedeployed       = 0.5 // … to someone who has left (a returned laptop redeployed)
	confFromTheStart     = 1.0 // the shipped laptop never reported; another one did from onboarding
	confSecondMachine    = 0.5 // another machine beside the shipped one
	confUnknownLongAfter = 0.4 // the shipped laptop never reported, but the data start long after shipping
)

var (
	// placeholderSerial are the serials of machines whose firmware was
	// never given one: no comparison is possible.
	placeholderSerial = regexp.MustCompile(`(?i)^(0+|none|n/?a|null|unknown|invalid|default string|not specified|not applicable|` +
		`to be filled by o\.?e\.?m\.?|system serial number|chassis serial number|0123456789|serial|123456789)$`)
	// virtualMachine recognises a virtual machine by its serial or vendor.
	virtualMachine = regexp.MustCompile(`(?i)(^vmware-|^parallels-|virtualbox|innotek|qemu|^microsoft corporation$|virtual machine)`)
)

// Description implements detect.Indicator.
func (*SerialMismatch) Description() string {
	return "The endpoint agent (osquery system_info hardware_serial) on a machine signed in as the person reports a " +
		"hardware serial other than the one on the equipment shipped to them. Operatives leave the company laptop at a " +
		"laptop farm or forwarder and enrol another machine (or a virtual machine), or a laptop shipped to one identity " +
		"turns up under another. Full confidence when the serial was shipped to another active person, or when the " +
		"shipped laptop never reported and the other machine did from within 60 days of the shipment; half when it runs " +
		"beside the shipped laptop (a second machine); 40% when the shipped laptop never reported but the data begin long " +
		"after it was shipped (an unrecorded replacement is then as likely). Hosts resolve to people through the shipped " +
		"serial, else through the username the agent reports. Known false positives — replacement hardware: quiet when a " +
		"later shipment to the person carries the reported serial, when a shipment to them without a recorded serial " +
		"precedes the new machine by up to 60 days, or when the shipped laptop reported first and stopped within a week " +
		"of the new one appearing (a handover); a returned laptop redeployed without a shipment record (half confidence " +
		"when its earlier holder has left); machines whose firmware has no real serial (never compared)."
}

// References implements detect.Indicator.
func (*SerialMismatch) References() []string {
	return []string{
		"Mandiant (Google Cloud), Staying a Step Ahead: Mitigating the DPRK IT Worker Threat, Sept 2024 (verify that the device serial seen matches the one shipped)",
		"US DOJ, laptop-farm prosecutions 2024-2025 (company laptops held at facilitators' homes while the workers connected from abroad)",
	}
}

// seenSerial is one serial one host reported.
type seenSerial struct {
	serial, raw string
	host        string
	first, last *event.Event
	vm          bool
}

// Detect implements detect.Indicator.
func (d *SerialMismatch) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	shippedTo := shippedSerialOwners(in.Pop)
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ONB-06: %w", err)
		}
		mine := map[string]*event.Event{} // serial → latest shipment of it to p
		for _, e := range p.Shipments {
			if s := device.SerialKey(e.Shipment.AssetSerial); s != "" {
				mine[s] = e
			}
		}
		if len(mine) == 0 {
			continue // nothing shipped with a serial: nothing to compare
		}
		seen := reportedSerials(p)
		var parts []string
		var ev []detect.Evidence
		var related []string
		var conf float64
		for _, s := range seen {
			if mine[s.serial] != nil {
				continue
			}
			c, why, extra, other := judgeSerial(p, s, seen, mine, shippedTo)
			if c == 0 {
				continue
			}
			conf = max(conf, c)
			what := "hardware serial " + s.raw
			if s.vm {
				what += " (a virtual machine)"
			}
			parts = append(parts, fmt.Sprintf("host %s reports %s from %s to %s: %s", s.host, what, detect.Date(s.first.Time), detect.Date(s.last.Time), why))
			ev = append(ev, detect.EvidenceOf(s.first, "%s: endpoint agent on host %s reports %s", mismatchStamp(s.first.Time), s.host, what))
			if s.last != s.first {
				ev = append(ev, detect.EvidenceOf(s.last, "%s: host %s still reports %s", mismatchStamp(s.last.Time), s.host, s.raw))
			}
			ev = append(ev, extra...)
			if other != nil && !slices.Contains(related, other.ID) {
				related = append(related, other.ID)
			}
		}
		if len(ev) == 0 {
			continue
		}
		summary := strings.Join(parts, "; ")
		if len(ev) > detect.MaxEvidence {
			summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
			ev = ev[:detect.MaxEvidence]
		}
		slices.Sort(related)
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev, Related: related})
	}
	return out, nil
}

// judgeSerial decides about one reported serial that was not shipped to p:
// its confidence (0: quiet), why, the shipment records to cite and the
// other person it was shipped to, if any.
func judgeSerial(p *profile.Person, s seenSerial, seen []seenSerial, mine map[string]*event.Event,
	shippedTo map[string]serialShipment) (float64, string, []detect.Evidence, *profile.Person) {
	if o, ok := shippedTo[s.serial]; ok && o.person != p {
		ev := []detect.Evidence{detect.EvidenceOf(o.event, "%s shipped to %s on %s", s.raw, mismatchLabel(o.person), detect.Date(o.event.Shipment.ShippedOn))}
		if hr := o.person.HR(); hr != nil && !hr.Active {
			return confRedeployed, fmt.Sprintf("that laptop was shipped to %s, who has left (a returned laptop redeployed?)", mismatchLabel(o.person)), ev, o.person
		}
		return confShippedToOther, fmt.Sprintf("that laptop was shipped to %s", mismatchLabel(o.person)), ev, o.person
	}
	first := s.first.Time
	for _, e := range p.Shipments {
		if device.SerialKey(e.Shipment.AssetSerial) == "" && !e.Time.After(first) && first.Sub(e.Time) <= mismatchOnboarding {
			return 0, "", nil, nil // a replacement shipped without a recorded serial
		}
	}
	var shippedSeen bool
	for _, o := range seen {
		if mine[o.serial] == nil {
			continue
		}
		shippedSeen = true
		if o.first.Time.Before(first) && !o.last.Time.After(first.Add(mismatchHandover)) {
			return 0, "", nil, nil // the shipped laptop handed over to its replacement
		}
	}
	latest := latestShipment(mine, first)
	ev := []detect.Evidence{detect.EvidenceOf(latest, "laptop %s shipped to this person on %s", latest.Shipment.AssetSerial, detect.Date(latest.Shipment.ShippedOn))}
	if shippedSeen {
		return confSecondMachine, fmt.Sprintf("a second machine beside the shipped laptop %s", latest.Shipment.AssetSerial), ev, nil
	}
	gap := first.Sub(latest.Time)
	if gap < 0 {
		gap = -gap
	}
	if gap <= mismatchOnboarding {
		return confFromTheStart, fmt.Sprintf("the laptop shipped on %s (%s) never reported; this machine did from %d days after shipping",
			detect.Date(latest.Shipment.ShippedOn), latest.Shipment.AssetSerial, int(first.Sub(latest.Time).Hours()/24)), ev, nil
	}
	return confUnknownLongAfter, fmt.Sprintf("the laptop shipped on %s (%s) never reported in the data, which begin %d days later (possibly an unrecorded replacement)",
		detect.Date(latest.Shipment.ShippedOn), latest.Shipment.AssetSerial, int(gap.Hours()/24)), ev, nil
}

// latestShipment is the person's shipment with a serial nearest before t
// (else the earliest after it).
func latestShipment(mine map[string]*event.Event, t time.Time) *event.Event {
	var best *event.Event
	for _, e := range mine {
		switch {
		case best == nil:
			best = e
		case !e.Time.After(t) && (best.Time.After(t) || e.Time.After(best.Time)):
			best = e
		case e.Time.After(t) && best.Time.After(t) && e.Time.Before(best.Time):
			best = e
		}
	}
	return best
}

// serialShipment is the latest shipment of a serial.
type serialShipment struct {
	person *profile.Person
	event  *event.Event
}

// shippedSerialOwners maps each shipped serial to its latest shipment.
func shippedSerialOwners(pop *profile.Population) map[string]serialShipment {
	out := map[string]serialShipment{}
	for _, p := range pop.People {
		for _, e := range p.Shipments {
			s := device.SerialKey(e.Shipment.AssetSerial)
			if s == "" {
				continue
			}
			if o, ok := out[s]; !ok || e.Time.After(o.event.Time) {
				out[s] = serialShipment{person: p, event: e}
			}
		}
	}
	return out
}

// reportedSerials lists the serials the person's hosts report in
// system_info rows, in order of first report.
func reportedSerials(p *profile.Person) []seenSerial {
	var out []seenSerial
	for _, e := range p.Devices {
		if e.Device == nil {
			continue
		}
		for _, row := range e.Device.Rows {
			raw := strings.TrimSpace(row.Get("hardware_serial"))
			s := device.SerialKey(raw)
			if s == "" || placeholderSerial.MatchString(raw) {
				continue
			}
			i := slices.IndexFunc(out, func(x seenSerial) bool { return x.serial == s && x.host == e.Device.HostID })
			if i < 0 {
				vm := virtualMachine.MatchString(raw) || virtualMachine.MatchString(row.Get("hardware_vendor")) ||
					virtualMachine.MatchString(row.Get("hardware_model"))
				out = append(out, seenSerial{serial: s, raw: raw, host: e.Device.HostID, first: e, last: e, vm: vm})
				continue
			}
			out[i].last = e
		}
	}
	return out
}

func mismatchLabel(p *profile.Person) string {
	if p.Name == "" {
		return p.ID
	}
	return fmt.Sprintf("%s (%s)", p.Name, p.ID)
}

func mismatchStamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04Z") }

// systemInfo is an osquery system_info snapshot from host (record n of the
// example results log), with the username decoration.
func exampleSystemInfo(record int, host, user string, t time.Time, serial string) *event.Event {
	return &event.Event{
		Kind: event.KindDevice,
		Time: t,
		Prov: event.Provenance{Origin: &event.Origin{Source: "osquery", File: "examples/osqueryd.results.log"}, Record: record, Line: record},
		Device: &event.Device{HostID: host, Query: "pack_inventory_system_info", Table: "system_info", Action: "snapshot",
			Rows: event.RowsOf(map[string]string{"hardware_serial": serial, "hardware_vendor": "Apple Inc.", "hardware_model": "Mac14,10",
				"computer_name": host, "decorations.username": user})},
	}
}

// Examples implements detect.Indicator: a new hire whose shipped laptop
// never reports while another machine does from the first week; and an
// engineer whose laptop was replaced (a later shipment carries the new
// serial).
func (*SerialMismatch) Examples() detect.Examples {
	home := event.Address{Street: "4810 Duval St", Locality: "Austin", Region: "TX", PostalCode: "78751", Country: "US"}
	return detect.Examples{
		Positive: detect.Example{
			Name: "shipped_laptop_never_reports_another_machine_does",
			Events: []*event.Event{
				rosterRecord(1, "E6001", "Kevin Tran", home),
				shipmentRecord(1, "E6001", "LT-6001", exampleHired.AddDate(0, 0, -3), home), // serial SNLT-6001
				exampleSystemInfo(1, "mbp-kt", "e6001", exampleHired.AddDate(0, 0, 2), "C02XK9Q7MD6R"),
				exampleSystemInfo(2, "mbp-kt", "e6001", exampleHired.AddDate(0, 0, 30), "C02XK9Q7MD6R"),
			},
			Person: "E6001",
		},
		Negative: detect.Example{
			Name: "replacement_laptop_shipped_later",
			Events: []*event.Event{
				rosterRecord(1, "E6002", "Hannah Weiss", home),
				shipmentRecord(1, "E6002", "LT-6002", exampleHired.AddDate(0, 0, -3), home),
				shipmentRecord(2, "E6002", "LT-7780", exampleHired.AddDate(0, 8, 0), home),
				exampleSystemInfo(1, "mbp-hw", "e6002", exampleHired.AddDate(0, 0, 2), "SNLT-6002"),
				exampleSystemInfo(2, "mbp-hw2", "e6002", exampleHired.AddDate(0, 8, 3), "SNLT-7780"),
			},
			Person: "E6002",
		},
	}
}
