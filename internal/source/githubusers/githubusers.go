// Package githubusers reads GitHub user profiles as the REST API returns
// them (GET /users/{username}, GET /user): a JSON array of user objects,
// one per line (NDJSON), or a single object.
//
// Every user becomes one event.KindProfile event whose actor is the login
// and the public email, so that identity resolution can tie the profile to
// an applicant or employee (internal/identity). Organisation and bot
// accounts are rejected with the reason: they are nobody's personal
// profile.
package githubusers

import (
	"context"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "github-users"

// Format is the GitHub users API format.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the GitHub users format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "GitHub user profiles (REST GET /users/{username}), JSON array, NDJSON or one user"
}

// Sniff claims JSON whose first record has login, avatar_url and
// public_repos: the user object's own fields.
func (*Format) Sniff(head []byte) bool {
	k, ok := source.SniffJSONKeys(head)
	return ok && k["login"] && k["avatar_url"] && k["public_repos"]
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeJSON(ctx, r, file, ID, nil, sink, parse)
}

// user is the part of the GitHub user object rollcall reads.
type user struct {
	Login       string           `json:"login"`
	ID          source.IntString `json:"id"`
	AvatarURL   string           `json:"avatar_url"`
	Type        string           `json:"type"`
	Name        *string          `json:"name"`
	Company     *string          `json:"company"`
	Blog        *string          `json:"blog"`
	Location    *string          `json:"location"`
	Email       *string          `json:"email"`
	PublicRepos *int64           `json:"public_repos"`
	PublicGists *int64           `json:"public_gists"`
	Followers   *int64           `json:"followers"`
	Following   *int64           `json:"following"`
	CreatedAt   *string          `json:"created_at"`
	UpdatedAt   *string          `json:"updated_at"`
}

// validLogin is GitHub's login syntax: letters, digits and single inner
// hyphens, at most 39 characters (older accounts may end in a hyphen or
// hold two in a row, so only the characters and length are checked).
var validLogin = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,38}$`)

// GitHub was founded in 2008; account dates outside this window are not
// account dates.
var (
	minTime = time.Date(2007, 10, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

func parse(raw []byte) (*event.Event, error) {
	var u user
	if err := gojson.Unmarshal(raw, &u); err != nil {
		if errors.Is(err, source.ErrNotInteger) {
			return nil, source.Fieldf("id", "expected an integer user id")
		}
		return nil, source.UnmarshalError(err)
	}
	login := strings.TrimSpace(u.Login)
	switch {
	case login == "":
		return nil, source.Fieldf("login", "missing")
	case !validLogin.MatchString(login):
		return nil, source.Fieldf("login", "not a GitHub login: %q", clip(login))
	}
	switch t := strings.TrimSpace(u.Type); t {
	case "", "User":
	case "Organization":
		return nil, source.Fieldf("type", "%q is an organisation account, not a person's profile", login)
	case "Bot":
		return nil, source.Fieldf("type", "%q is a bot account, not a person's profile", login)
	default:
		return nil, source.Fieldf("type", "unknown account type %q", clip(t))
	}
	p := &event.Profile{
		Login:     login,
		Name:      str(u.Name),
		Email:     str(u.Email),
		Blog:      str(u.Blog),
		Company:   str(u.Company),
		Location:  str(u.Location),
		AvatarURL: strings.TrimSpace(u.AvatarURL),
	}
	if u.ID != "" {
		id, err := strconv.ParseInt(string(u.ID), 10, 64)
		if err != nil {
			return nil, source.Fieldf("id", "out of range: %s", clip(string(u.ID)))
		}
		p.ID = id
	}
	counts := []struct {
		field string
		v     *int64
		dst   *int
	}{
		{"public_repos", u.PublicRepos, &p.PublicRepos},
		{"public_gists", u.PublicGists, &p.PublicGists},
		{"followers", u.Followers, &p.Followers},
		{"following", u.Following, &p.Following},
	}
	for _, c := range counts {
		if c.v == nil {
			continue
		}
		if *c.v < 0 || *c.v > 1<<31-1 {
			return nil, source.Fieldf(c.field, "out of range: %d", *c.v)
		}
		*c.dst = int(*c.v)
	}
	var err error
	if p.CreatedAt, err = stamp("created_at", u.CreatedAt); err != nil {
		return nil, err
	}
	if p.UpdatedAt, err = stamp("updated_at", u.UpdatedAt); err != nil {
		return nil, err
	}
	ev := &event.Event{
		Kind:    event.KindProfile,
		Time:    p.UpdatedAt,
		Prov:    event.Provenance{ID: string(u.ID)},
		Account: &event.Actor{Login: login, Email: p.Email, DisplayName: p.Name},
		Profile: p,
	}
	if ev.Time.IsZero() {
		ev.Time = p.CreatedAt
	}
	return ev, nil
}

func stamp(field string, s *string) (time.Time, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(*s))
	if err != nil {
		return time.Time{}, source.Fieldf(field, "not an RFC 3339 timestamp: %q", clip(*s))
	}
	if t.Before(minTime) || !t.Before(maxTime) {
		return time.Time{}, source.Fieldf(field, "out of range: %q is before GitHub existed or after 2100", clip(*s))
	}
	return t.UTC(), nil
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
