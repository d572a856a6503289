package sim

import (
	"fmt"
	"io"
	"strings"
)

// FileAllowList is the organisation's own allow-list, as a rollcall policy
// file (`rollcall scan --policy DIR/allow-list.yaml DIR`): what its IT and
// HR know and would write down — the office's egress address and the
// address laptops are delivered to there, the sanctioned secure web
// gateway, and most of the trips abroad that managers approved (not all:
// real travel records are incomplete).
const FileAllowList = "allow-list.yaml"

// approvedTravelShare is the share of trips abroad on record.
const approvedTravelShare = 0.8

// WriteAllowList writes FileAllowList.
func (o *Org) WriteAllowList(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# The simulated organisation's own allow-list (rollcall simulate).\n")
	b.WriteString("# Scan with it: rollcall scan --policy allow-list.yaml DIR\n")
	b.WriteString("allow:\n")
	zs := ispByKey("zscaler")
	fmt.Fprintf(&b, "  vpn_asns:\n    - asn: %d\n      name: Zscaler Internet Access\n      reason: company secure web gateway for Security, Finance, Legal and IT (IT-12)\n", zs.ASN)
	fmt.Fprintf(&b, "  egress:\n    - prefix: %s/32\n      reason: Chicago office NAT (IT-3)\n", o.office.Egress.IP)
	a := o.officeAddress()
	fmt.Fprintf(&b, "  shared_addresses:\n    - address: %s, %s, %s %s, %s\n      reason: laptops are delivered to the Chicago office for pickup (IT-7)\n",
		a.Street, a.City, a.Region, a.Postal, a.Country)
	b.WriteString("  travel:\n")
	n := 0
	for _, p := range o.People {
		if p.Op != nil {
			continue
		}
		r := newRand(o.cfg.Seed, streamLegit, 4, uint64(p.Index))
		home := p.Home.Country
		if rl := p.plan.relocation; rl != nil {
			home = rl.from.Country
		}
		for _, t := range p.plan.trips {
			if t.dest.Country == home || !chance(r, approvedTravelShare) {
				continue
			}
			from := o.midnight(t.depart, p.Loc()).AddDate(0, 0, -1)
			to := o.midnight(t.back, p.Loc()).AddDate(0, 0, 1)
			fmt.Fprintf(&b, "    - person: %s\n      countries: [%s]\n      from: %s\n      to: %s\n      reason: trip to %s approved by manager (TRAVEL-%d)\n",
				p.EmployeeNumber, t.dest.Country, from.Format("2006-01-02"), to.Format("2006-01-02"), t.dest.City, 100+n)
			n++
		}
	}
	if n == 0 {
		b.WriteString("    []\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
