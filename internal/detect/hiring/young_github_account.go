package hiring

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/enrich/resume"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// YoungGitHubAccount is APP-06: the GitHub account a person presents is
// very young for what it shows (many repositories or followers weeks after
// it was created) or for the career the résumé claims.
type YoungGitHubAccount struct{}

var _ detect.Indicator = (*YoungGitHubAccount)(nil)

// ID implements detect.Indicator.
func (*YoungGitHubAccount) ID() string { return "APP-06" }

// Name implements detect.Indicator.
func (*YoungGitHubAccount) Name() string {
	return "GitHub account far younger than its history or the claimed career"
}

// Stage implements detect.Indicator.
func (*YoungGitHubAccount) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*YoungGitHubAccount) Strength() detect.Strength { return detect.Medium }

// Sources implements detect.Indicator: the format that carries the
// observable (the roster and candidate records it is read against are
// needed by every indicator).
func (*YoungGitHubAccount) Sources() []string {
	return []string{"github-users"}
}

// Weight implements detect.Indicator.
func (*YoungGitHubAccount) Weight() float64 { return 26 }

// Thresholds of the three forms.
const (
	bulkWindow      = 90 * 24 * time.Hour  // "weeks old" for an account showing a large history
	bulkRepos       = 20                   // public repositories (or gists) that make a large history
	bulkFollowers   = 50                   // followers gathered by a weeks-old account
	careerWindow    = 180 * 24 * time.Hour // account created this close to applying…
	careerYearsMin  = 5.0                  // …by someone claiming at least this many years
	confBulkHistory = 0.6                  // many repositories: migrations re-upload old code
	confFollowers   = 0.8                  // many followers on a new account
	confCareer      = 0.5                  // new account, long career: many seniors never used GitHub publicly
)

// Description implements detect.Indicator.
func (*YoungGitHubAccount) Description() string {
	return "The GitHub profile linked to the person (by its public email, or a github.com URL on their candidate record) " +
		"is young for what it shows: 20 or more public repositories or gists, or 50 or more followers, on an account " +
		"created less than 90 days before the person applied (a history uploaded or bought in bulk), or an account created " +
		"within 180 days of applying while the résumé claims 5 or more years of experience. Operators create or buy " +
		"accounts for each persona and fill them with copied repositories. The API's created_at is compared with the " +
		"first application date (or the hire date for staff without candidate records); commit dates inside the " +
		"repositories are not in the users API, so an account 'older than it looks' cannot be measured here. Known false " +
		"positives: engineers who moved their old code from GitLab, Bitbucket or a lost account (re-uploaded history); " +
		"experienced engineers whose work was all private who open an account for the application; popular newcomers."
}

// References implements detect.Indicator.
func (*YoungGitHubAccount) References() []string {
	return []string{
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks (recently created or purchased GitHub accounts)",
		"Ketman Project, research on DPRK IT worker GitHub networks, ketman.org",
	}
}

// Detect implements detect.Indicator.
func (d *YoungGitHubAccount) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-06: %w", err)
		}
		if len(p.Profiles) == 0 {
			continue
		}
		ref := applied(p, true)
		if ref.IsZero() {
			ref = in.Now
		}
		career, careerDoc := claimedCareer(p)
		var (
			parts []string
			ev    []detect.Evidence
			conf  float64
		)
		for _, e := range p.Profiles {
			pr := e.Profile
			if pr.CreatedAt.IsZero() {
				continue
			}
			age := ref.Sub(pr.CreatedAt)
			when := accountAge(age, ref)
			var why []string
			var c float64
			if age < bulkWindow && max(pr.PublicRepos, pr.PublicGists) >= bulkRepos {
				why = append(why, fmt.Sprintf("%d public repositories and %d gists", pr.PublicRepos, pr.PublicGists))
				c = addConfidence(c, confBulkHistory)
			}
			if age < bulkWindow && pr.Followers >= bulkFollowers {
				why = append(why, fmt.Sprintf("%d followers", pr.Followers))
				c = addConfidence(c, confFollowers)
			}
			if age < careerWindow && career >= careerYearsMin {
				why = append(why, fmt.Sprintf("a résumé claiming %.0f years of experience", career))
				c = addConfidence(c, confCareer)
			}
			if len(why) == 0 {
				continue
			}
			part := fmt.Sprintf("GitHub account %q was created %s (%s) yet shows %s", pr.Login, when, pr.CreatedAt.Format("2006-01-02"), strings.Join(why, " and "))
			parts = append(parts, part)
			ev = append(ev, detect.EvidenceOf(e, "GitHub user %s: created %s, %d public repositories, %d gists, %d followers, %d following",
				pr.Login, pr.CreatedAt.Format("2006-01-02"), pr.PublicRepos, pr.PublicGists, pr.Followers, pr.Following))
			conf = max(conf, c)
		}
		if len(ev) == 0 {
			continue
		}
		if careerDoc != nil && strings.Contains(strings.Join(parts, " "), "résumé claiming") {
			ev = append(ev, detect.EvidenceOf(careerDoc, "résumé %s claims %.0f years of experience", resumeName(careerDoc), career))
		}
		if src := applicationRecord(p); src != nil {
			ev = append(ev, detect.EvidenceOf(src, "%s: applied %s", recordLabel(src), ref.Format("2006-01-02")))
		}
		summary := strings.Join(parts, "; ")
		if len(ev) > detect.MaxEvidence {
			summary += fmt.Sprintf(" (%d records in all; the first %d cited)", len(ev), detect.MaxEvidence)
			ev = ev[:detect.MaxEvidence]
		}
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev})
	}
	return out, nil
}

// addConfidence combines the confidences of independent reasons: the
// strongest, plus 0.2 for each further one, at most 1.
func addConfidence(have, c float64) float64 {
	if have == 0 {
		return c
	}
	return min(1, max(have, c)+0.2)
}

// accountAge says how old an account was when the person applied: "23
// days before applying", "5 days after applying".
func accountAge(age time.Duration, ref time.Time) string {
	days := int(age.Hours() / 24)
	switch {
	case days < 0:
		return fmt.Sprintf("%d days after applying on %s", -days, ref.Format("2006-01-02"))
	case days == 0:
		return "on the day of applying"
	}
	return fmt.Sprintf("%d days before applying on %s", days, ref.Format("2006-01-02"))
}

// claimedCareer is the longest career a person's résumés claim, and the
// résumé that claims it.
func claimedCareer(p *profile.Person) (float64, *event.Event) {
	var (
		best float64
		doc  *event.Event
	)
	for _, e := range p.Resumes {
		if y := resume.OverallYears(e.Resume.Text); y > best {
			best, doc = y, e
		}
	}
	return best, doc
}

// applicationRecord is the candidate record of the first application, or
// the roster record for staff without one.
func applicationRecord(p *profile.Person) *event.Event {
	if len(p.Applicants) > 0 {
		return p.Applicants[0]
	}
	return p.Roster
}

// Examples implements detect.Indicator: a candidate whose GitHub account,
// created three weeks before applying, already shows 41 repositories and
// 312 followers; and a senior engineer whose eleven-year-old account has
// as many repositories.
func (*YoungGitHubAccount) Examples() detect.Examples {
	applied := time.Date(2025, 1, 27, 16, 0, 0, 0, time.UTC)
	cand := func(id, name, email string) *event.Event {
		return candidateRecord(1, event.Applicant{CandidateID: id, Name: name, Emails: []string{email}, CreatedAt: applied,
			Applications: []event.Application{{ID: "9" + id, AppliedAt: applied, Jobs: []string{"Senior Backend Engineer"}}}})
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "weeks_old_account_with_a_large_history",
			Events: []*event.Event{
				cand("3401", "Daniel Brooks", "dbrooks.dev@gmail.com"),
				profileRecord(1, event.Profile{Login: "dbrooks-dev", Name: "Daniel Brooks", Email: "dbrooks.dev@gmail.com",
					PublicRepos: 41, Followers: 312, Following: 298, CreatedAt: applied.AddDate(0, 0, -21), UpdatedAt: applied.AddDate(0, 0, 14)}),
			},
			Person: profile.ApplicantIDPrefix + "3401",
		},
		Negative: detect.Example{
			Name: "long_standing_account",
			Events: []*event.Event{
				cand("3402", "Hannah Weiss", "hannah.weiss@gmail.com"),
				profileRecord(1, event.Profile{Login: "hweiss", Name: "Hannah Weiss", Email: "hannah.weiss@gmail.com",
					PublicRepos: 44, PublicGists: 12, Followers: 130, Following: 41, CreatedAt: time.Date(2014, 3, 2, 0, 0, 0, 0, time.UTC), UpdatedAt: applied}),
			},
			Person: profile.ApplicantIDPrefix + "3402",
		},
	}
}
