package hiring

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

// OddSocialGraph is APP-07: a GitHub profile whose follower graph is out
// of proportion to its activity — hundreds of follows with next to no
// public work, the signature of follow-for-follow rings and bought
// followers that make a persona look established.
type OddSocialGraph struct{}

var _ detect.Indicator = (*OddSocialGraph)(nil)

// ID implements detect.Indicator.
func (*OddSocialGraph) ID() string { return "APP-07" }

// Name implements detect.Indicator.
func (*OddSocialGraph) Name() string {
	return "GitHub follower graph out of proportion to the account's activity"
}

// Stage implements detect.Indicator.
func (*OddSocialGraph) Stage() detect.Stage { return detect.StageHiring }

// Strength implements detect.Indicator.
func (*OddSocialGraph) Strength() detect.Strength { return detect.Weak }

// Sources implements detect.Indicator.
func (*OddSocialGraph) Sources() []string { return []string{"github-users"} }

// Weight implements detect.Indicator.
func (*OddSocialGraph) Weight() float64 { return 10 }

// Thresholds. "Little activity" is at most littleActivity public
// repositories and gists together.
const (
	littleActivity    = 5
	massFollowing     = 300 // follows this many accounts…
	massFollowRatio   = 3   // …at least this many times its followers
	ringSize          = 100 // followers and following both at least this…
	ringBalance       = 1.25
	inflatedFollowers = 200 // followers on a young, empty account
	inflatedAge       = 365 * 24 * time.Hour
)

// stockAvatar marks the avatar URLs of accounts without a photo of their
// own, where an export keeps them: GitHub's generated identicons and the
// old default gravatar. Current API responses give every account an
// avatars.githubusercontent.com/u/<id> URL, so most exports cannot tell.
var stockAvatar = regexp.MustCompile(`(?i)identicon|gravatar-user-420|/assets/default|d=retro|d=mm`)

// Description implements detect.Indicator.
func (*OddSocialGraph) Description() string {
	return "The GitHub profile linked to the person has a follower graph out of proportion to what it has published " +
		"(at most 5 public repositories and gists): following 300 or more accounts and at least three times as many as " +
		"follow it back (mass-following to harvest follow-backs); or 100 or more followers and following in near-equal " +
		"numbers (a follow-for-follow ring); or 200 or more followers on an account under a year old (bought followers). " +
		"Persona accounts are dressed up this way to look established. A generated or default avatar, where the export " +
		"shows it, is mentioned but never fires on its own (the current API gives every account the same kind of avatar URL). " +
		"Known false positives: developer-relations and community accounts that follow many people (they usually publish " +
		"more than 5 repositories or gists, which keeps them out); well-known engineers whose work is private (they have " +
		"many followers but follow few and have old accounts); people who follow back everyone who follows them."
}

// References implements detect.Indicator.
func (*OddSocialGraph) References() []string {
	return []string{
		"Security Alliance (SEAL), DPRK IT Workers framework, github.com/security-alliance/frameworks (GitHub follower networks of personas)",
		"Ketman Project, research on DPRK IT worker GitHub networks and follower rings, ketman.org",
	}
}

// Detect implements detect.Indicator.
func (d *OddSocialGraph) Detect(ctx context.Context, in *detect.Input) ([]detect.Finding, error) {
	var out []detect.Finding
	for _, p := range in.Pop.People {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("APP-07: %w", err)
		}
		var (
			parts []string
			ev    []detect.Evidence
			conf  float64
		)
		for _, e := range p.Profiles {
			why, c := oddGraph(e, in.Now)
			if len(why) == 0 {
				continue
			}
			pr := e.Profile
			parts = append(parts, fmt.Sprintf("GitHub account %q: %s", pr.Login, strings.Join(why, "; ")))
			ev = append(ev, detect.EvidenceOf(e, "GitHub user %s: %d followers, %d following, %d public repositories, %d gists, created %s",
				pr.Login, pr.Followers, pr.Following, pr.PublicRepos, pr.PublicGists, pr.CreatedAt.Format("2006-01-02")))
			conf = max(conf, c)
		}
		if len(ev) == 0 {
			continue
		}
		summary := strings.Join(parts, "; ")
		if len(ev) > detect.MaxEvidence {
			summary += fmt.Sprintf(" (%d profiles in all; the first %d cited)", len(ev), detect.MaxEvidence)
			ev = ev[:detect.MaxEvidence]
		}
		out = append(out, detect.Finding{Indicator: d.ID(), Person: p.ID, Summary: summary, Confidence: conf, Evidence: ev})
	}
	return out, nil
}

// oddGraph returns what is odd about a profile's graph and a confidence.
func oddGraph(e *event.Event, now time.Time) ([]string, float64) {
	pr := e.Profile
	activity := pr.PublicRepos + pr.PublicGists
	if activity > littleActivity {
		return nil, 0
	}
	var why []string
	if pr.Following >= massFollowing && pr.Following >= massFollowRatio*max(pr.Followers, 1) {
		why = append(why, fmt.Sprintf("follows %d accounts, followed by %d", pr.Following, pr.Followers))
	}
	if pr.Followers >= ringSize && pr.Following >= ringSize {
		hi, lo := float64(max(pr.Followers, pr.Following)), float64(min(pr.Followers, pr.Following))
		if hi/lo <= ringBalance {
			why = append(why, fmt.Sprintf("%d followers and %d following in near-equal numbers", pr.Followers, pr.Following))
		}
	}
	asOf := e.Time
	if asOf.IsZero() {
		asOf = now
	}
	if !pr.CreatedAt.IsZero() && asOf.Sub(pr.CreatedAt) < inflatedAge && pr.Followers >= inflatedFollowers {
		why = append(why, fmt.Sprintf("%d followers on an account created %s", pr.Followers, pr.CreatedAt.Format("2006-01-02")))
	}
	if len(why) == 0 {
		return nil, 0
	}
	why = append(why, fmt.Sprintf("only %d public repositories and %d gists", pr.PublicRepos, pr.PublicGists))
	conf := 0.8
	if len(why) > 2 {
		conf = 1
	}
	if stockAvatar.MatchString(pr.AvatarURL) {
		why = append(why, "no photo of its own (generated avatar)")
		conf = min(1, conf+0.2)
	}
	return why, conf
}

// Examples implements detect.Indicator: a candidate's four-month-old
// account with 410 followers and 395 following and two repositories; and
// a developer advocate who follows many people and publishes a lot.
func (*OddSocialGraph) Examples() detect.Examples {
	applied := time.Date(2025, 1, 27, 16, 0, 0, 0, time.UTC)
	cand := func(id, name, email string) *event.Event {
		return candidateRecord(1, event.Applicant{CandidateID: id, Name: name, Emails: []string{email}, CreatedAt: applied,
			Applications: []event.Application{{ID: "9" + id, AppliedAt: applied, Jobs: []string{"Senior Backend Engineer"}}}})
	}
	return detect.Examples{
		Positive: detect.Example{
			Name: "follow_ring_with_no_work",
			Events: []*event.Event{
				cand("3501", "Samuel Okafor", "sam.okafor.dev@outlook.com"),
				profileRecord(1, event.Profile{Login: "sokafor-dev", Name: "Samuel Okafor", Email: "sam.okafor.dev@outlook.com",
					AvatarURL: "https://avatars.githubusercontent.com/u/181234567?v=4", PublicRepos: 2, Followers: 410, Following: 395,
					CreatedAt: applied.AddDate(0, -4, 0), UpdatedAt: applied}),
			},
			Person: profile.ApplicantIDPrefix + "3501",
		},
		Negative: detect.Example{
			Name: "developer_advocate",
			Events: []*event.Event{
				cand("3502", "Ana Souza", "ana.souza@mail.example"),
				profileRecord(1, event.Profile{Login: "anasouza", Name: "Ana Souza", Email: "ana.souza@mail.example",
					PublicRepos: 87, PublicGists: 140, Followers: 4200, Following: 910,
					CreatedAt: time.Date(2012, 8, 1, 0, 0, 0, 0, time.UTC), UpdatedAt: applied}),
			},
			Person: profile.ApplicantIDPrefix + "3502",
		},
	}
}
