package resume

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTechnologyTable(t *testing.T) {
	seen := map[string]bool{}
	owner := map[string]string{}
	for _, tech := range Technologies() {
		if tech.Source == "" || !strings.HasPrefix(tech.Source, "https://") {
			t.Errorf("%s: source %q is not a URL", tech.Name, tech.Source)
		}
		if tech.FirstPublic.Year() < 1990 || tech.FirstPublic.Year() > 2030 {
			t.Errorf("%s: first public %v out of range", tech.Name, tech.FirstPublic)
		}
		for _, a := range tech.Aliases {
			k := strings.ToLower(a)
			if seen[k] && owner[k] != tech.Name {
				t.Errorf("alias %q names both %s and %s", a, owner[k], tech.Name)
			}
			seen[k], owner[k] = true, tech.Name
		}
	}
	for _, want := range []string{"Kubernetes", "React", "Rust", "Swift", "Go", "TypeScript", "Docker", "Terraform", "Next.js", "Svelte", "GraphQL", "Flutter", "Kotlin", "Deno", "Bun", "ChatGPT"} {
		if !seen[strings.ToLower(want)] {
			t.Errorf("table lacks %s", want)
		}
	}
	if _, err := parseTechnologies("name,aliases\nGo,Go\n"); err == nil {
		t.Error("a table with the wrong header was accepted")
	}
	if _, err := parseTechnologies("name,aliases,first_public,case_sensitive,source,note\nGo,Go,2009,yes,x,\n"); err == nil {
		t.Error("a malformed first_public was accepted")
	}
}

func TestClaims(t *testing.T) {
	type claim struct {
		Tech  string
		Years float64
		Since int
		Text  string
	}
	tests := []struct {
		name string
		text string
		want []claim
	}{
		{"years_of", "Senior engineer with 12+ years of Kubernetes experience.",
			[]claim{{"Kubernetes", 12, 0, "12+ years of Kubernetes"}}},
		{"years_of_professional_experience_with", "I have 7 years of professional experience with React and Redux.",
			[]claim{{"React", 7, 0, "7 years of professional experience with React"}}},
		{"parenthesised", "Skills: Go (8 years), Rust (3+ yrs), Python",
			[]claim{{"Go", 8, 0, "Go (8 years)"}, {"Rust", 3, 0, "Rust (3+ yrs)"}}},
		{"colon_and_dash", "Terraform: 6 years\nSwift – five years", []claim{{"Terraform", 6, 0, "Terraform: 6 years"}, {"Swift", 5, 0, "Swift – five years"}}},
		{"since", "Running Docker in production since 2011.", []claim{{"Docker", 0, 2011, "Docker in production since 2011"}}},
		{"apostrophe", "10 years' experience in TypeScript", []claim{{"TypeScript", 10, 0, "10 years' experience in TypeScript"}}},
		{"longest_alias_wins", "React Native (6 years)", []claim{{"React Native", 6, 0, "React Native (6 years)"}}},
		// Not claims about the technology.
		{"career_length_then_list", "10 years of experience in backend development with Kubernetes, Docker and Go.", nil},
		{"list_after_the_number", "8 years of Java, Kotlin and Go", nil},
		{"sentence_break", "Engineer with 15 years of experience. Kubernetes, Terraform.", nil},
		{"go_to_market", "Led 5 years of Go-to-market planning.", nil},
		{"go_lower_case", "Ready to go (2 years notice)", nil},
		{"swift_banking", "Built SWIFT (10 years) payment gateways", nil},
		{"node_dot_js", "Vue.js developer", nil},
		{"other_line", "12 years of\nKubernetes", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []claim
			for _, c := range Claims(tt.text) {
				got = append(got, claim{c.Technology.Name, c.Years, c.Since, c.Text})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClaimExcess(t *testing.T) {
	ref := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	cs := Claims("12 years of Kubernetes; Docker since 2010; 5 years of Go")
	if len(cs) != 3 {
		t.Fatalf("claims = %+v", cs)
	}
	// Kubernetes: public June 2014, 10 years at ref: 2 years too many.
	if got := cs[0].Excess(ref); math.Abs(got-2) > 0.05 {
		t.Errorf("Kubernetes excess = %.2f, want 2", got)
	}
	// Docker: public March 2013; "since 2010" read as the end of 2010.
	if got := cs[1].Excess(ref); math.Abs(got-2.17) > 0.05 {
		t.Errorf("Docker excess = %.2f, want about 2.2", got)
	}
	if got := cs[2].Excess(ref); got > 0 {
		t.Errorf("Go excess = %.2f, want negative", got)
	}
}

const sampleResume = `Kevin Tran
kevin.tran.eng@outlook.com | Dallas, TX

PROFESSIONAL SUMMARY
DevOps engineer with 12+ years of professional experience.

Work Experience
Lead DevOps Engineer, University of Chicago Medicine, 2016 - 2024

Education:
Bachelor of Engineering in Computer Science
Dalian University of Technology, Dalian, China
Master of Science, Kim Chaek University of Technology
High School Diploma, Pyongyang No. 1 Middle School, DPRK

Skills
Kubernetes, Terraform, Go
`

func TestSections(t *testing.T) {
	var kinds []string
	for _, s := range Sections(sampleResume) {
		kinds = append(kinds, s.Kind+":"+s.Heading)
	}
	want := []string{"summary:PROFESSIONAL SUMMARY", "experience:Work Experience", "education:Education:", "skills:Skills"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if got := Sections(sampleResume)[3].Body; got != "Kubernetes, Terraform, Go" {
		t.Errorf("skills body = %q", got)
	}
}

func TestSchools(t *testing.T) {
	type school struct{ Country, Clue string }
	var got []school
	for _, s := range Schools(sampleResume) {
		got = append(got, school{s.Country, s.Clue})
	}
	want := []school{{"CN", "Dalian"}, {"KP", "Kim Chaek"}, {"KP", "Pyongyang"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("schools (-want +got):\n%s", diff)
	}
}

func TestPlace(t *testing.T) {
	tests := map[string]string{
		"B.S. Computer Science, University of Illinois Urbana-Champaign":   "US",
		"New Mexico State University, Las Cruces":                          "US",
		"Georgia Institute of Technology":                                  "US",
		"Tbilisi State University, Georgia":                                "GE",
		"American University of Beirut":                                    "LB",
		"The University of Texas at Austin":                                "US",
		"University of Lagos, Nigeria":                                     "NG",
		"National University of Singapore":                                 "SG",
		"Universidad de Buenos Aires":                                      "AR",
		"University of Waterloo, Ontario, Canada":                          "CA",
		"Stanford University, Stanford, CA":                                "US",
		"Online coursework":                                                "",
		"University of Toronto and MIT":                                    "", // two clues of different rank: city wins? no: city CA vs name US
		"Bachelor in Computer Science, Indian Institute of Technology":     "IN",
		"Moscow State University, Russia":                                  "RU",
		"University of Washington, Seattle":                                "US",
		"Columbia University in the City of New York":                      "US",
		"Università di Bologna, Italy":                                     "IT",
		"Technische Universität München, Munich":                           "DE",
		"B.Sc. Informatics, Universitas Indonesia, Jakarta":                "ID",
		"Pontifícia Universidade Católica do Rio de Janeiro, Brazil (PUC)": "BR",
	}
	for line, want := range tests {
		got, clue := place(line)
		if line == "University of Toronto and MIT" {
			want = "CA" // the city outranks the institution's name
		}
		if got != want {
			t.Errorf("place(%q) = %q (clue %q), want %q", line, got, clue, want)
		}
	}
}

func TestOverallYears(t *testing.T) {
	tests := map[string]float64{
		"DevOps engineer with 12+ years of professional experience.": 12,
		"Over ten years of software engineering experience":          10,
		"3 years of experience with React; 9 years' experience":      9,
		"Led a team for 5 years":                                     0,
		"99 years of experience":                                     0,
	}
	for text, want := range tests {
		if got := OverallYears(text); got != want {
			t.Errorf("OverallYears(%q) = %v, want %v", text, got, want)
		}
	}
}
