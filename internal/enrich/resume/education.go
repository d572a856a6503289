package resume

import (
	"regexp"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/geo"
)

// School is one school named in a résumé's education section.
type School struct {
	Line string // the line naming it, whitespace collapsed
	// Country is where the line places the school (ISO alpha-2), or ""
	// when it cannot be placed or the clues disagree.
	Country string
	// Clue is the word or phrase that placed it ("Dalian", "China",
	// "Texas").
	Clue string
}

// schoolWord marks a line as naming a school.
var schoolWord = regexp.MustCompile(`(?i)\b(universit(?:y|ies|é|e|ät|at|à|a|as|eit|y)|uniwersytet|univerzita|college|institute|institut|instituto|istituto|` +
	`polytechnic|politecnico|polit[eé]cnica|school|academy|akademie|academia|conservatory|hochschule|technion|ecole|école|escuela|` +
	`iit|mit|ucla|nyu|cmu|caltech|kaist|postech|epfl|eth)\b`)

// Schools lists the schools in a résumé's education sections, each placed
// in a country where the line says where it is: a city, a country, a US
// state, or a well-known institution's name. Lines of other sections
// are never read (an employer such as "University of Chicago Medicine" in
// the experience section is not education). A line whose clues disagree
// ("American University of Beirut" names a demonym and a city) is placed
// by the most specific clue: city, then country, then US state, then name.
func Schools(text string) []School {
	var out []School
	for _, sec := range Sections(text) {
		if sec.Kind != "education" {
			continue
		}
		lines := strings.Split(sec.Body, "\n")
		for i, line := range lines {
			line = strings.Join(strings.Fields(line), " ")
			if !schoolWord.MatchString(line) {
				continue
			}
			s := School{Line: line}
			s.Country, s.Clue = place(line)
			// The location often sits on the next line ("Dalian, China").
			if s.Country == "" && i+1 < len(lines) && !schoolWord.MatchString(lines[i+1]) {
				s.Country, s.Clue = place(lines[i+1])
			}
			out = append(out, s)
		}
	}
	return out
}

// words splits a line into words (letters, digits, apostrophes, dots in
// abbreviations such as U.S.A.).
var wordRE = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'.]*`)

// place finds the country a line names, and the clue. Longer phrases are
// read first and their words are not read again.
func place(line string) (country, clue string) {
	ws := wordRE.FindAllString(line, -1)
	for i := range ws {
		ws[i] = strings.TrimRight(ws[i], ".")
	}
	lower := make([]string, len(ws))
	for i, w := range ws {
		lower[i] = strings.ToLower(w)
	}
	type found struct{ country, clue string }
	var cities, countries, states, names []found
	used := make([]bool, len(ws)) // words already part of a longer clue ("New Mexico" is not "Mexico")
	for n := 3; n >= 1; n-- {
		for i := 0; i+n <= len(ws); i++ {
			if slices.Contains(used[i:i+n], true) {
				continue
			}
			phrase, shown := strings.Join(lower[i:i+n], " "), strings.Join(ws[i:i+n], " ")
			hit := true
			if c, ok := cityCountry[phrase]; ok {
				cities = append(cities, found{c, shown})
			} else if c := countryName(shown); c != "" {
				countries = append(countries, found{c, shown})
			} else if usStates[phrase] || n == 1 && i > 0 && usStateCodes[ws[i]] { // "Austin, TX"
				states = append(states, found{"US", shown})
			} else if c, ok := institutionCountry[phrase]; ok {
				names = append(names, found{c, shown})
			} else {
				hit = false
			}
			if hit {
				for j := i; j < i+n; j++ {
					used[j] = true
				}
			}
		}
	}
	for _, list := range [][]found{cities, countries, states, names} {
		if len(list) == 0 {
			continue
		}
		first := list[0]
		for _, f := range list[1:] {
			if f.country != first.country {
				return "", "" // clues of one rank disagree
			}
		}
		return first.country, first.clue
	}
	return "", ""
}

// ambiguousCountryNames are country names that are also US states or
// common words in education lines; they place nothing on their own.
var ambiguousCountryNames = map[string]bool{"georgia": true, "jordan": true, "chad": true, "guinea": true, "turkey": true}

// countryCodeWords are the codes written as whole words that do name a
// country in an education line (two-letter codes such as "IN" or "ME" are
// ordinary words there).
var countryCodeWords = map[string]string{"USA": "US", "U.S.A": "US", "U.S": "US", "US": "US", "UK": "GB", "U.K": "GB", "UAE": "AE", "PRC": "CN", "DPRK": "KP", "ROK": "KR"}

// countryName returns the country a phrase names (English name or alias,
// or one of countryCodeWords), or "".
func countryName(phrase string) string {
	if c, ok := countryCodeWords[phrase]; ok {
		return c
	}
	if len(phrase) < 4 || ambiguousCountryNames[strings.ToLower(phrase)] {
		return ""
	}
	c, ok := geo.Lookup(phrase)
	if !ok || strings.EqualFold(phrase, c.Alpha3) || strings.EqualFold(phrase, c.Alpha2) {
		return ""
	}
	return c.Alpha2
}

// usStates are US state names (lower case).
var usStates = setOf(strings.Split("alabama,alaska,arizona,arkansas,california,colorado,connecticut,delaware,florida,georgia,hawaii,idaho,"+
	"illinois,indiana,iowa,kansas,kentucky,louisiana,maine,maryland,massachusetts,michigan,minnesota,mississippi,missouri,montana,"+
	"nebraska,nevada,new hampshire,new jersey,new mexico,new york,north carolina,north dakota,ohio,oklahoma,oregon,pennsylvania,"+
	"rhode island,south carolina,south dakota,tennessee,texas,utah,vermont,virginia,washington,west virginia,wisconsin,wyoming,"+
	"district of columbia", ","))

// usStateCodes are the USPS state abbreviations (upper case, as written
// after a city).
var usStateCodes = setOf(strings.Split("AL,AK,AZ,AR,CA,CO,CT,DE,FL,GA,HI,ID,IL,IN,IA,KS,KY,LA,ME,MD,MA,MI,MN,MS,MO,MT,NE,NV,NH,NJ,NM,NY,"+
	"NC,ND,OH,OK,OR,PA,RI,SC,SD,TN,TX,UT,VT,VA,WA,WV,WI,WY,DC", ","))

func setOf(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}

// cityCountry places cities that education lines name, chosen for where
// the public record and ordinary hiring put schools: large university
// cities of the countries named in DPRK IT-worker advisories (China,
// Russia, Laos, Southeast Asia, North Korea), of common study-abroad
// countries, and of the United States. Cities that share a name with a
// US place (Paris, Moscow, Athens, Cambridge, Birmingham) are left out.
var cityCountry = map[string]string{
	"beijing": "CN", "peking": "CN", "shanghai": "CN", "shenyang": "CN", "dalian": "CN", "dandong": "CN", "harbin": "CN",
	"changchun": "CN", "guangzhou": "CN", "shenzhen": "CN", "wuhan": "CN", "nanjing": "CN", "hangzhou": "CN", "xi'an": "CN",
	"chengdu": "CN", "tianjin": "CN", "yanji": "CN", "hong kong": "HK", "taipei": "TW",
	"pyongyang": "KP", "seoul": "KR", "busan": "KR", "daejeon": "KR", "tokyo": "JP", "osaka": "JP", "kyoto": "JP",
	"vladivostok": "RU", "novosibirsk": "RU", "saint petersburg": "RU", "st petersburg": "RU", "vientiane": "LA",
	"singapore": "SG", "kuala lumpur": "MY", "bangkok": "TH", "hanoi": "VN", "ho chi minh city": "VN", "manila": "PH",
	"quezon city": "PH", "jakarta": "ID", "mumbai": "IN", "delhi": "IN", "new delhi": "IN", "bangalore": "IN", "bengaluru": "IN",
	"chennai": "IN", "hyderabad": "IN", "pune": "IN", "kolkata": "IN", "karachi": "PK", "lahore": "PK", "islamabad": "PK",
	"dhaka": "BD", "lagos": "NG", "nairobi": "KE", "cairo": "EG", "beirut": "LB", "dubai": "AE", "istanbul": "TR", "tbilisi": "GE",
	"kyiv": "UA", "kiev": "UA", "kharkiv": "UA", "lviv": "UA", "minsk": "BY", "warsaw": "PL", "krakow": "PL", "bucharest": "RO",
	"sofia": "BG", "belgrade": "RS", "budapest": "HU", "prague": "CZ", "berlin": "DE", "munich": "DE", "zurich": "CH", "zürich": "CH",
	"lausanne": "CH", "madrid": "ES", "barcelona": "ES", "lisbon": "PT", "são paulo": "BR", "sao paulo": "BR", "buenos aires": "AR",
	"mexico city": "MX", "bogotá": "CO", "bogota": "CO", "toronto": "CA", "waterloo": "CA", "montreal": "CA", "vancouver": "CA",
	"sydney": "AU", "melbourne": "AU", "auckland": "NZ", "oxford": "GB", "edinburgh": "GB", "london": "GB",
	"boston": "US", "chicago": "US", "los angeles": "US", "san francisco": "US", "berkeley": "US", "stanford": "US", "seattle": "US",
	"austin": "US", "houston": "US", "dallas": "US", "atlanta": "US", "pittsburgh": "US", "philadelphia": "US", "new york city": "US",
	"ann arbor": "US", "urbana": "US", "champaign": "US", "madison": "US", "san diego": "US", "irvine": "US", "davis": "US",
}

// institutionCountry places well-known institutions whose names carry no
// place the other tables know.
var institutionCountry = map[string]string{
	"mit": "US", "caltech": "US", "ucla": "US", "nyu": "US", "cmu": "US", "carnegie mellon": "US", "harvard": "US", "yale": "US",
	"princeton": "US", "cornell": "US", "purdue": "US", "rutgers": "US", "duke": "US", "georgia tech": "US", "virginia tech": "US",
	"johns hopkins": "US", "northwestern university": "US", "columbia university": "US", "university of michigan": "US",
	"state university": "US", "community college": "US",
	"tsinghua": "CN", "fudan": "CN", "zhejiang university": "CN", "kim il sung": "KP", "kim chaek": "KP", "kaist": "KR",
	"postech": "KR", "iit": "IN", "indian institute": "IN", "epfl": "CH", "eth": "CH", "technion": "IL",
	"national university of singapore": "SG", "nanyang": "SG", "bauman": "RU", "lomonosov": "RU",
}

// DomesticSchool reports whether any school is placed in country.
func DomesticSchool(schools []School, country string) bool {
	return slices.ContainsFunc(schools, func(s School) bool { return s.Country == country })
}
