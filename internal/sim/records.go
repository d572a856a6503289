package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// PayrollRow is one row of payroll.csv: a payout method in effect from a date.
type PayrollRow struct {
	EmployeeID  string
	Effective   time.Time // date
	Method      string    // bank, paypal, payoneer, wise, crypto, other
	Account     string    // the account's identity; written as a salted hash
	BankCountry string
	Payee       string
}

// Shipment is one row of shipments.csv.
type Shipment struct {
	EmployeeID string
	AssetTag   string
	Serial     string
	ShippedOn  time.Time
	Name       string
	To         Address
}

// officeAddress is where laptops of office staff are sometimes delivered.
func (o *Org) officeAddress() Address {
	p := o.office.Place
	return Address{Street: "180 N Kestrel Plaza Ste 1200", City: p.City, Region: p.RegionCode, Postal: "60601", Country: "US", Place: p}
}

// makeRecords builds the payroll and shipment records.
func (o *Org) makeRecords() {
	for _, p := range o.People {
		r := newRand(o.cfg.Seed, streamRecords, 0, uint64(p.Index))
		if p.Op != nil {
			o.operativePayroll(r, p)
		} else {
			o.legitPayroll(r, p)
		}
		o.shipLaptops(r, p)
	}
	slices.SortStableFunc(o.Payroll, func(a, b PayrollRow) int {
		if c := strings.Compare(a.EmployeeID, b.EmployeeID); c != 0 {
			return c
		}
		return a.Effective.Compare(b.Effective)
	})
	slices.SortStableFunc(o.Shipments, func(a, b Shipment) int { return a.ShippedOn.Compare(b.ShippedOn) })
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (o *Org) pay(p *Person, t time.Time, method, account, country, payee string) {
	o.Payroll = append(o.Payroll, PayrollRow{EmployeeID: p.EmployeeNumber, Effective: dateOnly(t), Method: method,
		Account: account, BankCountry: country, Payee: payee})
}

// legitPayroll: a bank account at hire, now and then a new one later.
func (o *Org) legitPayroll(r *rand.Rand, p *Person) {
	hire := p.Hired.In(p.Loc())
	own := "acct-" + p.EmployeeNumber
	country := p.Home.Country
	switch {
	case p.plan.partner != nil && p.Home.Country == "US" && o.jointAccount(p):
		a, b := p, p.plan.partner
		if b.Index < a.Index {
			a, b = b, a
		}
		o.pay(p, hire, "bank", fmt.Sprintf("joint-%s-%s", a.EmployeeNumber, b.EmployeeNumber), "US", a.Name()+" & "+b.Name())
		p.addBehaviour(BehaviourJointAccount)
		return
	case p.Contractor && country == "US":
		if f, ok := staffingFirmByName(p.Organization); ok {
			o.pay(p, hire, "bank", f.Account, "US", f.Name)
			return
		}
		payee := p.Name()
		if chance(r, 0.3) {
			payee = p.Family + " Consulting LLC"
		}
		method := "bank"
		if chance(r, 0.15) {
			method = "paypal"
		}
		o.pay(p, hire, method, own, "US", payee)
	case p.Organization == eorOrganization:
		// The company pays the employer of record, which pays the person:
		// payroll shows the platform's funding account for everyone it
		// employs.
		o.pay(p, hire, "bank", "deel-funding", "US", "Deel US Inc.")
		p.addBehaviour(BehaviourEORPayee)
		return
	case p.Contractor:
		method := pick(r, []string{"wise", "wise", "wise", "payoneer", "payoneer", "bank"})
		o.pay(p, hire, method, own, country, p.Name())
		if method != "bank" {
			p.addBehaviour(BehaviourContractorPay)
		}
	default:
		o.pay(p, hire, "bank", own, country, p.Name())
	}
	if rl := p.plan.relocation; rl != nil && rl.from.Country != country {
		// Moved abroad: paid at home until the move, then into a bank in
		// the new country, opened within days of arriving.
		o.Payroll[len(o.Payroll)-1].BankCountry = rl.from.Country
		o.pay(p, o.midnight(rl.day+between(r, 1, 14), p.Loc()), "bank", own+"-"+strings.ToLower(country), country, p.Name())
		return
	}
	if chance(r, 0.12) {
		span := int(o.end.Sub(p.Hired).Hours() / 24)
		if span > 60 {
			t := p.Hired.AddDate(0, 0, between(r, 60, span))
			last := o.Payroll[len(o.Payroll)-1]
			o.pay(p, t.In(p.Loc()), last.Method, own+"-2", last.BankCountry, last.Payee)
		}
	}
}

// jointAccount decides, the same way for both, whether a couple is paid
// into one joint account.
func (o *Org) jointAccount(p *Person) bool {
	a, b := p, p.plan.partner
	if b.Index < a.Index {
		a, b = b, a
	}
	return newRand(o.cfg.Seed, streamRecords, 1, uint64(a.Index)).IntN(2) == 0
}

// operativePayroll: first payouts to a US account (often a mule account
// shared by the cell, or the cell's shell company), then, weeks after the
// hire, a change to a foreign, Payoneer or crypto account the cell shares.
func (o *Org) operativePayroll(r *rand.Rand, p *Person) {
	op, c := p.Op, p.Op.Cell
	hire := p.Hired.In(p.Loc())
	switch f, isFirm := staffingFirmByName(p.Organization); {
	case isFirm:
		o.pay(p, hire, "bank", f.Account, "US", f.Name)
	case p.Organization == c.Entity:
		o.pay(p, hire, "bank", c.ID+"-entity", "US", c.Entity)
	case op.StartMule:
		if c.Mule.Payee == "" {
			c.Mule.Payee = pick(r, givenNames) + " " + pick(r, familyNames)
		}
		o.pay(p, hire, "bank", c.Mule.Key, "US", c.Mule.Payee)
	default:
		o.pay(p, hire, "bank", "acct-"+p.EmployeeNumber, "US", p.Name())
	}
	if op.PayChange > 0 {
		t := p.Hired.AddDate(0, 0, op.PayChange)
		if t.Before(o.end) {
			payee := p.Name()
			if op.PayTo.Method == "bank" && chance(r, 0.5) {
				payee = c.Entity
			}
			o.pay(p, t.In(p.Loc()), op.PayTo.Method, op.PayTo.Key, op.PayTo.Country, payee)
		}
	}
}

// shipLaptops ships the company laptop (and, for long-tenured staff, the
// laptops it replaced) before the start date; relocated staff get theirs
// re-shipped to the new home.
func (o *Org) shipLaptops(r *rand.Rand, p *Person) {
	to := p.Home
	if p.plan.relocation != nil {
		to = p.plan.relocation.from
	}
	name := p.Name()
	if p.Op != nil {
		switch p.Op.LaptopAt {
		case "farm":
			to = p.Op.Cell.Farm
		case "forwarder":
			to = p.Op.Cell.Forwarder
		}
	} else if p.plan.office && chance(r, 0.5) {
		to, name = o.officeAddress(), p.Name()+" c/o Kestrel Systems"
	}
	// Laptops are refreshed every three and a half years; the current one
	// is p.Laptop.
	first := p.Hired.AddDate(0, 0, -between(r, 3, 8))
	var dates []time.Time
	for t := first; t.Before(o.end); t = t.AddDate(3, 6, 0) {
		dates = append(dates, t)
	}
	for i, t := range dates {
		tag, serial := p.Laptop.AssetTag, p.Laptop.Serial
		if i < len(dates)-1 {
			tag = fmt.Sprintf("KS-%05d", 60000+p.Index*3+i)
			serial = serialLike(r, p.Laptop.Serial)
		}
		o.Shipments = append(o.Shipments, Shipment{EmployeeID: p.EmployeeNumber, AssetTag: tag, Serial: serial,
			ShippedOn: dateOnly(t.In(p.Loc())), Name: name, To: to})
	}
	if rl := p.plan.relocation; rl != nil {
		t := o.midnight(rl.day+between(r, 2, 6), p.Loc())
		o.Shipments = append(o.Shipments, Shipment{EmployeeID: p.EmployeeNumber, AssetTag: p.Laptop.AssetTag, Serial: p.Laptop.Serial,
			ShippedOn: dateOnly(t), Name: name, To: p.Home})
	}
}

// fingerprint is the opaque salted hash a customer computes from a payout
// account (raw account numbers never leave payroll).
func (o *Org) fingerprint(account string) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("kestrel-payroll-salt-%d|%s", o.cfg.Seed, account)))
	return hex.EncodeToString(h[:])
}

// serialLike draws a serial number in the same style as s (Apple, Dell
// service tag or Lenovo).
func serialLike(r *rand.Rand, s string) string {
	if strings.HasPrefix(s, "PF") {
		return "PF" + randUpperAlnum(r, len(s)-2)
	}
	return randUpperAlnum(r, len(s))
}
