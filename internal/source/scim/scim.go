// Package scim reads an HR roster exported as SCIM 2.0 User resources
// (RFC 7643 §4.1, with the enterprise extension of §4.3): a ListResponse
// (RFC 7644 §3.4.2) with the Users under "Resources", a JSON array of
// Users, or one User per line.
//
// Every User becomes one event.KindPerson event keyed by the enterprise
// employeeNumber, falling back to the SCIM id.
package scim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "scim"

// Schema URNs (RFC 7643 §8.7.1, RFC 7644 §3.4.2).
const (
	UserSchema         = "urn:ietf:params:scim:schemas:core:2.0:User"
	EnterpriseSchema   = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
)

// Format is the SCIM 2.0 roster format.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the SCIM roster format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "HR roster as SCIM 2.0 Users (RFC 7643, enterprise extension): ListResponse, JSON array or NDJSON"
}

// Sniff claims JSON whose first object has a "schemas" (or "Resources")
// attribute, when the content names the ListResponse message or the core
// User schema.
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head)
	if !ok || !(keys["schemas"] || keys["resources"]) {
		return false
	}
	lower := bytes.ToLower(head)
	return bytes.Contains(lower, []byte(strings.ToLower(ListResponseSchema))) ||
		bytes.Contains(lower, []byte(strings.ToLower(UserSchema)))
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeJSON(ctx, r, file, ID, []string{"Resources"}, sink, parse)
}

// user is the part of the SCIM User resource rollcall reads. SCIM
// attribute names are case-insensitive (RFC 7643 §2.1), as is the match
// here.
type user struct {
	Schemas           []string      `json:"schemas"`
	ID                string        `json:"id"`
	ExternalID        string        `json:"externalId"`
	UserName          string        `json:"userName"`
	Name              *name         `json:"name"`
	DisplayName       string        `json:"displayName"`
	Title             string        `json:"title"`
	UserType          string        `json:"userType"`
	PreferredLanguage string        `json:"preferredLanguage"`
	Locale            string        `json:"locale"`
	Timezone          string        `json:"timezone"`
	Active            *looseBool    `json:"active"`
	Emails            []multiValue  `json:"emails"`
	PhoneNumbers      []multiValue  `json:"phoneNumbers"`
	Addresses         []address     `json:"addresses"`
	Meta              *meta         `json:"meta"`
	Enterprise        *enterpriseEx `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
}

type name struct {
	Formatted  string `json:"formatted"`
	GivenName  string `json:"givenName"`
	MiddleName string `json:"middleName"`
	FamilyName string `json:"familyName"`
}

// multiValue is an entry of a multi-valued attribute (RFC 7643 §2.4).
type multiValue struct {
	Value   string     `json:"value"`
	Type    string     `json:"type"`
	Primary *looseBool `json:"primary"`
}

type address struct {
	Type          string `json:"type"`
	Formatted     string `json:"formatted"`
	StreetAddress string `json:"streetAddress"`
	Locality      string `json:"locality"`
	Region        string `json:"region"`
	PostalCode    string `json:"postalCode"`
	Country       string `json:"country"`
}

type meta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
}

// enterpriseEx is the enterprise User extension (RFC 7643 §4.3).
// employeeType is not in the RFC; some HR systems add it there.
type enterpriseEx struct {
	EmployeeNumber string `json:"employeeNumber"`
	EmployeeType   string `json:"employeeType"`
	Organization   string `json:"organization"`
	Division       string `json:"division"`
	Department     string `json:"department"`
	Manager        *struct {
		Value       string `json:"value"`
		DisplayName string `json:"displayName"`
	} `json:"manager"`
}

// looseBool is a SCIM boolean; some providers send "True"/"false" strings.
type looseBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *looseBool) UnmarshalJSON(data []byte) error {
	switch strings.ToLower(strings.Trim(string(bytes.TrimSpace(data)), `"`)) {
	case "true":
		*b = true
	case "false", "null", "":
		*b = false
	default:
		return fmt.Errorf("expected true or false, got %.20q", data)
	}
	return nil
}

func parse(raw []byte) (*event.Event, error) {
	var u user
	if err := gojson.Unmarshal(raw, &u); err != nil {
		return nil, source.UnmarshalError(err)
	}
	if len(u.Schemas) > 0 && !containsFold(u.Schemas, UserSchema) {
		return nil, source.Fieldf("schemas", "not a SCIM User resource (schemas %q)", u.Schemas)
	}
	p := &event.Person{
		SCIMID:      u.ID,
		ExternalID:  u.ExternalID,
		UserName:    u.UserName,
		DisplayName: u.DisplayName,
		Timezone:    u.Timezone,
		Locale:      u.Locale,
		Language:    u.PreferredLanguage,
		Title:       u.Title,
		UserType:    u.UserType,
		// RFC 7643 gives "active" no default; a roster that leaves it out
		// lists people it employs, so absent means active.
		Active: u.Active == nil || bool(*u.Active),
	}
	if ex := u.Enterprise; ex != nil {
		p.EmployeeID = strings.TrimSpace(ex.EmployeeNumber)
		p.EmployeeType = ex.EmployeeType
		p.Organization = ex.Organization
		p.Department = ex.Department
		if m := ex.Manager; m != nil {
			p.Manager = m.Value
			if p.Manager == "" {
				p.Manager = m.DisplayName
			}
		}
	}
	if p.EmployeeType == "" && strings.Contains(strings.ToLower(u.UserType), "contract") {
		p.EmployeeType = u.UserType
	}
	if p.EmployeeID == "" {
		p.EmployeeID = strings.TrimSpace(u.ID)
	}
	if p.EmployeeID == "" {
		return nil, source.Fieldf("id", "missing: a User needs an id or an enterprise employeeNumber")
	}
	if n := u.Name; n != nil {
		p.GivenName, p.FamilyName = n.GivenName, n.FamilyName
		p.Name = strings.TrimSpace(n.Formatted)
		if p.Name == "" {
			p.Name = strings.Join(strings.Fields(n.GivenName+" "+n.FamilyName), " ")
		}
	}
	if p.Name == "" {
		p.Name = strings.TrimSpace(u.DisplayName)
	}
	primaryEmail := ""
	for _, e := range u.Emails {
		v := strings.TrimSpace(e.Value)
		if v == "" {
			continue
		}
		p.Emails = append(p.Emails, v)
		if primaryEmail == "" || (e.Primary != nil && bool(*e.Primary)) {
			primaryEmail = v
		}
	}
	for _, ph := range u.PhoneNumbers {
		if v := strings.TrimSpace(ph.Value); v != "" {
			p.Phones = append(p.Phones, v)
		}
	}
	for _, a := range u.Addresses {
		addr := event.Address{
			Type:       strings.ToLower(strings.TrimSpace(a.Type)),
			Street:     a.StreetAddress,
			Locality:   a.Locality,
			Region:     a.Region,
			PostalCode: a.PostalCode,
			Country:    countryCode(a.Country),
			Formatted:  a.Formatted,
		}
		if addr != (event.Address{Type: addr.Type}) {
			p.Addresses = append(p.Addresses, addr)
		}
	}
	ev := &event.Event{
		Kind:    event.KindPerson,
		Prov:    event.Provenance{ID: u.ID},
		Account: &event.Actor{ID: u.ID, Login: u.UserName, Email: primaryEmail, DisplayName: p.Name},
		Person:  p,
	}
	if u.Meta != nil && u.Meta.Created != "" {
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(u.Meta.Created))
		if err != nil {
			return nil, source.Fieldf("meta.created", "not an RFC 3339 timestamp: %q", clip(u.Meta.Created))
		}
		p.Created = t.UTC()
		ev.Time = p.Created
	}
	if u.Meta != nil && u.Meta.LastModified != "" {
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(u.Meta.LastModified))
		if err != nil {
			return nil, source.Fieldf("meta.lastModified", "not an RFC 3339 timestamp: %q", clip(u.Meta.LastModified))
		}
		p.Modified = t.UTC()
	}
	return ev, nil
}

// countryCode returns the ISO alpha-2 code RFC 7643 asks for; a country
// name some systems write instead is converted, anything else kept as is.
func countryCode(s string) string {
	s = strings.TrimSpace(s)
	if c := geo.Alpha2(s); c != "" {
		return c
	}
	return s
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(strings.TrimSpace(v), s) {
			return true
		}
	}
	return false
}

func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
