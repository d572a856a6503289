package sim

import (
	"math/rand/v2"
	"time"
)

// Hard-negative behaviours of legitimate staff: each produces data that a
// naive detector would take for an operative's. Their names appear in the
// truth file.
const (
	BehaviourTraveller      = "traveller"       // a week abroad, flight-realistic timing, hotel networks, roaming
	BehaviourDomesticTrip   = "domestic_trip"   // a few days in another US city
	BehaviourCorporateVPN   = "corporate_vpn"   // every session through the sanctioned Zscaler gateway
	BehaviourConsumerVPN    = "consumer_vpn"    // privacy-minded: some sessions through NordVPN/Mullvad-style exits
	BehaviourNightOwl       = "night_owl"       // sign-ins at 1–4 am local
	BehaviourResidentAbroad = "resident_abroad" // lives and works outside the US, local ISP and hours
	BehaviourCouple         = "couple"          // shares a home (and its IP) with another employee
	BehaviourJointAccount   = "joint_account"   // couple paid into the same joint bank account
	BehaviourOffice         = "office"          // signs in from the shared office egress address; laptop often delivered to the office
	BehaviourMobileCGNAT    = "mobile_cgnat"    // T-Mobile addresses shared by unrelated subscribers
	BehaviourContractorPay  = "contractor_payout_abroad"
	BehaviourRelocated      = "relocated"        // moved: roster address updated, laptop re-shipped
	BehaviourMovedAbroad    = "relocated_abroad" // moved to another country: roster, payroll bank and sign-ins follow together
	BehaviourAgency         = "agency_candidate" // candidate record carries a recruiting agency's email/phone
	BehaviourReferred       = "referred"         // hired or applied through an employee referral
	BehaviourStaffingFirm   = "staffing_firm"    // contractor paid through a staffing firm's account
	BehaviourEORPayee       = "eor_payee"        // employed abroad through an employer of record: payroll pays the platform's one funding account
	BehaviourPersonalDevice = "personal_device"  // sometimes signs in from an unmanaged home computer
)

// plan is what drives a person's daily activity.
type plan struct {
	office        bool
	zscaler       []*Egress // egress pool of the nearest Zscaler data centre; nil = none
	vpnShare      float64   // share of laptop sessions through a consumer VPN
	nightOwl      bool
	mobile        *ISP    // mobile carrier; nil = never signs in over mobile data
	mobileShare   float64 // chance per workday of an extra sign-in from the phone
	personalShare float64 // chance a laptop session is from a personal computer instead
	trips         []trip
	vacation      [2]int // first day and length of a holiday (length 0 = none)
	relocation    *relocation
	pwChange      int     // day of a password change, -1 = none
	startMean     float64 // usual start of the working day, local hours
	weekendWork   float64 // chance of a short weekend session
	partner       *Person // the other half of a couple
}

// trip is a stay away from home.
type trip struct {
	depart, back int // day indices (home calendar) of the outbound and return flights
	dest         *Place
	hotel        *Egress
	outArrive    time.Time // arrival at the destination
	backArrive   time.Time // arrival back home
	backDepart   time.Time // departure of the return flight
}

// relocation is a move of home.
type relocation struct {
	day  int
	from Address
	tz   string
}

func (pl *plan) defaults(r *rand.Rand) {
	pl.startMean = normal(r, 8.6, 0.7, 7, 10.5)
	pl.pwChange = -1
	if chance(r, 0.35) {
		pl.pwChange = -2 // resolved to a day in planLegit
	}
	pl.weekendWork = 0.03 + r.Float64()*0.1
	if chance(r, 0.6) {
		pl.vacation = [2]int{-1, between(r, 5, 9)}
	}
}

// makeCompanyNetworks builds the networks shared by many people: the
// office egress, Zscaler data centres, T-Mobile CGNAT pools and consumer
// VPN exits.
func (o *Org) makeCompanyNetworks() {
	r := newRand(o.cfg.Seed, streamOrg, 1, 0)
	chi := placeByCity("Chicago", "US")
	zayo := ispByKey("zayo")
	office := &Office{Place: chi, Egress: newEgress(r, o.ips.fresh(r, zayo), zayo, chi)}
	office.Egress.Zone = "Chicago Office"
	o.office = office
	for _, p := range o.People {
		if p.plan.office {
			office.People = append(office.People, p)
		}
	}
	o.zscaler = map[string][]*Egress{}
	zs := ispByKey("zscaler")
	for _, city := range zscalerDCs {
		pl := placeByCity(city, "US")
		for range 5 {
			e := newEgress(r, o.ips.fresh(r, zs), zs, pl)
			e.Zone = "Zscaler Egress"
			o.zscaler[city] = append(o.zscaler[city], e)
		}
	}
	o.mobileNAT = map[string][]*Egress{}
	tm := ispByKey("tmobile")
	for _, pl := range usPlaces {
		if pl.Weight == 0 {
			continue
		}
		for range 12 {
			o.mobileNAT[pl.City] = append(o.mobileNAT[pl.City], newEgress(r, o.ips.fresh(r, tm), tm, pl))
		}
	}
	// Consumer VPNs connect to a nearby server: exits in US data centres
	// for people in the Americas, in Amsterdam, London or Paris otherwise.
	for range 30 {
		isp := ispByKey(pick(r, []string{"m247", "datacamp"}))
		e := newEgress(r, o.ips.fresh(r, isp), isp, placeByCity(pick(r, vpnExitCities), "US"))
		e.Proxy = true
		o.vpnExitsUS = append(o.vpnExitsUS, e)
	}
	for range 12 {
		isp := ispByKey(pick(r, []string{"m247", "datacamp", "leaseweb"}))
		pl := placeByCity(pick(r, []string{"Amsterdam", "London", "Paris"}), "")
		if isp.Key == "leaseweb" {
			pl = placeByCity("Amsterdam", "NL")
		}
		e := newEgress(r, o.ips.fresh(r, isp), isp, pl)
		e.Proxy = true
		o.vpnExitsEU = append(o.vpnExitsEU, e)
	}
	o.makeRunners()
}

var zscalerDCs = []string{"Chicago", "New York", "Ashburn", "Atlanta", "Dallas", "Denver", "Los Angeles", "Santa Clara", "Seattle", "Miami"}
var vpnExitCities = []string{"Secaucus", "Los Angeles", "Chicago", "Dallas", "Miami", "Atlanta", "Seattle", "Ashburn", "Phoenix", "Santa Clara"}

// nearestZscaler returns the egress pool of the data centre nearest p.
func (o *Org) nearestZscaler(p *Place) []*Egress {
	best, bestD := zscalerDCs[0], 1e18
	for _, c := range zscalerDCs {
		dc := placeByCity(c, "US")
		if d := distanceKm(p.Lat, p.Lon, dc.Lat, dc.Lon); d < bestD {
			best, bestD = c, d
		}
	}
	return o.zscaler[best]
}

// planLegit assigns the hard-negative behaviours to legitimate staff.
func (o *Org) planLegit() {
	r := newRand(o.cfg.Seed, streamLegit, 0, 0)
	var us, all []*Person
	for _, p := range o.People {
		if p.Op != nil {
			continue
		}
		all = append(all, p)
		if p.Home.Country == "US" {
			us = append(us, p)
		}
		if p.plan.office {
			p.addBehaviour(BehaviourOffice)
		}
		if p.Home.Country != "US" {
			p.addBehaviour(BehaviourResidentAbroad)
		}
	}
	whole := func(p *Person) bool { // employed for the whole window
		return p.Hired.Before(o.start) && p.Active()
	}
	for _, p := range all {
		rr := newRand(o.cfg.Seed, streamLegit, 1, uint64(p.Index))
		o.planPerson(rr, p, whole(p))
	}
	o.makeCouples(r, us)
	o.makeRelocations(r, us, whole)
	o.makeMovesAbroad(us, whole)
}

// planPerson draws the individual behaviours of one person.
func (o *Org) planPerson(r *rand.Rand, p *Person, whole bool) {
	pl := &p.plan
	home := p.Home.Place
	if pl.pwChange == -2 {
		pl.pwChange = r.IntN(o.cfg.Days)
	}
	if pl.vacation[1] > 0 {
		pl.vacation[0] = r.IntN(max(1, o.cfg.Days-pl.vacation[1]))
	}
	if len(home.Mobile) > 0 && chance(r, 0.45) {
		pl.mobile = ispByKey(pick(r, home.Mobile))
		pl.mobileShare = 0.15 + r.Float64()*0.3
		if pl.mobile.Key == "tmobile" {
			p.addBehaviour(BehaviourMobileCGNAT)
		}
	}
	sensitive := p.Department == "Security" || p.Department == "Finance" || p.Department == "Legal" || p.Department == "IT"
	if p.Home.Country == "US" && !pl.office && (sensitive && chance(r, 0.35) || chance(r, 0.015)) {
		pl.zscaler = o.nearestZscaler(home)
		p.addBehaviour(BehaviourCorporateVPN)
	} else if chance(r, 0.045) {
		pl.vpnShare = 0.2 + r.Float64()*0.3
		p.addBehaviour(BehaviourConsumerVPN)
	}
	if chance(r, 0.04) {
		pl.nightOwl = true
		p.addBehaviour(BehaviourNightOwl)
	}
	if chance(r, 0.05) {
		pl.personalShare = 0.05 + r.Float64()*0.12
		p.PersonalPC = newPersonalComputer(r)
		p.addBehaviour(BehaviourPersonalDevice)
	}
	if p.Contractor && p.Home.Country == "US" && chance(r, 0.5) {
		p.Organization = pick(r, staffingFirms).Name
		p.addBehaviour(BehaviourStaffingFirm)
	}
	if whole && o.cfg.Days >= 20 {
		switch {
		case chance(r, 0.04):
			if t, ok := o.newTrip(r, p, true); ok {
				pl.trips = append(pl.trips, t)
				p.addBehaviour(BehaviourTraveller)
			}
		case p.Home.Country == "US" && chance(r, 0.06):
			if t, ok := o.newTrip(r, p, false); ok {
				pl.trips = append(pl.trips, t)
				p.addBehaviour(BehaviourDomesticTrip)
			}
		}
	}
}

var travelDestinations = []string{"London", "Paris", "Amsterdam", "Berlin", "Tokyo", "Singapore", "Toronto", "Mexico City", "São Paulo", "Sydney", "Bengaluru", "Dubai", "Lisbon", "Madrid"}

// newTrip plans a trip: outbound flight in the afternoon, a stay of a few
// working days, return flight; arrival times follow the great-circle
// distance at airliner speed plus taxi and connection time.
func (o *Org) newTrip(r *rand.Rand, p *Person, international bool) (trip, bool) {
	home := p.Home.Place
	var dest *Place
	for range 10 {
		if international {
			dest = placeByCity(pick(r, travelDestinations), "")
		} else {
			ps, w := homePlaces(usPlaces, "US")
			dest = ps[pickWeighted(r, w)]
		}
		if dest.Country != home.Country || (!international && dest.City != home.City) {
			break
		}
		dest = nil
	}
	if dest == nil {
		return trip{}, false
	}
	length := between(r, 3, 5)
	if international {
		length = between(r, 5, 9)
	}
	depart := between(r, 2, o.cfg.Days-length-3)
	t := trip{depart: depart, back: depart + length, dest: dest}
	isp := ispByKey(pick(r, dest.ISPs))
	t.hotel = newEgress(r, o.ips.fresh(r, isp), isp, dest)
	flight := flightDuration(home, dest)
	out := o.midnight(depart, home.Loc()).Add(minutes(float64(between(r, 13*60, 18*60))))
	t.outArrive = out.Add(flight)
	t.backDepart = o.midnight(t.back, dest.Loc()).Add(minutes(float64(between(r, 10*60, 15*60))))
	t.backArrive = t.backDepart.Add(flight)
	return t, true
}

// flightDuration is block time: distance at 820 km/h plus 1h30 on the
// ground (and a connection for long hauls).
func flightDuration(a, b *Place) time.Duration {
	km := distanceKm(a.Lat, a.Lon, b.Lat, b.Lon)
	h := km/820 + 1.5
	if km > 7000 {
		h += 2.5
	}
	return time.Duration(h * float64(time.Hour))
}

// makeCouples pairs about 1% of US staff with a partner who also works
// here: same home, same home network.
func (o *Org) makeCouples(r *rand.Rand, us []*Person) {
	pairs := max(1, len(us)/100)
	used := map[*Person]bool{}
	for range pairs * 4 {
		if pairs == 0 || len(us) < 4 {
			break
		}
		a, b := pick(r, us), pick(r, us)
		if a == b || used[a] || used[b] || b.plan.office || b.plan.relocation != nil || len(b.plan.trips) > 0 {
			continue
		}
		used[a], used[b] = true, true
		b.Home, b.TZ, b.homeNet = a.Home, a.TZ, a.homeNet
		b.Phone = phoneNumber(r, a.Home.Place)
		if b.plan.zscaler != nil {
			b.plan.zscaler = o.nearestZscaler(a.Home.Place)
		}
		if chance(r, 0.5) {
			b.Family = a.Family
		}
		a.addBehaviour(BehaviourCouple)
		b.addBehaviour(BehaviourCouple)
		a.plan.partner, b.plan.partner = b, a
		pairs--
	}
}

// makeRelocations moves about 1.5% of US staff to another city inside the
// window: the roster address is updated and the laptop re-shipped.
func (o *Org) makeRelocations(r *rand.Rand, us []*Person, whole func(*Person) bool) {
	n := max(1, len(us)*15/1000)
	for _, i := range r.Perm(len(us)) {
		if n == 0 {
			break
		}
		p := us[i]
		if !whole(p) || p.plan.office || p.plan.partner != nil || len(p.plan.trips) > 0 || p.plan.zscaler != nil {
			continue
		}
		ps, w := homePlaces(usPlaces, "US")
		dest := ps[pickWeighted(r, w)]
		if dest.City == p.Home.City {
			continue
		}
		day := between(r, o.cfg.Days/5, o.cfg.Days*4/5)
		p.plan.relocation = &relocation{day: day, from: p.Home, tz: p.TZ}
		p.Home = newAddress(r, dest)
		p.TZ = dest.TZ
		isp := ispByKey(pick(r, dest.ISPs))
		p.homeNet = []netSpan{p.homeNet[0], {day, newEgress(r, o.ips.fresh(r, isp), isp, dest)}}
		p.Modified = o.midnight(day, dest.Loc()).Add(time.Duration(between(r, 9*3600, 17*3600)) * time.Second).UTC()
		p.addBehaviour(BehaviourRelocated)
		n--
	}
}

// abroadDestinations are where staff who move abroad go.
var abroadDestinations = []string{"Toronto", "Vancouver", "London", "Berlin", "Lisbon", "Madrid", "Mexico City"}

// makeMovesAbroad moves about 1% of US staff to another country inside the
// window, on its own random stream (so that adding it left every other
// person as they were): the roster home and time zone change, sign-ins
// come from a local ISP from the day of the move, payroll moves to a bank
// there (legitPayroll) and the laptop is re-shipped (shipLaptops).
func (o *Org) makeMovesAbroad(us []*Person, whole func(*Person) bool) {
	r := newRand(o.cfg.Seed, streamLegit, 2, 0)
	n := max(1, len(us)/100)
	for _, i := range r.Perm(len(us)) {
		if n == 0 {
			break
		}
		p := us[i]
		pl := &p.plan
		if !whole(p) || pl.office || pl.partner != nil || len(pl.trips) > 0 || pl.zscaler != nil || pl.relocation != nil ||
			pl.mobile != nil || pl.vpnShare > 0 || p.Contractor {
			continue
		}
		dest := placeByCity(pick(r, abroadDestinations), "")
		day := between(r, o.cfg.Days/4, o.cfg.Days*3/4)
		pl.relocation = &relocation{day: day, from: p.Home, tz: p.TZ}
		p.Home = newAddress(r, dest)
		p.TZ = dest.TZ
		isp := ispByKey(pick(r, dest.ISPs))
		p.homeNet = []netSpan{p.homeNet[0], {day, newEgress(r, o.ips.fresh(r, isp), isp, dest)}}
		p.Modified = o.midnight(day+between(r, 0, 10), dest.Loc()).Add(time.Duration(between(r, 9*3600, 17*3600)) * time.Second).UTC()
		p.addBehaviour(BehaviourMovedAbroad)
		n--
	}
}

// staffingFirm is a legitimate staffing firm that employs contractors and
// is paid into one account for all of them.
type staffingFirm struct {
	Name, Account string
}

var staffingFirms = []staffingFirm{
	{"Northbeam Staffing Inc.", "northbeam-operating"},
	{"Keystone Technical Resources LLC", "keystone-payroll"},
	{"BluePeak Consulting Group", "bluepeak-ar"},
}

func staffingFirmByName(name string) (staffingFirm, bool) {
	for _, f := range staffingFirms {
		if f.Name == name {
			return f, true
		}
	}
	return staffingFirm{}, false
}
