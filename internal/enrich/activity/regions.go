package activity

import "strings"

// usStateZones maps US states and territories (postal code and name, lower
// case) to the tz database zones that cover them, so that a claimed home in
// Illinois means Central time, not anything from Hawaii to Maine. States
// split between two zones list both.
var usStateZones = map[string][]string{
	"al": {"America/Chicago"}, "ak": {"America/Anchorage"}, "az": {"America/Phoenix"}, "ar": {"America/Chicago"},
	"ca": {"America/Los_Angeles"}, "co": {"America/Denver"}, "ct": {"America/New_York"}, "de": {"America/New_York"},
	"dc": {"America/New_York"}, "fl": {"America/New_York", "America/Chicago"}, "ga": {"America/New_York"},
	"hi": {"Pacific/Honolulu"}, "id": {"America/Boise", "America/Los_Angeles"}, "il": {"America/Chicago"},
	"in": {"America/Indiana/Indianapolis", "America/Chicago"}, "ia": {"America/Chicago"},
	"ks": {"America/Chicago", "America/Denver"}, "ky": {"America/New_York", "America/Chicago"},
	"la": {"America/Chicago"}, "me": {"America/New_York"}, "md": {"America/New_York"}, "ma": {"America/New_York"},
	"mi": {"America/Detroit", "America/Chicago"}, "mn": {"America/Chicago"}, "ms": {"America/Chicago"},
	"mo": {"America/Chicago"}, "mt": {"America/Denver"}, "ne": {"America/Chicago", "America/Denver"},
	"nv": {"America/Los_Angeles"}, "nh": {"America/New_York"}, "nj": {"America/New_York"}, "nm": {"America/Denver"},
	"ny": {"America/New_York"}, "nc": {"America/New_York"}, "nd": {"America/Chicago", "America/Denver"},
	"oh": {"America/New_York"}, "ok": {"America/Chicago"}, "or": {"America/Los_Angeles", "America/Boise"},
	"pa": {"America/New_York"}, "ri": {"America/New_York"}, "sc": {"America/New_York"},
	"sd": {"America/Chicago", "America/Denver"}, "tn": {"America/Chicago", "America/New_York"},
	"tx": {"America/Chicago", "America/Denver"}, "ut": {"America/Denver"}, "vt": {"America/New_York"},
	"va": {"America/New_York"}, "wa": {"America/Los_Angeles"}, "wv": {"America/New_York"}, "wi": {"America/Chicago"},
	"wy": {"America/Denver"}, "pr": {"America/Puerto_Rico"}, "gu": {"Pacific/Guam"}, "vi": {"America/St_Thomas"},
}

// usStateNames maps state names to postal codes.
var usStateNames = map[string]string{
	"alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca", "colorado": "co",
	"connecticut": "ct", "delaware": "de", "district of columbia": "dc", "washington dc": "dc", "washington d c": "dc",
	"florida": "fl", "georgia": "ga", "hawaii": "hi", "idaho": "id", "illinois": "il", "indiana": "in", "iowa": "ia",
	"kansas": "ks", "kentucky": "ky", "louisiana": "la", "maine": "me", "maryland": "md", "massachusetts": "ma",
	"michigan": "mi", "minnesota": "mn", "mississippi": "ms", "missouri": "mo", "montana": "mt", "nebraska": "ne",
	"nevada": "nv", "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny",
	"north carolina": "nc", "north dakota": "nd", "ohio": "oh", "oklahoma": "ok", "oregon": "or", "pennsylvania": "pa",
	"rhode island": "ri", "south carolina": "sc", "south dakota": "sd", "tennessee": "tn", "texas": "tx", "utah": "ut",
	"vermont": "vt", "virginia": "va", "washington": "wa", "west virginia": "wv", "wisconsin": "wi", "wyoming": "wy",
	"puerto rico": "pr", "guam": "gu", "us virgin islands": "vi",
}

// RegionZones returns the zones of a region (state) of a country, or nil
// when the region is not known. Only US states are mapped; other
// countries' claims use all the country's zones.
func RegionZones(country, region string) []Zone {
	if country != "US" || region == "" {
		return nil
	}
	names := usStateZones[RegionKey(country, region)]
	if names == nil {
		return nil
	}
	var out []Zone
	for _, z := range CountryZones("US") {
		for _, n := range names {
			if z.Name == n {
				out = append(out, z)
			}
		}
	}
	return out
}

// RegionKey folds a region of a country for comparison: US states by name
// or postal code give the postal code ("Illinois", "IL." → "il"); other
// regions are lower-cased with punctuation and spacing folded. It returns
// "" for an empty region.
func RegionKey(country, region string) string {
	r := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(region, ".", " ")))
	r = strings.Join(strings.Fields(r), " ")
	if country == "US" {
		if code, ok := usStateNames[r]; ok {
			return code
		}
	}
	return r
}
