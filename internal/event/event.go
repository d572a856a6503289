// Package event holds rollcall's normalized event and entity types.
//
// Every adapter in internal/source turns one input record into exactly one
// Event. Events are pure data: no I/O, no behaviour beyond small helpers.
// Field names follow OCSF where a counterpart exists (actor, src_endpoint,
// device), but the types are kept small and specific to what the detectors
// read.
package event

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Kind says which payload an Event carries.
type Kind string

// The event kinds. Exactly one payload pointer of an Event is set, the one
// matching its Kind.
const (
	KindSignIn    Kind = "signin"    // authentication and session events (Okta, Entra, Workspace)
	KindAudit     Kind = "audit"     // administrative and code-host actions (GitHub audit log, Okta admin events)
	KindCommit    Kind = "commit"    // one commit from git history
	KindDevice    Kind = "device"    // one endpoint observation (osquery result)
	KindPerson    Kind = "person"    // one HR roster record (SCIM User)
	KindApplicant Kind = "applicant" // one applicant-tracking candidate
	KindPayout    Kind = "payout"    // one payroll payout-method record
	KindShipment  Kind = "shipment"  // one equipment shipment
	KindProfile   Kind = "profile"   // one code-host user profile (GitHub users API)
	KindResume    Kind = "resume"    // one résumé document
	KindMeeting   Kind = "meeting"   // one participant's attendance of an online meeting (Zoom, Teams)
)

// Provenance names the exact input record an Event came from, so that every
// finding can point an analyst back to it.
type Provenance struct {
	// Origin is the file, shared by every record of it: read it with
	// Source and File. Its fields are the JSON's "source" and "file".
	*Origin
	Record int    `json:"record"`         // 1-based record number within the file
	Line   int    `json:"line,omitempty"` // 1-based line where the record starts, when known
	ID     string `json:"id,omitempty"`   // vendor's own event id (Okta uuid, Entra id…), when present
	Hash   string `json:"hash,omitempty"` // hex SHA-256 prefix of the raw record bytes, for idempotent storage
	// Unknown names the optional fields whose value had a type the field
	// never has (an object where text belongs): kept as unknown and
	// counted here, never a reason to reject the record. Out of line (it
	// is almost always empty, and nil then): read it with UnknownFields,
	// set it with SetUnknown.
	Unknown *[]string `json:"unknown,omitempty"`
}

// UnknownFields returns the names of the record's fields kept as unknown.
func (p Provenance) UnknownFields() []string {
	if p.Unknown == nil {
		return nil
	}
	return *p.Unknown
}

// SetUnknown records the names of the fields kept as unknown (none when
// names is empty).
func (p *Provenance) SetUnknown(names []string) {
	if len(names) == 0 {
		p.Unknown = nil
		return
	}
	u := new([]string) // not &names: names would move to the heap on every call
	*u = names
	p.Unknown = u
}

// Origin is the input file records come from. Every event of a file points
// at one Origin, which is therefore never modified: an event that moves
// gets a new one.
type Origin struct {
	Source string `json:"source"` // format id, e.g. "okta"
	File   string `json:"file"`   // path as given to the scan
}

// Source returns the format id of the record's file, e.g. "okta" ("" when
// unknown).
func (p Provenance) Source() string {
	if p.Origin == nil {
		return ""
	}
	return p.Origin.Source
}

// File returns the path of the record's file as given to the scan.
func (p Provenance) File() string {
	if p.Origin == nil {
		return ""
	}
	return p.Origin.File
}

// Key is a stable identity for the record: the same bytes at the same place
// in the same file always give the same key.
func (p Provenance) Key() string {
	return p.Source() + "|" + p.File() + "|" + strconv.Itoa(p.Record) + "|" + p.Hash
}

// Actor is the account that did something, as the source system names it.
// Identity resolution (internal/identity) maps it to a person.
type Actor struct {
	ID          string `json:"id,omitempty"`           // the source system's account id (Okta user id, Entra object id, GitHub actor_id)
	Login       string `json:"login,omitempty"`        // login / userPrincipalName / alternateId / GitHub handle
	Email       string `json:"email,omitempty"`        // email when the source gives one separately from Login
	DisplayName string `json:"display_name,omitempty"` // human-readable name as the source shows it
}

// Empty reports whether no identifying field is set.
func (a Actor) Empty() bool { return a.ID == "" && a.Login == "" && a.Email == "" }

// IsZero reports whether no field at all is set; an Event's JSON omits
// such an actor.
func (a Actor) IsZero() bool { return a == Actor{} }

// Network is what is known about the IP address an event came from.
// Vendor-supplied context (Okta securityContext, Entra location) is recorded
// with GeoSource naming the vendor; IP-database enrichment fills the Intel
// fields and never overwrites the vendor's.
//
// Most events share their network context with many others (the same
// person at the same address), so payloads hold a *Network that decoders
// intern (source.Interner.Network): equal contexts point at one value. A
// Network reached through an event is therefore immutable; code that
// changes one (enrichment, the drill) builds a new value and sets it with
// Event.SetNet.
type Network struct {
	IP          netip.Addr `json:"ip,omitzero"`
	Country     string     `json:"country,omitempty"`      // ISO 3166-1 alpha-2, upper case
	CountryName string     `json:"country_name,omitempty"` // as the vendor wrote it
	Region      string     `json:"region,omitempty"`
	City        string     `json:"city,omitempty"`
	Lat         float64    `json:"lat,omitempty"`
	Lon         float64    `json:"lon,omitempty"`
	HasGeo      bool       `json:"has_geo,omitempty"` // Lat/Lon are meaningful
	ASN         uint32     `json:"asn,omitempty"`
	ASOrg       string     `json:"as_org,omitempty"`
	ISP         string     `json:"isp,omitempty"`
	Domain      string     `json:"domain,omitempty"`
	IsProxy     bool       `json:"is_proxy,omitempty"`   // vendor or database flags the address as an anonymiser / proxy / VPN
	IsHosting   bool       `json:"is_hosting,omitempty"` // hosting / data-centre network
	GeoSource   string     `json:"geo_source,omitempty"` // who supplied the geography: "okta", "entra", "ipdb", …
	Intel       *IPIntel   `json:"intel,omitempty"`      // IP-database enrichment, kept beside the vendor's view
}

// IPIntel is what rollcall's own IP databases say about an address.
type IPIntel struct {
	Country    string `json:"country,omitempty"`
	City       string `json:"city,omitempty"`
	ASN        uint32 `json:"asn,omitempty"`
	ASOrg      string `json:"as_org,omitempty"`
	Anonymizer string `json:"anonymizer,omitempty"` // name of the VPN / anonymiser / hosting list entry that matched
	IsHosting  bool   `json:"is_hosting,omitempty"`
	IsVPN      bool   `json:"is_vpn,omitempty"`
}

// Outcome values for sign-ins.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
	OutcomeOther   = "other"
)

// SignIn is an authentication or session event.
type SignIn struct {
	Action      string   `json:"action"`           // vendor event type, e.g. "user.session.start", "login_success"
	Outcome     string   `json:"outcome"`          // OutcomeSuccess, OutcomeFailure or OutcomeOther
	Reason      string   `json:"reason,omitempty"` // vendor failure reason / error code
	Net         *Network `json:"net"`              // shared and immutable: see Network
	UserAgent   string   `json:"user_agent,omitempty"`
	OS          string   `json:"os,omitempty"`
	Browser     string   `json:"browser,omitempty"`
	DeviceID    string   `json:"device_id,omitempty"` // vendor device id, when known
	DeviceName  string   `json:"device_name,omitempty"`
	Managed     string   `json:"managed,omitempty"`     // "managed", "unmanaged" or "" when unknown
	MFADevice   string   `json:"mfa_device,omitempty"`  // id of the MFA factor/device that completed MFA, when known
	SessionID   string   `json:"session_id,omitempty"`  // vendor session id (Okta externalSessionId)
	SessionEnd  bool     `json:"session_end,omitempty"` // the event ends a session
	Interactive bool     `json:"interactive,omitempty"`
	RiskLevel   string   `json:"risk_level,omitempty"`
	Workload    bool     `json:"workload,omitempty"` // the account is software (service principal, managed identity), not a person
}

// Audit is an administrative or code-host action.
type Audit struct {
	Action     string   `json:"action"` // e.g. "git.clone", "org.add_member", "group.user_membership.add"
	Net        *Network `json:"net"`    // shared and immutable: see Network
	UserAgent  string   `json:"user_agent,omitempty"`
	Org        string   `json:"org,omitempty"`
	Repo       string   `json:"repo,omitempty"`
	Target     string   `json:"target,omitempty"` // the account or object acted on
	Permission string   `json:"permission,omitempty"`
	CodeAccess bool     `json:"code_access,omitempty"` // git.clone, git.fetch, repo.download_zip and the like
}

// Commit is one commit from git history. Time is the author time.
type Commit struct {
	Hash           string    `json:"hash"`
	AuthorName     string    `json:"author_name"`
	AuthorEmail    string    `json:"author_email"`
	AuthorTime     time.Time `json:"author_time"` // keeps the author's UTC offset
	CommitterName  string    `json:"committer_name"`
	CommitterEmail string    `json:"committer_email"`
	CommitterTime  time.Time `json:"committer_time"`
	Repo           string    `json:"repo,omitempty"`
}

// Device is one endpoint observation from an endpoint agent (osquery).
type Device struct {
	HostID string `json:"host_id"`         // osquery hostIdentifier
	Query  string `json:"query"`           // scheduled query name
	Table  string `json:"table,omitempty"` // recognised table: usb_devices, processes, apps, programs, system_info, time…
	Action string `json:"action"`          // "added", "removed" or "snapshot"
	Rows   []Row  `json:"rows"`
}

// Address is a postal address as a source gives it.
type Address struct {
	Type       string `json:"type,omitempty"` // home, work, ship_to…
	Street     string `json:"street,omitempty"`
	Locality   string `json:"locality,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2 when the source gives one
	Formatted  string `json:"formatted,omitempty"`
}

// Person is one HR roster record (SCIM 2.0 User).
type Person struct {
	EmployeeID   string    `json:"employee_id"` // enterprise extension employeeNumber, falling back to SCIM id
	SCIMID       string    `json:"scim_id"`
	ExternalID   string    `json:"external_id,omitempty"`
	UserName     string    `json:"user_name"`
	Name         string    `json:"name"` // name.formatted, or given + family, or displayName
	GivenName    string    `json:"given_name,omitempty"`
	FamilyName   string    `json:"family_name,omitempty"`
	DisplayName  string    `json:"display_name,omitempty"`
	Emails       []string  `json:"emails,omitempty"`
	Phones       []string  `json:"phones,omitempty"`
	Addresses    []Address `json:"addresses,omitempty"`
	Timezone     string    `json:"timezone,omitempty"` // IANA name, e.g. "America/Chicago"
	Locale       string    `json:"locale,omitempty"`
	Language     string    `json:"language,omitempty"` // preferredLanguage
	Title        string    `json:"title,omitempty"`
	UserType     string    `json:"user_type,omitempty"`
	Active       bool      `json:"active"`
	Created      time.Time `json:"created,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`       // SCIM meta.lastModified: when this version of the record was written
	EmployeeType string    `json:"employee_type,omitempty"` // enterprise extension: e.g. "Contractor"
	Organization string    `json:"organization,omitempty"`
	Department   string    `json:"department,omitempty"`
	Manager      string    `json:"manager,omitempty"`

	Keys *Contacts `json:"-"` // canonical contact keys (enrich.Stamp); see Event.Contacts
}

// HomeAddress returns the home address, else the first address, else nil.
func (p *Person) HomeAddress() *Address {
	if i := p.HomeIndex(); i >= 0 {
		return &p.Addresses[i]
	}
	return nil
}

// HomeIndex returns the index in Addresses of the home address, else 0
// when there are addresses, else -1.
func (p *Person) HomeIndex() int {
	for i := range p.Addresses {
		if p.Addresses[i].Type == "home" {
			return i
		}
	}
	if len(p.Addresses) > 0 {
		return 0
	}
	return -1
}

// Applicant is one applicant-tracking candidate (Greenhouse Harvest).
type Applicant struct {
	CandidateID  string        `json:"candidate_id"`
	FirstName    string        `json:"first_name,omitempty"`
	LastName     string        `json:"last_name,omitempty"`
	Name         string        `json:"name"`
	Company      string        `json:"company,omitempty"`
	Title        string        `json:"title,omitempty"`
	Emails       []string      `json:"emails,omitempty"`
	Phones       []string      `json:"phones,omitempty"`
	Addresses    []string      `json:"addresses,omitempty"` // free text, as Greenhouse stores them
	Websites     []string      `json:"websites,omitempty"`
	SocialMedia  []string      `json:"social_media,omitempty"`
	PhotoURL     string        `json:"photo_url,omitempty"`
	Attachments  []Attachment  `json:"attachments,omitempty"`
	Applications []Application `json:"applications,omitempty"`
	Tags         []string      `json:"tags,omitempty"` // candidate tags, e.g. "Agency: Summit Search"
	CreatedAt    time.Time     `json:"created_at,omitzero"`

	Keys *Contacts `json:"-"` // canonical contact keys (enrich.Stamp); see Event.Contacts
}

// Attachment is a file attached to a candidate (résumé, cover letter…).
type Attachment struct {
	Filename string `json:"filename"`
	Type     string `json:"type,omitempty"`
	URL      string `json:"url,omitempty"`
}

// Application is one application of a candidate to a job.
type Application struct {
	ID                 string    `json:"id"`
	Status             string    `json:"status,omitempty"`
	AppliedAt          time.Time `json:"applied_at,omitzero"`
	Jobs               []string  `json:"jobs,omitempty"`
	Source             string    `json:"source,omitempty"`               // source.public_name, e.g. "Referral"
	CreditedToName     string    `json:"credited_to_name,omitempty"`     // the referrer / credited user
	CreditedToEmployee string    `json:"credited_to_employee,omitempty"` // credited_to.employee_id
}

// Payout methods (payroll CSV).
var PayoutMethods = []string{"bank", "paypal", "payoneer", "wise", "crypto", "other"}

// Payout is one payroll payout-method record.
type Payout struct {
	EmployeeID         string    `json:"employee_id"`
	EffectiveDate      time.Time `json:"effective_date"`
	Method             string    `json:"method"`
	AccountFingerprint string    `json:"account_fingerprint"`
	BankCountry        string    `json:"bank_country,omitempty"`
	PayeeName          string    `json:"payee_name,omitempty"`
}

// AccountKey compares payout accounts: the fingerprint trimmed and
// lower-cased (fingerprints are hex digests), "" when there is none.
func (p *Payout) AccountKey() string { return strings.ToLower(strings.TrimSpace(p.AccountFingerprint)) }

// Shipment is one equipment shipment.
type Shipment struct {
	EmployeeID  string    `json:"employee_id"`
	AssetTag    string    `json:"asset_tag,omitempty"`
	AssetSerial string    `json:"asset_serial,omitempty"`
	ShippedOn   time.Time `json:"shipped_on"`
	ShipToName  string    `json:"ship_to_name,omitempty"`
	ShipTo      Address   `json:"ship_to"`

	Keys *Contacts `json:"-"` // ship-to address key (enrich.Stamp); see Event.Contacts
}

// Profile is a code-host user profile (GitHub GET /users/{username}).
type Profile struct {
	Login       string    `json:"login"`
	ID          int64     `json:"id,omitempty"`
	Name        string    `json:"name,omitempty"`
	Email       string    `json:"email,omitempty"`
	Blog        string    `json:"blog,omitempty"`
	Company     string    `json:"company,omitempty"`
	Location    string    `json:"location,omitempty"`
	AvatarURL   string    `json:"avatar_url,omitempty"`
	Followers   int       `json:"followers"`
	Following   int       `json:"following"`
	PublicRepos int       `json:"public_repos"`
	PublicGists int       `json:"public_gists"`
	CreatedAt   time.Time `json:"created_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
}

// Resume is the extracted text of one résumé document.
type Resume struct {
	CandidateID string `json:"candidate_id"`
	Text        string `json:"text"`
}

// Camera states of a meeting participant.
const (
	CameraOn  = "on"  // the participant sent video at some point
	CameraOff = "off" // the record says no video was sent
	// "" means the export does not say (Zoom's report API never does;
	// only the dashboard and QSS variants, or a Teams media list, can).
)

// Meeting is one participant's attendance of an online meeting or call:
// one row of a Zoom participant report (one join–leave span), or one
// participant endpoint of a Microsoft Teams call record. Actor holds the
// participant's account (user id, email, display name).
type Meeting struct {
	Platform    string    `json:"platform"`               // "zoom" or "teams"
	MeetingID   string    `json:"meeting_id,omitempty"`   // Zoom meeting id or UUID, Teams callRecord id
	Topic       string    `json:"topic,omitempty"`        // meeting topic, when the export carries it
	Participant string    `json:"participant,omitempty"`  // Zoom participant id / Teams session id
	Join        time.Time `json:"join"`                   // joined (Event.Time)
	Leave       time.Time `json:"leave,omitzero"`         // left, when known
	Duration    int       `json:"duration,omitempty"`     // seconds in the meeting
	Net         *Network  `json:"net"`                    // public address and the vendor's location; shared and immutable: see Network
	Device      string    `json:"device,omitempty"`       // client platform: "Windows", "Mac", "iOS", "web"…
	Client      string    `json:"client,omitempty"`       // client name and version / user agent
	Machine     string    `json:"machine,omitempty"`      // computer name (Zoom pc_name, Teams endpoint name)
	NetworkType string    `json:"network_type,omitempty"` // wired, wifi, cellular, tunnel… as the vendor wrote it
	Camera      string    `json:"camera,omitempty"`       // CameraOn, CameraOff or "" when unknown
	Organizer   bool      `json:"organizer,omitempty"`    // the host / organiser of the meeting
}

// Event is one normalized input record.
type Event struct {
	Kind Kind       `json:"kind"`
	Time time.Time  `json:"time,omitzero"` // when it happened (UTC unless the source keeps an offset that matters)
	Prov Provenance `json:"prov"`
	// Account is the actor, shared by every event of the same account
	// (decoders intern it: source.Interner.Actor) and so immutable: read
	// it with Actor, set it with SetActor. Nil when the record names no
	// account.
	Account *Actor `json:"actor,omitzero"`

	SignIn    *SignIn    `json:"signin,omitempty"`
	Audit     *Audit     `json:"audit,omitempty"`
	Commit    *Commit    `json:"commit,omitempty"`
	Device    *Device    `json:"device,omitempty"`
	Person    *Person    `json:"person,omitempty"`
	Applicant *Applicant `json:"applicant,omitempty"`
	Payout    *Payout    `json:"payout,omitempty"`
	Shipment  *Shipment  `json:"shipment,omitempty"`
	Profile   *Profile   `json:"profile,omitempty"`
	Resume    *Resume    `json:"resume,omitempty"`
	Meeting   *Meeting   `json:"meeting,omitempty"`

	// Facts are derived by enrichment (internal/enrich.Stamp), not read
	// from the record; they are not stored.
	Facts Facts `json:"-"`
}

// Actor returns the account that did something (the zero Actor when the
// record names none). It is a copy: change an event's actor with SetActor.
func (e *Event) Actor() Actor {
	if e.Account == nil {
		return Actor{}
	}
	return *e.Account
}

// SetActor makes a the event's actor, in a value of its own (nil when a is
// zero). Decoders, which see the same account many times, share one value
// through source.Interner.Actor instead.
func (e *Event) SetActor(a Actor) {
	if a.IsZero() {
		e.Account = nil
		return
	}
	e.Account = &a
}

// Action returns what a sign-in or audit event did (the vendor's event
// type or action), or "" for other kinds.
func (e *Event) Action() string {
	switch {
	case e.SignIn != nil:
		return e.SignIn.Action
	case e.Audit != nil:
		return e.Audit.Action
	}
	return ""
}

// Net returns the network context of a sign-in, audit or meeting event
// (an empty Network when the payload has none), or nil for other kinds.
// The value is shared with other events: never modify it (see SetNet).
func (e *Event) Net() *Network {
	var n *Network
	switch {
	case e.SignIn != nil:
		n = e.SignIn.Net
	case e.Audit != nil:
		n = e.Audit.Net
	case e.Meeting != nil:
		n = e.Meeting.Net
	default:
		return nil
	}
	if n == nil {
		return &noNetwork
	}
	return n
}

// noNetwork is what Net returns for a payload without a network context.
var noNetwork Network

// SetNet replaces the network context of a sign-in, audit or meeting
// event; it does nothing for other kinds. n should be shared (interned)
// when many events have the same context, and is not modified afterwards.
func (e *Event) SetNet(n *Network) {
	switch {
	case e.SignIn != nil:
		e.SignIn.Net = n
	case e.Audit != nil:
		e.Audit.Net = n
	case e.Meeting != nil:
		e.Meeting.Net = n
	}
}
