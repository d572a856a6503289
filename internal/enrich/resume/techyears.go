package resume

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Technology is one row of the release-date table (technologies.csv).
type Technology struct {
	Name          string
	Aliases       []string
	FirstPublic   time.Time // first day of the first month anyone outside its creators could use it
	CaseSensitive bool      // aliases match only as written ("Go", "Swift")
	Source        string    // where the date comes from
	Note          string
}

//go:embed technologies.csv
var technologiesCSV string

// Technologies returns the table, in file order.
func Technologies() []Technology { return slices.Clone(table().techs) }

type techTable struct {
	techs []Technology
	re    *regexp.Regexp // every alias, longest first
	alias map[string]int // lower-cased alias → index in techs (case-insensitive aliases)
	exact map[string]int // alias as written → index (case-sensitive aliases)
}

var table = sync.OnceValue(func() *techTable {
	t, err := parseTechnologies(technologiesCSV)
	if err != nil {
		panic(err) // the embedded table is checked by tests
	}
	return t
})

func parseTechnologies(data string) (*techTable, error) {
	var lines []string
	for l := range strings.SplitSeq(data, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			lines = append(lines, l)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("technologies.csv: %w", err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "name,aliases,first_public,case_sensitive,source,note" {
		return nil, fmt.Errorf("technologies.csv: unexpected header %v", rows[0])
	}
	t := &techTable{alias: map[string]int{}, exact: map[string]int{}}
	var alts []string
	for n, r := range rows[1:] {
		first, err := time.Parse("2006-01", r[2])
		if err != nil {
			return nil, fmt.Errorf("technologies.csv row %d: first_public %q: %w", n+2, r[2], err)
		}
		if r[4] == "" {
			return nil, fmt.Errorf("technologies.csv row %d: no source", n+2)
		}
		tech := Technology{Name: r[0], Aliases: strings.Split(r[1], "|"), FirstPublic: first, CaseSensitive: r[3] == "yes", Source: r[4], Note: r[5]}
		for _, a := range tech.Aliases {
			if tech.CaseSensitive {
				t.exact[a] = len(t.techs)
				alts = append(alts, regexp.QuoteMeta(a))
			} else {
				t.alias[strings.ToLower(a)] = len(t.techs)
				alts = append(alts, "(?i:"+regexp.QuoteMeta(a)+")")
			}
		}
		t.techs = append(t.techs, tech)
	}
	// Longest first, so that "React Native" wins over "React".
	slices.SortStableFunc(alts, func(a, b string) int { return len(b) - len(a) })
	t.re = regexp.MustCompile(strings.Join(alts, "|"))
	return t, nil
}

// mention is one technology named in a text.
type mention struct {
	tech       int
	start, end int
}

// mentions finds every technology named in text, whole words only: not
// inside another word, nor before "-word" or ".word" ("Go-to-market",
// "React.Component" are not mentions).
func (t *techTable) mentions(text string) []mention {
	var out []mention
	for _, loc := range t.re.FindAllStringIndex(text, -1) {
		s, e := loc[0], loc[1]
		if !wordBoundaryBefore(text, s) || !wordBoundaryAfter(text, e) {
			continue
		}
		m := text[s:e]
		i, ok := t.exact[m]
		if !ok {
			if i, ok = t.alias[strings.ToLower(m)]; !ok {
				continue // a case-sensitive alias matched in another case
			}
		}
		out = append(out, mention{tech: i, start: s, end: e})
	}
	return out
}

func wordBoundaryBefore(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' && r != '#' && r != '@' && r != '/'
}

func wordBoundaryAfter(text string, i int) bool {
	if i == len(text) {
		return true
	}
	r, n := utf8.DecodeRuneInString(text[i:])
	if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '#' || r == '+' {
		return false
	}
	if r == '-' || r == '.' || r == '/' {
		next, _ := utf8.DecodeRuneInString(text[i+n:])
		return !unicode.IsLetter(next) && !unicode.IsDigit(next)
	}
	return true
}

// Claim is a claimed length of experience with one technology.
type Claim struct {
	Technology Technology
	// Years is the claimed number of years ("7+ years of Go" → 7); zero
	// for a "since" claim.
	Years float64
	// Since is the claimed starting year ("Kubernetes since 2012"), or 0.
	Since int
	// Text is the claim as written; Start and End its byte offsets.
	Text       string
	Start, End int
}

// Existed is how many years the technology had been public at ref.
func (c Claim) Existed(ref time.Time) float64 {
	return ref.Sub(c.Technology.FirstPublic).Hours() / (24 * 365.25)
}

// Excess is how many years the claim goes beyond what was possible at ref:
// the claimed years minus the years the technology had been public, or,
// for a "since" claim, the years between the claimed start and the
// technology's first public month. It is negative when the claim fits.
func (c Claim) Excess(ref time.Time) float64 {
	if c.Since > 0 {
		start := time.Date(c.Since, 12, 31, 0, 0, 0, 0, time.UTC) // the most lenient reading of "since YYYY"
		return c.Technology.FirstPublic.Sub(start).Hours() / (24 * 365.25)
	}
	return c.Years - c.Existed(ref)
}

// numberWords are spelled-out year counts.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20,
}

const yearsNumber = `(\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)`

var (
	// yearsBefore matches "7+ years of (professional) experience with " at
	// the end of the text before a mention: only filler words between the
	// number and the technology, so that "10 years in backend development
	// with Kubernetes" (a career length) is no claim about Kubernetes.
	yearsBefore = regexp.MustCompile(`(?i)(?:^|[^\w.])` + yearsNumber + `\s*\+?\s*(?:years?|yrs?)\.?(?:\s+|\s*['’]\s*)` +
		`(?:of\s+)?(?:(?:professional|commercial|hands-on|hands\s+on|production|industry|working|practical|solid|extensive|deep|strong|proven|progressive|total|combined)\s+)*` +
		`(?:experience\s+)?(?:(?:with|in|using|on|of|developing\s+(?:with|in)|building\s+(?:with|in)|programming\s+in|coding\s+in|writing)\s+)?$`)
	// yearsAfter matches " (7+ years)", ": 7 yrs", " – 7 years" right after
	// a mention.
	yearsAfter = regexp.MustCompile(`(?i)^\s*(?:\(|:|-|–|—)?\s*` + yearsNumber + `\s*\+?\s*(?:years?|yrs?)\b\.?\)?`)
	// sinceAfter matches " since 2012" or " in production since 2012" after
	// a mention.
	sinceAfter = regexp.MustCompile(`(?i)^(?:\s+[a-z]+){0,3}?\s+since\s+((?:19|20)\d\d)\b`)
)

// lookbehind and lookahead bound the text searched around a mention.
const (
	lookbehind = 100
	lookahead  = 40
)

// Claims finds claimed experience with the technologies of the table in a
// résumé's text: "7 years of Go", "5+ years of experience with
// Kubernetes", "React (6+ years)", "Terraform: 4 yrs", "Kubernetes since
// 2012". Only the technology right after "N years of" counts: in "8 years
// of Java, Kotlin and Go" the number is not read as a claim about Go.
func Claims(text string) []Claim {
	t := table()
	var out []Claim
	for _, m := range t.mentions(text) {
		lineStart := strings.LastIndexByte(text[:m.start], '\n') + 1
		lineEnd := len(text)
		if i := strings.IndexByte(text[m.end:], '\n'); i >= 0 {
			lineEnd = m.end + i
		}
		before := text[max(lineStart, m.start-lookbehind):m.start]
		after := text[m.end:min(lineEnd, m.end+lookahead)]
		c := Claim{Technology: t.techs[m.tech], Start: m.start, End: m.end}
		switch {
		case yearsBefore.MatchString(before):
			sm := yearsBefore.FindStringSubmatchIndex(before)
			c.Years = years(before[sm[2]:sm[3]])
			c.Start = m.start - len(before) + sm[2]
		case yearsAfter.MatchString(after):
			sm := yearsAfter.FindStringSubmatchIndex(after)
			c.Years = years(after[sm[2]:sm[3]])
			c.End = m.end + sm[1]
		case sinceAfter.MatchString(after):
			sm := sinceAfter.FindStringSubmatchIndex(after)
			c.Since, _ = strconv.Atoi(after[sm[2]:sm[3]])
			c.End = m.end + sm[1]
		default:
			continue
		}
		if c.Years <= 0 && c.Since == 0 {
			continue
		}
		c.Text = strings.Join(strings.Fields(text[c.Start:c.End]), " ")
		out = append(out, c)
	}
	return out
}

func years(s string) float64 {
	if v, ok := numberWords[strings.ToLower(s)]; ok {
		return v
	}
	v, _ := strconv.ParseFloat(s, 64)
	return v
}
