package address

import (
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// InferCountry returns the address's country (see Country), else the
// country its region and postal code can only belong to: a US state or
// territory code with a five-digit ZIP (ZIP+4 too), or a Canadian province
// code with a postal code like "M5V 2T6". Applicant-tracking systems
// often keep "Omaha, NE 68109" without a country. "" when neither says.
func InferCountry(a event.Address) string {
	if c := Country(a); c != "" {
		return c
	}
	if a.Formatted != "" && (a.Region == "" || a.PostalCode == "") {
		p := Parse(a.Formatted)
		a.Region, a.PostalCode = p.Region, p.PostalCode
	}
	region := strings.ToUpper(strings.TrimSpace(a.Region))
	postal := strings.ToUpper(strings.TrimSpace(a.PostalCode))
	switch {
	case usRegions[region] && usZIP.MatchString(postal):
		return "US"
	case caRegions[region] && caPostal.MatchString(postal):
		return "CA"
	}
	return ""
}

var (
	usZIP    = regexp.MustCompile(`^\d{5}(-\d{4})?$`)
	caPostal = regexp.MustCompile(`^[A-Z]\d[A-Z] ?\d[A-Z]\d$`)
)

// usRegions are the USPS codes of the states, the District of Columbia and
// the territories; caRegions those of Canada's provinces and territories.
var (
	usRegions = setOf("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI")
	caRegions = setOf("AB BC MB NB NL NS NT NU ON PE QC SK YT")
)

func setOf(codes string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}
