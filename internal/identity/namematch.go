package identity

import (
	"strings"
	"unicode"

	"github.com/adrg/strutil"

	"github.com/rollcall/rollcall/internal/profile"
)

// nicknames maps common English short forms to the given names they stand
// for (both folded), so that "Bob Smith" is Robert Smith.
var nicknames = map[string][]string{
	"bob": {"robert"}, "rob": {"robert"}, "bobby": {"robert"}, "bill": {"william"}, "will": {"william"},
	"billy": {"william"}, "liam": {"william"}, "jim": {"james"}, "jimmy": {"james"}, "jamie": {"james"},
	"mike": {"michael"}, "mick": {"michael"}, "dave": {"david"}, "tom": {"thomas"}, "tommy": {"thomas"},
	"chris": {"christopher", "christine", "christina"}, "alex": {"alexander", "alexandra", "alexis"},
	"kate": {"katherine", "catherine", "kathryn"}, "katie": {"katherine", "catherine"}, "cathy": {"catherine"},
	"liz": {"elizabeth"}, "beth": {"elizabeth"}, "betty": {"elizabeth"}, "dan": {"daniel"}, "danny": {"daniel"},
	"matt": {"matthew"}, "nick": {"nicholas"}, "tony": {"anthony"}, "joe": {"joseph"}, "sam": {"samuel", "samantha"},
	"ben": {"benjamin"}, "steve": {"steven", "stephen"}, "andy": {"andrew"}, "drew": {"andrew"},
	"rick": {"richard"}, "dick": {"richard"}, "rich": {"richard"}, "jen": {"jennifer"}, "jenny": {"jennifer"},
	"sue": {"susan"}, "pat": {"patrick", "patricia"}, "trish": {"patricia"}, "tricia": {"patricia"}, "patty": {"patricia"}, "greg": {"gregory"}, "jeff": {"jeffrey"}, "josh": {"joshua"},
	"ed": {"edward"}, "ted": {"edward", "theodore"}, "jon": {"jonathan"}, "nate": {"nathan", "nathaniel"},
	"tim": {"timothy"}, "ken": {"kenneth"}, "larry": {"lawrence"}, "peggy": {"margaret"}, "maggie": {"margaret"},
	"meg": {"margaret"}, "abby": {"abigail"}, "vicky": {"victoria"}, "tori": {"victoria"}, "zach": {"zachary"},
	"jake": {"jacob"}, "charlie": {"charles"}, "chuck": {"charles"}, "fred": {"frederick"}, "frank": {"francis"},
	"hank": {"henry"}, "harry": {"henry"}, "jack": {"john"}, "johnny": {"john"}, "pete": {"peter"}, "ron": {"ronald"},
	"don": {"donald"}, "gene": {"eugene"}, "al": {"albert", "alan", "alfred"}, "manny": {"manuel"}, "pepe": {"jose"},
	"paco": {"francisco"}, "lupe": {"guadalupe"}, "sasha": {"alexander", "alexandra"}, "misha": {"mikhail"},
	"dima": {"dmitry", "dmitri"}, "kolya": {"nikolai"},
	"evie": {"evelyn", "eve", "eva", "genevieve"}, "ellie": {"eleanor", "elizabeth", "ellen"}, "becky": {"rebecca"},
	"becca": {"rebecca"}, "mandy": {"amanda"}, "jess": {"jessica"}, "jessie": {"jessica"}, "nikki": {"nicole"},
	"sandy": {"sandra"}, "gabe": {"gabriel"}, "max": {"maximilian", "maxwell"}, "theo": {"theodore"},
	"sophie": {"sophia"}, "annie": {"anne", "ann", "anna"}, "molly": {"mary"}, "polly": {"mary"}, "lisa": {"elizabeth"},
	"raj": {"rajesh", "rajendra"}, "suresh": {"sureshkumar"}, "wojtek": {"wojciech"}, "kasia": {"katarzyna"},
	"gosia": {"malgorzata"}, "pavel": {"pavlo"}, "sergio": {"sergey"}, "vova": {"vladimir"}, "volodya": {"vladimir"},
	"lena": {"elena", "helena", "yelena"}, "katya": {"ekaterina", "yekaterina"}, "nastya": {"anastasia"},
}

// PersonNames returns every name the records give a person: the roster's
// name, given + family name and display name, and applicant names.
func PersonNames(p *profile.Person) []string {
	var out []string
	if hr := p.HR(); hr != nil {
		out = append(out, hr.Name, hr.DisplayName, strings.TrimSpace(hr.GivenName+" "+hr.FamilyName))
	}
	if p.Name != "" {
		out = append(out, p.Name)
	}
	for _, a := range p.Applicants {
		out = append(out, a.Applicant.Name)
	}
	var kept []string
	for _, n := range out {
		if strings.TrimSpace(n) != "" {
			kept = append(kept, n)
		}
	}
	return kept
}

// NameVerdict is how a name as some system writes it compares with a
// person's names.
type NameVerdict int

// Name verdicts.
const (
	// NameUnknown: the name cannot be compared — empty, a bare handle that
	// names nobody ("devmaster"), a script other than the person's
	// names' (transliteration is not attempted), or a person without names.
	NameUnknown NameVerdict = iota
	// NameMatches: the person's name, written another way (order,
	// accents, initials, a common nickname), or a handle made of it.
	NameMatches
	// NameDiffers: a personal name that is not the person's.
	NameDiffers
)

// CompareName compares name with the person's names.
func CompareName(p *profile.Person, name string) NameVerdict {
	names := PersonNames(p)
	n := NormalizeName(name)
	if n == "" || len(names) == 0 {
		return NameUnknown
	}
	for _, known := range names {
		if SameName(known, name) || sameWithNickname(known, name) {
			return NameMatches
		}
	}
	toks := strings.Fields(n)
	if len(toks) == 1 || strings.ContainsAny(n, "0123456789") || !hasLatin(n) || !anyLatin(names) {
		// A handle ("jroe", "jane-roe92", "roej") matches when it holds the
		// given or family name; else it names nobody.
		if handleOf(p, toks) {
			return NameMatches
		}
		return NameUnknown
	}
	return NameDiffers
}

// sameWithNickname reports whether a and b differ only by a nickname of
// the given name (Bob Smith, Robert Smith).
func sameWithNickname(a, b string) bool {
	ta, tb := strings.Fields(NormalizeName(a)), strings.Fields(NormalizeName(b))
	if len(ta) < 2 || len(tb) < 2 {
		return false
	}
	if strutil.Similarity(ta[len(ta)-1], tb[len(tb)-1], jaroWinkler) < 0.92 {
		return false
	}
	return nick(ta[0], tb[0]) || nick(tb[0], ta[0])
}

func nick(short, full string) bool {
	for _, f := range nicknames[short] {
		if f == full {
			return true
		}
	}
	return false
}

// handleOf reports whether a handle (tokens of a one-word or non-Latin
// name) is made of the person's given or family name or of their email
// local parts.
func handleOf(p *profile.Person, toks []string) bool {
	h := strings.Join(toks, "")
	if len(h) < 3 {
		return false
	}
	for _, known := range PersonNames(p) {
		for _, part := range strings.Fields(NormalizeName(known)) {
			if len(part) >= 3 && strings.Contains(h, part) {
				return true
			}
		}
	}
	for _, e := range p.Emails() {
		local, _, _ := strings.Cut(e, "@")
		if l := strings.Join(strings.Fields(NormalizeName(local)), ""); len(l) >= 3 && (strings.Contains(h, l) || strings.Contains(l, h)) {
			return true
		}
	}
	return false
}

// EmailOfPerson reports whether an email plausibly belongs to the person:
// one of their roster or applicant emails, a GitHub noreply address of one
// of their logins, or a personal address whose local part holds their
// given or family name ("jane.roe.dev@mail.example").
func EmailOfPerson(p *profile.Person, email string) bool {
	email = NormalizeEmail(email)
	if email == "" {
		return false
	}
	for _, e := range p.Emails() {
		if e == email {
			return true
		}
	}
	// Not p.Accounts: they include the very addresses resolved from
	// commits, whatever they are.
	local, domain, _ := strings.Cut(email, "@")
	if domain == "users.noreply.github.com" {
		if _, login, ok := strings.Cut(local, "+"); ok {
			local = login
		}
		for _, a := range p.Accounts {
			if a == local {
				return true
			}
		}
	}
	return handleOf(p, strings.Fields(NormalizeName(local)))
}

// defaultAuthorNames are names tools and images leave in a git
// configuration (folded): they name a machine, not a person.
var defaultAuthorNames = map[string]bool{
	"root": true, "ubuntu": true, "ec2 user": true, "vagrant": true, "admin": true, "administrator": true, "user": true,
	"dev": true, "developer": true, "your name": true, "name": true, "unknown": true, "jenkins": true, "builder": true,
	"build": true, "ci": true, "git": true, "localhost": true, "runner": true, "github actions": true, "codespace": true,
	"codespaces": true, "docker": true, "default": true, "test": true, "pi": true, "debian": true, "centos": true,
}

// DefaultAuthorName reports whether a commit author name is a tool's or
// an image's default ("root", "ubuntu", "Your Name").
func DefaultAuthorName(name string) bool { return defaultAuthorNames[NormalizeName(name)] }

func hasLatin(s string) bool {
	for _, r := range s {
		if r < unicode.MaxLatin1 && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func anyLatin(names []string) bool {
	for _, n := range names {
		if hasLatin(NormalizeName(n)) {
			return true
		}
	}
	return false
}

// FormalGivenNames returns the given names a folded nickname stands for
// ("bob" → robert), nil when it is not a known nickname.
func FormalGivenNames(nickname string) []string { return nicknames[nickname] }
