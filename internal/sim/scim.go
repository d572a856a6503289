package sim

import (
	"encoding/json"
	"fmt"
	"io"
)

// SCIM 2.0 (RFC 7643/7644) shapes of the roster export.

const (
	scimListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	scimTimeLayout = "2006-01-02T15:04:05.000Z"
)

type scimList struct {
	Schemas      []string    `json:"schemas"`
	TotalResults int         `json:"totalResults"`
	StartIndex   int         `json:"startIndex"`
	ItemsPerPage int         `json:"itemsPerPage"`
	Resources    []*scimUser `json:"Resources"`
}

type scimUser struct {
	Schemas           []string         `json:"schemas"`
	ID                string           `json:"id"`
	ExternalID        string           `json:"externalId"`
	UserName          string           `json:"userName"`
	Name              scimName         `json:"name"`
	DisplayName       string           `json:"displayName"`
	Emails            []scimValue      `json:"emails"`
	PhoneNumbers      []scimValue      `json:"phoneNumbers"`
	Addresses         []scimAddress    `json:"addresses"`
	Timezone          string           `json:"timezone"`
	Locale            string           `json:"locale"`
	PreferredLanguage string           `json:"preferredLanguage"`
	Title             string           `json:"title"`
	UserType          string           `json:"userType"`
	Active            bool             `json:"active"`
	Meta              scimMeta         `json:"meta"`
	Enterprise        scimEnterpriseEx `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
}

type scimName struct {
	Formatted  string `json:"formatted"`
	FamilyName string `json:"familyName"`
	GivenName  string `json:"givenName"`
}

type scimValue struct {
	Value   string `json:"value"`
	Type    string `json:"type"`
	Primary bool   `json:"primary,omitempty"`
}

type scimAddress struct {
	Type          string `json:"type"`
	StreetAddress string `json:"streetAddress"`
	Locality      string `json:"locality"`
	Region        string `json:"region"`
	PostalCode    string `json:"postalCode"`
	Country       string `json:"country"`
	Formatted     string `json:"formatted"`
	Primary       bool   `json:"primary"`
}

type scimMeta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
	Location     string `json:"location"`
	Version      string `json:"version"`
}

type scimEnterpriseEx struct {
	EmployeeNumber string       `json:"employeeNumber"`
	CostCenter     string       `json:"costCenter"`
	Organization   string       `json:"organization"`
	Department     string       `json:"department"`
	Manager        *scimManager `json:"manager,omitempty"`
}

type scimManager struct {
	Value       string `json:"value"`
	Ref         string `json:"$ref"`
	DisplayName string `json:"displayName"`
}

// WriteSCIM writes the roster as a SCIM 2.0 ListResponse of Users.
func (o *Org) WriteSCIM(w io.Writer) error {
	list := scimList{Schemas: []string{scimListSchema}, TotalResults: len(o.People), StartIndex: 1, ItemsPerPage: len(o.People)}
	for _, p := range o.People {
		list.Resources = append(list.Resources, o.scimUser(p))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(list); err != nil {
		return fmt.Errorf("scim roster: %w", err)
	}
	return nil
}

func (o *Org) scimUser(p *Person) *scimUser {
	u := &scimUser{
		Schemas:      []string{scimUserSchema, scimEnterprise},
		ID:           p.SCIMID,
		ExternalID:   p.ExternalID,
		UserName:     p.WorkEmail,
		Name:         scimName{Formatted: p.Name(), FamilyName: p.Family, GivenName: p.Given},
		DisplayName:  p.Name(),
		Emails:       []scimValue{{Value: p.WorkEmail, Type: "work", Primary: true}},
		PhoneNumbers: []scimValue{{Value: p.Phone, Type: "mobile"}},
		Addresses: []scimAddress{{Type: "home", StreetAddress: p.Home.Street, Locality: p.Home.City, Region: p.Home.Region,
			PostalCode: p.Home.Postal, Country: p.Home.Country, Formatted: p.Home.Formatted(), Primary: true}},
		Timezone:          p.TZ,
		Locale:            p.Locale,
		PreferredLanguage: p.Locale,
		Title:             p.Title,
		UserType:          "Employee",
		Active:            p.Active(),
		Meta: scimMeta{ResourceType: "User", Created: p.Created.UTC().Format(scimTimeLayout),
			LastModified: p.Modified.UTC().Format(scimTimeLayout), Location: scimBaseURL + "/Users/" + p.SCIMID,
			Version: fmt.Sprintf(`W/"%x"`, p.Modified.UnixMilli())},
		Enterprise: scimEnterpriseEx{EmployeeNumber: p.EmployeeNumber, CostCenter: p.CostCenter, Organization: p.Organization, Department: p.Department},
	}
	if p.PersonalEmail != "" {
		u.Emails = append(u.Emails, scimValue{Value: p.PersonalEmail, Type: "home"})
	}
	if p.Contractor {
		u.UserType = "Contractor"
	}
	if m := p.Manager; m != nil {
		u.Enterprise.Manager = &scimManager{Value: m.SCIMID, Ref: scimBaseURL + "/Users/" + m.SCIMID, DisplayName: m.Name()}
	}
	return u
}
