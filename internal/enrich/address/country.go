package address

import "strings"

// CountryCode returns the ISO 3166-1 alpha-2 code for a country as sources
// write it: a two-letter code (upper-cased; "UK" becomes "GB"), a common
// alpha-3 code or an English (or native) country name. An unrecognised
// value is returned upper-cased and trimmed, so that it still compares
// equal to itself; "" stays "".
func CountryCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if len(s) == 2 {
		up := strings.ToUpper(s)
		if up == "UK" {
			return "GB"
		}
		return up
	}
	if c, ok := countryCodes[fold(s)]; ok {
		return c
	}
	return strings.ToUpper(s)
}

// countryCodes maps folded country names and alpha-3 codes to alpha-2.
// It covers the countries rollcall's users and the public record name
// most often; CountryCode passes anything else through.
var countryCodes = map[string]string{
	"us": "US", "usa": "US", "united states": "US", "united states of america": "US", "america": "US",
	"uk": "GB", "gbr": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"can": "CA", "canada": "CA",
	"mex": "MX", "mexico": "MX", "méxico": "MX",
	"bra": "BR", "brazil": "BR", "brasil": "BR",
	"arg": "AR", "argentina": "AR",
	"col": "CO", "colombia": "CO",
	"deu": "DE", "germany": "DE", "deutschland": "DE",
	"fra": "FR", "france": "FR",
	"nld": "NL", "netherlands": "NL", "the netherlands": "NL", "holland": "NL",
	"bel": "BE", "belgium": "BE",
	"esp": "ES", "spain": "ES", "españa": "ES",
	"prt": "PT", "portugal": "PT",
	"ita": "IT", "italy": "IT", "italia": "IT",
	"irl": "IE", "ireland": "IE",
	"che": "CH", "switzerland": "CH",
	"aut": "AT", "austria": "AT",
	"swe": "SE", "sweden": "SE",
	"nor": "NO", "norway": "NO",
	"dnk": "DK", "denmark": "DK",
	"fin": "FI", "finland": "FI",
	"pol": "PL", "poland": "PL", "polska": "PL",
	"cze": "CZ", "czech republic": "CZ", "czechia": "CZ",
	"rou": "RO", "romania": "RO",
	"bgr": "BG", "bulgaria": "BG",
	"srb": "RS", "serbia": "RS",
	"hrv": "HR", "croatia": "HR",
	"grc": "GR", "greece": "GR",
	"hun": "HU", "hungary": "HU",
	"ltu": "LT", "lithuania": "LT",
	"lva": "LV", "latvia": "LV",
	"est": "EE", "estonia": "EE",
	"ukr": "UA", "ukraine": "UA",
	"rus": "RU", "russia": "RU", "russian federation": "RU",
	"tur": "TR", "turkey": "TR", "türkiye": "TR",
	"isr": "IL", "israel": "IL",
	"are": "AE", "united arab emirates": "AE", "uae": "AE",
	"sau": "SA", "saudi arabia": "SA",
	"egy": "EG", "egypt": "EG",
	"nga": "NG", "nigeria": "NG",
	"ken": "KE", "kenya": "KE",
	"zaf": "ZA", "south africa": "ZA",
	"ind": "IN", "india": "IN",
	"pak": "PK", "pakistan": "PK",
	"bgd": "BD", "bangladesh": "BD",
	"chn": "CN", "china": "CN", "peoples republic of china": "CN", "prc": "CN",
	"hkg": "HK", "hong kong": "HK",
	"twn": "TW", "taiwan": "TW",
	"prk": "KP", "north korea": "KP", "democratic peoples republic of korea": "KP", "dprk": "KP",
	"kor": "KR", "south korea": "KR", "republic of korea": "KR", "korea": "KR",
	"jpn": "JP", "japan": "JP",
	"sgp": "SG", "singapore": "SG",
	"mys": "MY", "malaysia": "MY",
	"idn": "ID", "indonesia": "ID",
	"tha": "TH", "thailand": "TH",
	"vnm": "VN", "vietnam": "VN", "viet nam": "VN",
	"lao": "LA", "laos": "LA", "lao pdr": "LA",
	"khm": "KH", "cambodia": "KH",
	"phl": "PH", "philippines": "PH",
	"aus": "AU", "australia": "AU",
	"nzl": "NZ", "new zealand": "NZ",
}
