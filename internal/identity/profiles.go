package identity

import (
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// profileKeys resolves code-host profiles (GitHub users API) to people, in
// this order: the profile's public email among the roster's and the
// applicants' emails; the profile's login in a github.com/<login> URL on
// an applicant record (website or social media); then the login or email
// as an account, the way audit-log actors resolve. A key held by several
// people resolves to nobody (they are what APP-01 reports), and the next
// key is tried.
type profileKeys struct {
	emails index // lower-cased emails of every person (employees and applicants)
	logins index // lower-cased GitHub logins from applicant URLs
}

// githubURL captures the login of a github.com profile URL (not a
// repository path below it, nor GitHub's own pages).
var githubURL = regexp.MustCompile(`(?i)^(?:https?://)?(?:www\.)?github\.com/([a-z0-9][a-z0-9-]{0,38})/?(?:[?#].*)?$`)

// reservedGitHubPaths are first path segments of github.com that are not
// user profiles.
var reservedGitHubPaths = map[string]bool{
	"orgs": true, "features": true, "about": true, "pricing": true, "login": true, "join": true, "settings": true,
	"topics": true, "collections": true, "sponsors": true, "marketplace": true, "explore": true, "enterprise": true,
}

// GitHubLogin returns the login a github.com profile URL names, lower-cased,
// or "" when the URL is not a GitHub user profile.
func GitHubLogin(url string) string {
	m := githubURL.FindStringSubmatch(strings.TrimSpace(url))
	if m == nil {
		return ""
	}
	login := strings.ToLower(m[1])
	if reservedGitHubPaths[login] {
		return ""
	}
	return login
}

func (r *resolver) profileKeys() *profileKeys {
	if r.profiles != nil {
		return r.profiles
	}
	k := &profileKeys{emails: index{}, logins: index{}}
	for _, p := range r.pop.ByID {
		for _, em := range p.Emails() {
			k.emails.add(NormalizeEmail(em), p.ID)
		}
		for _, e := range p.Applicants {
			a := e.Applicant
			for _, u := range append(append([]string(nil), a.Websites...), a.SocialMedia...) {
				if login := GitHubLogin(u); login != "" {
					k.logins.add(login, p.ID)
				}
			}
		}
	}
	r.profiles = k
	return k
}

// resolveProfile finds the person a code-host profile belongs to, or nil.
func (r *resolver) resolveProfile(e *event.Event) *profile.Person {
	k := r.profileKeys()
	pr := e.Profile
	if pr.Email != "" {
		if id, ok := k.emails.one(NormalizeEmail(pr.Email)); ok {
			return r.pop.ByID[id]
		}
	}
	if id, ok := k.logins.one(strings.ToLower(pr.Login)); ok {
		return r.pop.ByID[id]
	}
	return r.resolveActor(e.Actor())
}
