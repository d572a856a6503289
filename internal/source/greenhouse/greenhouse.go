// Package greenhouse reads applicant-tracking candidates from the
// Greenhouse Harvest API (GET /v1/candidates): a JSON array of candidate
// objects as the API pages them, one candidate per line, or a single
// candidate (GET /v1/candidates/{id}).
//
// Every candidate becomes one event.KindApplicant event. Both the current
// shape (with applications[]) and the 2014 shape (application_ids only)
// are read.
package greenhouse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "greenhouse"

// Format is the Greenhouse Harvest candidates format.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the Greenhouse candidates format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "Greenhouse Harvest API candidates (GET /v1/candidates), JSON array, NDJSON or one candidate"
}

// Sniff claims JSON whose first record has email_addresses or
// application_ids, or first_name together with applications.
func (*Format) Sniff(head []byte) bool {
	k, ok := source.SniffJSONKeys(head)
	return ok && (k["email_addresses"] || k["application_ids"] || (k["first_name"] && k["applications"]))
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeJSON(ctx, r, file, ID, nil, sink, parse)
}

// candidate is the part of the Harvest candidate object rollcall reads.
type candidate struct {
	ID                   source.IntString `json:"id"`
	FirstName            string           `json:"first_name"`
	LastName             string           `json:"last_name"`
	Company              string           `json:"company"`
	Title                string           `json:"title"`
	CreatedAt            string           `json:"created_at"`
	PhotoURL             string           `json:"photo_url"`
	Attachments          []attachment     `json:"attachments"`
	PhoneNumbers         []typedValue     `json:"phone_numbers"`
	Addresses            []typedValue     `json:"addresses"`
	EmailAddresses       []typedValue     `json:"email_addresses"`
	WebsiteAddresses     []typedValue     `json:"website_addresses"`
	SocialMediaAddresses []typedValue     `json:"social_media_addresses"`
	Applications         []application    `json:"applications"`
	Tags                 []string         `json:"tags"`
}

type typedValue struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

type attachment struct {
	Filename string `json:"filename"`
	URL      string `json:"url"`
	Type     string `json:"type"`
}

type application struct {
	ID        source.IntString `json:"id"`
	Status    string           `json:"status"`
	AppliedAt string           `json:"applied_at"`
	Source    *struct {
		PublicName string `json:"public_name"`
	} `json:"source"`
	CreditedTo *struct {
		Name       string `json:"name"`
		FirstName  string `json:"first_name"`
		LastName   string `json:"last_name"`
		EmployeeID string `json:"employee_id"`
	} `json:"credited_to"`
	Jobs []struct {
		Name string `json:"name"`
	} `json:"jobs"`
}

func parse(raw []byte) (*event.Event, error) {
	var c candidate
	if err := gojson.Unmarshal(raw, &c); err != nil {
		if errors.Is(err, source.ErrNotInteger) {
			return nil, source.Fieldf("id", "expected an integer id (candidate or application id)")
		}
		return nil, source.UnmarshalError(err)
	}
	if c.ID == "" {
		return nil, source.Fieldf("id", "missing")
	}
	a := &event.Applicant{
		CandidateID: string(c.ID),
		FirstName:   strings.TrimSpace(c.FirstName),
		LastName:    strings.TrimSpace(c.LastName),
		Company:     c.Company,
		Title:       c.Title,
		PhotoURL:    c.PhotoURL,
		Emails:      values(c.EmailAddresses),
		Phones:      values(c.PhoneNumbers),
		Addresses:   values(c.Addresses),
		Websites:    values(c.WebsiteAddresses),
		SocialMedia: values(c.SocialMediaAddresses),
		Tags:        c.Tags,
	}
	a.Name = strings.TrimSpace(a.FirstName + " " + a.LastName)
	for _, at := range c.Attachments {
		a.Attachments = append(a.Attachments, event.Attachment{Filename: at.Filename, Type: at.Type, URL: at.URL})
	}
	if c.CreatedAt != "" {
		t, err := parseTime(c.CreatedAt)
		if err != nil {
			return nil, source.Fieldf("created_at", "%w", err)
		}
		a.CreatedAt = t
	}
	for i, app := range c.Applications {
		ap, err := application2(app)
		if err != nil {
			return nil, source.Fieldf(fmt.Sprintf("applications[%d].applied_at", i), "%w", err)
		}
		a.Applications = append(a.Applications, ap)
	}
	ev := &event.Event{
		Kind:      event.KindApplicant,
		Time:      a.CreatedAt,
		Prov:      event.Provenance{ID: a.CandidateID},
		Applicant: a,
	}
	who := event.Actor{DisplayName: a.Name}
	if len(a.Emails) > 0 {
		who.Email = a.Emails[0]
	}
	ev.SetActor(who)
	return ev, nil
}

func application2(app application) (event.Application, error) {
	ap := event.Application{ID: string(app.ID), Status: app.Status}
	if app.Source != nil {
		ap.Source = app.Source.PublicName
	}
	if ct := app.CreditedTo; ct != nil {
		ap.CreditedToName = ct.Name
		if ap.CreditedToName == "" {
			ap.CreditedToName = strings.TrimSpace(ct.FirstName + " " + ct.LastName)
		}
		ap.CreditedToEmployee = ct.EmployeeID
	}
	for _, j := range app.Jobs {
		if j.Name != "" {
			ap.Jobs = append(ap.Jobs, j.Name)
		}
	}
	if app.AppliedAt != "" {
		t, err := parseTime(app.AppliedAt)
		if err != nil {
			return ap, err
		}
		ap.AppliedAt = t
	}
	return ap, nil
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("not an RFC 3339 timestamp: %q", clip(s))
	}
	return t.UTC(), nil
}

// values returns the non-empty values, trimmed, in order.
func values(vs []typedValue) []string {
	var out []string
	for _, v := range vs {
		if s := strings.TrimSpace(v.Value); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
