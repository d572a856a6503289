package sim

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Tells are derived from the generated records, never from intent, by the
// rules below (each mirrors the observable in INDICATORS.md):
//
//	APP-01 a candidate email, phone or website also on a candidate with another name
//	APP-12 the candidate's email or phone is on four or more applications
//	APP-14 an application credited to a referrer who is an operative
//	APP-21 a candidate phone in a VoIP range (UK 056, Dutch 085)
//	APP-22 a candidate email on a disposable-mail domain
//	ONB-01 a laptop shipped somewhere other than the roster home
//	ONB-02 a ship-to address also used for another employee
//	ONB-03 a ship-to address that is a private mailbox (PMB)
//	ONB-07 hired in the window, and in the first 14 days a sign-in from a
//	       hosting/proxy network, an unmanaged computer or another region
//	PAY-01 a payout account shared with another employee, or changed within 60 days of hire
//	PAY-02 payout by crypto, Payoneer or Wise, or to a bank outside the home country
//	PAY-04 paid through the cell's company, shared by several employees
//	IAM-01 a sign-in from a hosting network or a proxy Okta flags
//	IAM-02 an MFA device that completes MFA for another person too
//	IAM-03 a residential or business address (not hosting, gateway or
//	       mobile) shared with someone whose home differs
//	IAM-04 consecutive sign-ins more than 500 km apart faster than 1000 km/h
//	IAM-06 the zone offset inferred from sign-in times (circular mean of the
//	       start hour taken as 09:00 local) is 4 hours or more from the roster zone's
//	IAM-07 a sign-in from an unmanaged computer
//	NET-02 at least half of the non-VPN sign-ins (and five or more) outside the home region
//
// The tells of the code-host, git and endpoint data follow the rules in
// tells_sources.go.

type tellIndex struct {
	o           *Org
	shipTo      map[string]map[string]bool // address key -> employee ids
	accounts    map[string]map[string]bool // account -> employee ids
	contacts    map[string]map[string]bool // candidate contact -> names
	contactApps map[string]int             // candidate email/phone -> applications
	acts        map[*Person][]*Activity
	ipUsers     map[string]map[*Person]bool
	mfaUsers    map[string]map[*Person]bool
}

func add[K comparable, V comparable](m map[K]map[V]bool, k K, v V) {
	if m[k] == nil {
		m[k] = map[V]bool{}
	}
	m[k][v] = true
}

func (o *Org) newTellIndex() *tellIndex {
	t := &tellIndex{o: o, shipTo: map[string]map[string]bool{}, accounts: map[string]map[string]bool{},
		contacts: map[string]map[string]bool{}, contactApps: map[string]int{}, acts: map[*Person][]*Activity{},
		ipUsers: map[string]map[*Person]bool{}, mfaUsers: map[string]map[*Person]bool{}}
	for _, s := range o.Shipments {
		add(t.shipTo, s.To.Key(), s.EmployeeID)
	}
	for _, r := range o.Payroll {
		add(t.accounts, r.Account, r.EmployeeID)
	}
	for _, c := range o.Candidates {
		name := strings.ToLower(c.Given + " " + c.Family)
		for _, v := range candidateContacts(c) {
			add(t.contacts, v, name)
		}
		for _, v := range append(contactValues(c.Emails), contactValues(c.Phones)...) {
			t.contactApps[v] += len(c.Apps)
		}
	}
	// Operatives are the only ones whose addresses can be shared with a
	// different home: legitimate staff never use farm, own or VPN
	// addresses of a cell, and legitimate MFA phones are personal.
	for _, c := range o.Cells {
		for _, p := range c.Members {
			acts := o.PersonActivities(p)
			t.acts[p] = acts
			for _, a := range acts {
				add(t.ipUsers, a.Egress.IP.String(), p)
				if a.MFA != nil {
					add(t.mfaUsers, a.MFA.ID, p)
				}
			}
		}
	}
	return t
}

func contactValues(cs []Contact) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, strings.ToLower(c.Value))
	}
	return out
}

func candidateContacts(c *Candidate) []string {
	out := append(contactValues(c.Emails), contactValues(c.Phones)...)
	out = append(out, contactValues(c.Websites)...)
	for _, s := range c.Social {
		out = append(out, strings.ToLower(s))
	}
	return out
}

// candidateTells are the applicant-stage tells of a candidate record.
func (t *tellIndex) candidateTells(c *Candidate) []string {
	out := []string{}
	for _, v := range candidateContacts(c) {
		if len(t.contacts[v]) > 1 {
			out = append(out, "APP-01")
			break
		}
	}
	for _, v := range append(contactValues(c.Emails), contactValues(c.Phones)...) {
		if t.contactApps[v] >= 4 {
			out = append(out, "APP-12")
			break
		}
	}
	if slices.ContainsFunc(c.Phones, func(p Contact) bool { return isVoIPNumber(p.Value) }) {
		out = append(out, "APP-21")
	}
	if slices.ContainsFunc(c.Emails, func(e Contact) bool { return isDisposableMail(e.Value) }) {
		out = append(out, "APP-22")
	}
	for _, a := range c.Apps {
		if a.Source == srcReferral && a.CreditedTo != nil && a.CreditedTo.Employee != nil && a.CreditedTo.Employee.Op != nil {
			out = append(out, "APP-14")
			break
		}
	}
	return out
}

// employeeTells are all tells of a hired operative.
func (t *tellIndex) employeeTells(p *Person) []string {
	out := []string{}
	if p.Candidate != nil {
		out = append(out, t.candidateTells(p.Candidate)...)
	}
	home := p.Home.Key()
	for _, s := range t.o.Shipments {
		if s.EmployeeID != p.EmployeeNumber {
			continue
		}
		if s.To.Key() != home {
			out = append(out, "ONB-01")
		}
		if len(t.shipTo[s.To.Key()]) > 1 {
			out = append(out, "ONB-02")
		}
		if strings.Contains(s.To.Street, " PMB ") || strings.Contains(strings.ToUpper(s.To.Street), "PO BOX") {
			out = append(out, "ONB-03")
		}
	}
	var rows []PayrollRow
	for _, r := range t.o.Payroll {
		if r.EmployeeID == p.EmployeeNumber {
			rows = append(rows, r)
		}
	}
	for i, r := range rows {
		if len(t.accounts[r.Account]) > 1 || i > 0 && r.Account != rows[0].Account && r.Effective.Sub(dateOnly(p.Hired)) <= 60*24*time.Hour {
			out = append(out, "PAY-01")
		}
		if r.Method == "crypto" || r.Method == "payoneer" || r.Method == "wise" || r.BankCountry != "" && r.BankCountry != p.Home.Country {
			out = append(out, "PAY-02")
		}
		if r.Payee == p.Op.Cell.Entity && len(t.accounts[r.Account]) > 1 {
			out = append(out, "PAY-04")
		}
	}
	out = append(out, t.signInTells(p)...)
	out = append(out, t.o.sourceTells(p, t.o.personSourceRecords(p, t.acts[p]))...)
	slices.Sort(out)
	return slices.Compact(out)
}

// signInTells are the tells of a hired operative's sign-ins.
func (t *tellIndex) signInTells(p *Person) []string {
	acts := t.acts[p]
	var out []string
	homeRegion := p.Home.Place.Region + "|" + p.Home.Country
	var other, vpnless int
	var sx, sy float64
	var prev *Activity
	for _, a := range acts {
		e := a.Egress
		hosting := e.ISP.Kind == Hosting || e.Proxy
		if hosting {
			out = append(out, "IAM-01")
		} else {
			vpnless++
			if e.Place.Region+"|"+e.Place.Country != homeRegion {
				other++
			}
		}
		if a.MFA != nil && len(t.mfaUsers[a.MFA.ID]) > 1 {
			out = append(out, "IAM-02")
		}
		if !hosting && e.ISP.Kind != SecureGateway && e.ISP.Kind != Mobile {
			for q := range t.ipUsers[e.IP.String()] {
				if q != p && q.Home.Key() != p.Home.Key() {
					out = append(out, "IAM-03")
					break
				}
			}
		}
		if prev != nil {
			km := distanceKm(prev.Egress.Lat, prev.Egress.Lon, e.Lat, e.Lon)
			if h := a.Start.Sub(prev.Start).Hours(); km > 500 && (h <= 0 || km/h > 1000) {
				out = append(out, "IAM-04")
			}
		}
		prev = a
		u := a.Start.UTC()
		ang := 2 * math.Pi * (float64(u.Hour()) + float64(u.Minute())/60) / 24
		sx, sy = sx+math.Cos(ang), sy+math.Sin(ang)
		if !a.Device.Managed && !a.Device.Mobile {
			out = append(out, "IAM-07")
		}
		if a.Start.Sub(p.Hired) < 14*24*time.Hour && !p.Hired.Before(t.o.start) &&
			(hosting || !a.Device.Managed || e.Place.Region+"|"+e.Place.Country != homeRegion) {
			out = append(out, "ONB-07")
		}
	}
	if len(acts) > 0 {
		meanUTC := math.Atan2(sy, sx) * 24 / (2 * math.Pi) // hour of day, UTC
		inferred := 9 - meanUTC
		_, off := t.o.start.AddDate(0, 0, t.o.cfg.Days/2).In(p.Loc()).Zone()
		diff := math.Mod(math.Abs(inferred-float64(off)/3600), 24)
		if diff > 12 {
			diff = 24 - diff
		}
		if diff >= 4 {
			out = append(out, "IAM-06")
		}
	}
	if vpnless >= 5 && other*2 >= vpnless {
		out = append(out, "NET-02")
	}
	return out
}
