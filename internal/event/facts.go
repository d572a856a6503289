package event

import "fmt"

// Facts are what enrichment derives from an event once, where the data
// enters (internal/enrich.Stamp), so that indicators, the person model and
// the identity graph read one answer instead of re-deriving it. They are
// written before detection and read-only afterwards.
//
// The cost per event is kept small: the network facts are one pointer to a
// value shared by every event with the same network, verdict and country;
// the device class is one byte (16 bytes per event in all); contact keys
// live in the payloads of the few roster, applicant and shipment records
// (Person.Keys, Applicant.Keys, Shipment.Keys; see Event.Contacts).
type Facts struct {
	// Net is set on sign-ins and audit actions that have a network
	// context; nil otherwise or before stamping.
	Net *NetFacts `json:"-"`
	// Device classifies a sign-in's device context, or says an audit
	// action was performed by a build system; zero for other kinds.
	Device DeviceClass `json:"-"`
}

// NetKind is what a network says about how a person reached us.
type NetKind uint8

// Network kinds, from harmless to anonymising.
const (
	// NetOrdinary: a residential or business ISP, or nothing known.
	NetOrdinary NetKind = iota
	// NetSanctioned: the policy allow-lists the AS (corporate VPN, cloud
	// desktop) or the address is a corporate egress range.
	NetSanctioned
	// NetGateway: an enterprise secure web gateway (Zscaler, Netskope…)
	// or a shared edge network carrying privacy relays (Cloudflare,
	// iCloud Private Relay). Never anonymiser use; its geography is not
	// the person's.
	NetGateway
	// NetMobile: a mobile carrier; carrier-grade NAT geolocates to a
	// gateway city and shares one address among unrelated subscribers.
	NetMobile
	// NetHosting: a hosting, cloud or VPS network.
	NetHosting
	// NetAnonymiser: a VPN, proxy or Tor exit.
	NetAnonymiser
)

var netKindNames = [...]string{"ordinary", "sanctioned", "gateway", "mobile", "hosting", "anonymiser"}

func (k NetKind) String() string {
	if int(k) < len(netKindNames) {
		return netKindNames[k]
	}
	return fmt.Sprintf("NetKind(%d)", int(k))
}

// NetVerdict is the classification of one network context.
type NetVerdict struct {
	Kind NetKind
	// Name is the operator: the list entry, the database's service name or
	// the vendor's AS organisation.
	Name string
	// Why says what decided the verdict, for evidence, e.g. "AS9009 on the
	// network list (hosting)" or "Okta flags the address as a proxy".
	Why string
	// Favoured is set when the network is a VPN that advisories name as
	// favoured by DPRK IT workers (Astrill).
	Favoured bool
}

// Hides reports whether the network hides where the person is: an
// anonymiser or a hosting network.
func (v NetVerdict) Hides() bool { return v.Kind == NetAnonymiser || v.Kind == NetHosting }

// NetFacts are the derived facts of one network context at one time.
type NetFacts struct {
	Verdict NetVerdict
	// Country is the network's country (ISO alpha-2, upper case): the
	// vendor's code, else the vendor's country name converted, else the
	// IP databases'; "" when nobody knows.
	Country string
	// Locates is set when the address can show where a person is, so that
	// people seen behind it share a location: a public address outside
	// carrier-grade NAT space on an ordinary network (not allow-listed,
	// gateway, mobile carrier, hosting or anonymiser) and not on the
	// policy's extra carrier list.
	Locates bool
}

// DeviceClass classifies the device context of a sign-in, as bits.
type DeviceClass uint8

// Device classes. A sign-in may be several (an MFA step on a phone).
const (
	// DevicePhone: the sign-in came from a phone or tablet (operating
	// system, user agent or device name).
	DevicePhone DeviceClass = 1 << iota
	// DeviceMFAStep: the event is an MFA step of its own (Okta
	// user.authentication.auth_via_mfa, user.mfa.*), whose device context
	// is the authenticator.
	DeviceMFAStep
	// DeviceAutomated: a sign-in or code-host action a machine performs
	// on the person's behalf (Entra token refreshes, service principals,
	// CI runners cloning with the person's token).
	DeviceAutomated
	// DeviceComputer: a successful, interactive sign-in from a computer —
	// not a phone, an MFA step, a policy evaluation, a token refresh or a
	// session end.
	DeviceComputer
)

// Has reports whether every bit of f is set in c.
func (c DeviceClass) Has(f DeviceClass) bool { return c&f == f }

// Contacts are the canonical contact keys of a record: one entry per
// phone, email and address, in the order the record lists them (a roster
// record's user name follows its emails as one more mailbox); an entry
// that normalises to nothing has an empty key.
type Contacts struct {
	Phones    []Phone
	Mailboxes []string // canonical mailboxes (see enrich/email); "" for a string that is no address
	Addresses []AddressFacts
}

// Phone is one phone number in canonical form.
type Phone struct {
	Raw  string // as the record wrote it
	E164 string // "+14155550123"; "" when it cannot be parsed
	// Key compares numbers: the E.164 form when known, else the last ten
	// digits.
	Key  string
	Line string // line type: "mobile", "fixed_line", "voip", "toll_free"… or "" when unknown
}

// AddressFacts are the comparison key and class of one postal address.
type AddressFacts struct {
	Key   string // enrich/address Key; "" when the address has no street line
	Class string // enrich/address Class
}

// Contacts returns the canonical contact keys of a roster, applicant or
// shipment record, or nil (other kinds, or not stamped).
func (e *Event) Contacts() *Contacts {
	switch {
	case e.Person != nil:
		return e.Person.Keys
	case e.Applicant != nil:
		return e.Applicant.Keys
	case e.Shipment != nil:
		return e.Shipment.Keys
	}
	return nil
}

// SetContacts records a roster, applicant or shipment record's contact
// keys (enrich.Stamp); it does nothing for other kinds.
func (e *Event) SetContacts(c *Contacts) {
	switch {
	case e.Person != nil:
		e.Person.Keys = c
	case e.Applicant != nil:
		e.Applicant.Keys = c
	case e.Shipment != nil:
		e.Shipment.Keys = c
	}
}

// AddressKey returns the key of the record's i-th address (for a shipment,
// 0 is the ship-to address): "" when the address has no street line, when
// there is no such address or when the record was not stamped.
func (e *Event) AddressKey(i int) string {
	c := e.Contacts()
	if c == nil || i < 0 || i >= len(c.Addresses) {
		return ""
	}
	return c.Addresses[i].Key
}
