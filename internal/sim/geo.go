package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // embedded zone data: output must not depend on the host's zoneinfo
)

// Place is a city where people live, travel, or where a network egresses.
type Place struct {
	City       string
	Region     string // full region name, as IP geolocation (Okta state) gives it
	RegionCode string // what postal addresses use: US state / CA province code, else the region name
	Country    string // ISO 3166-1 alpha-2
	TZ         string // IANA time zone
	Lat, Lon   float64
	ZipLo      int    // US ZIP range
	ZipHi      int    //
	Postal     string // postal-code pattern for other countries: '#' digit, 'A' letter
	AreaCodes  []int  // NANP area codes (US, CA)
	Weight     int    // share of residents; 0 = never a home of ordinary staff
	ISPs       []string
	Mobile     []string
}

// Loc returns the place's time zone.
func (p *Place) Loc() *time.Location { return zone(p.TZ) }

var zones sync.Map // IANA name -> *time.Location

// zone loads an IANA zone from the embedded database, once.
func zone(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		// The names are constants of this package, checked by a test.
		l = time.UTC
	}
	zones.Store(name, l)
	return l
}

// PostalCode draws a postal code in the place.
func (p *Place) PostalCode(r *rand.Rand) string {
	if p.Country == "US" {
		return fmt.Sprintf("%05d", between(r, p.ZipLo, p.ZipHi))
	}
	b := []byte(p.Postal)
	for i, c := range b {
		switch c {
		case '#':
			b[i] = byte('0' + r.IntN(10))
		case 'A':
			b[i] = "ABCEGHJKLMNPRSTVWXYZ"[r.IntN(20)]
		}
	}
	return string(b)
}

// Country is what the simulator knows of a country.
type Country struct {
	Code   string // ISO 3166-1 alpha-2
	Name   string // English short name, as Okta's geographicalContext.country writes it
	Dial   string // international dialling prefix without '+'
	Locale string // BCP 47 locale typical of residents
}

var countries = map[string]Country{
	"US": {"US", "United States", "1", "en-US"},
	"CA": {"CA", "Canada", "1", "en-CA"},
	"GB": {"GB", "United Kingdom", "44", "en-GB"},
	"DE": {"DE", "Germany", "49", "de-DE"},
	"PL": {"PL", "Poland", "48", "pl-PL"},
	"PT": {"PT", "Portugal", "351", "pt-PT"},
	"ES": {"ES", "Spain", "34", "es-ES"},
	"NL": {"NL", "Netherlands", "31", "nl-NL"},
	"FR": {"FR", "France", "33", "fr-FR"},
	"IN": {"IN", "India", "91", "en-IN"},
	"BR": {"BR", "Brazil", "55", "pt-BR"},
	"MX": {"MX", "Mexico", "52", "es-MX"},
	"PH": {"PH", "Philippines", "63", "en-PH"},
	"JP": {"JP", "Japan", "81", "ja-JP"},
	"SG": {"SG", "Singapore", "65", "en-SG"},
	"AU": {"AU", "Australia", "61", "en-AU"},
	"AE": {"AE", "United Arab Emirates", "971", "ar-AE"},
	"CN": {"CN", "China", "86", "zh-CN"},
	"HK": {"HK", "Hong Kong", "852", "zh-HK"},
	"RU": {"RU", "Russia", "7", "ru-RU"},
}

// countryName returns the English name Okta writes for an alpha-2 code.
func countryName(code string) string {
	if c, ok := countries[code]; ok {
		return c.Name
	}
	return code
}

var usStates = map[string]string{
	"AZ": "Arizona", "CA": "California", "CO": "Colorado", "DC": "District of Columbia", "FL": "Florida",
	"GA": "Georgia", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "LA": "Louisiana", "MA": "Massachusetts",
	"MD": "Maryland", "MI": "Michigan", "MN": "Minnesota", "MO": "Missouri", "NC": "North Carolina",
	"NE": "Nebraska", "NJ": "New Jersey", "NM": "New Mexico", "NV": "Nevada", "NY": "New York", "OH": "Ohio",
	"OR": "Oregon", "PA": "Pennsylvania", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VA": "Virginia",
	"VT": "Vermont", "WA": "Washington", "WI": "Wisconsin",
}

// us builds a US place.
func us(city, state, tz string, lat, lon float64, zlo, zhi int, area []int, w int, isps ...string) *Place {
	return &Place{City: city, Region: usStates[state], RegionCode: state, Country: "US", TZ: tz, Lat: lat, Lon: lon,
		ZipLo: zlo, ZipHi: zhi, AreaCodes: area, Weight: w, ISPs: isps, Mobile: []string{"tmobile", "verizon-wireless", "att-mobility"}}
}

const (
	tzET = "America/New_York"
	tzCT = "America/Chicago"
	tzMT = "America/Denver"
	tzPT = "America/Los_Angeles"
)

// usPlaces are US cities with residential ISPs that really serve them.
var usPlaces = []*Place{
	us("Brooklyn", "NY", tzET, 40.6782, -73.9442, 11201, 11239, []int{718, 347, 929}, 7, "verizon", "optimum", "charter"),
	us("New York", "NY", tzET, 40.7128, -74.0060, 10001, 10040, []int{212, 646, 917}, 6, "verizon", "charter"),
	us("Chicago", "IL", tzCT, 41.8781, -87.6298, 60601, 60661, []int{312, 773, 872}, 8, "comcast", "att"),
	us("San Francisco", "CA", tzPT, 37.7749, -122.4194, 94102, 94134, []int{415, 628}, 5, "comcast", "att"),
	us("Oakland", "CA", tzPT, 37.8044, -122.2712, 94601, 94621, []int{510, 341}, 2, "comcast", "att"),
	us("San Jose", "CA", tzPT, 37.3382, -121.8863, 95110, 95139, []int{408, 669}, 3, "comcast", "att"),
	us("Los Angeles", "CA", tzPT, 34.0522, -118.2437, 90001, 90068, []int{213, 323, 310, 424}, 6, "charter", "att"),
	us("San Diego", "CA", tzPT, 32.7157, -117.1611, 92101, 92130, []int{619, 858}, 3, "cox", "att"),
	us("Sacramento", "CA", tzPT, 38.5816, -121.4944, 95811, 95838, []int{916, 279}, 1, "comcast", "att"),
	us("Seattle", "WA", tzPT, 47.6062, -122.3321, 98101, 98199, []int{206}, 5, "comcast", "centurylink"),
	us("Portland", "OR", tzPT, 45.5152, -122.6784, 97201, 97239, []int{503, 971}, 3, "comcast", "centurylink"),
	us("Denver", "CO", tzMT, 39.7392, -104.9903, 80202, 80239, []int{303, 720}, 4, "comcast", "centurylink"),
	us("Boulder", "CO", tzMT, 40.0150, -105.2705, 80301, 80305, []int{303, 720}, 1, "comcast", "centurylink"),
	us("Salt Lake City", "UT", tzMT, 40.7608, -111.8910, 84101, 84121, []int{801, 385}, 2, "comcast", "centurylink", "googlefiber"),
	us("Albuquerque", "NM", tzMT, 35.0844, -106.6504, 87101, 87123, []int{505}, 1, "comcast", "centurylink"),
	us("Boise", "ID", "America/Boise", 43.6150, -116.2023, 83702, 83716, []int{208, 986}, 1, "centurylink"),
	us("Phoenix", "AZ", "America/Phoenix", 33.4484, -112.0740, 85003, 85054, []int{602, 480, 623}, 3, "cox", "centurylink"),
	us("Tucson", "AZ", "America/Phoenix", 32.2226, -110.9747, 85701, 85750, []int{520}, 1, "cox", "centurylink"),
	us("Las Vegas", "NV", tzPT, 36.1699, -115.1398, 89101, 89149, []int{702, 725}, 1, "cox"),
	us("Austin", "TX", tzCT, 30.2672, -97.7431, 78701, 78759, []int{512, 737}, 5, "spectrum-tx", "att", "googlefiber"),
	us("Dallas", "TX", tzCT, 32.7767, -96.7970, 75201, 75254, []int{214, 469, 972}, 4, "spectrum-tx", "att"),
	us("Houston", "TX", tzCT, 29.7604, -95.3698, 77002, 77099, []int{713, 281, 832}, 4, "comcast", "att"),
	us("New Orleans", "LA", tzCT, 29.9511, -90.0715, 70112, 70131, []int{504}, 1, "cox", "att"),
	us("Minneapolis", "MN", tzCT, 44.9778, -93.2650, 55401, 55455, []int{612}, 3, "comcast", "centurylink"),
	us("Madison", "WI", tzCT, 43.0731, -89.4012, 53703, 53726, []int{608}, 1, "charter", "att"),
	us("Milwaukee", "WI", tzCT, 43.0389, -87.9065, 53202, 53233, []int{414}, 1, "charter", "att"),
	us("Kansas City", "MO", tzCT, 39.0997, -94.5786, 64105, 64157, []int{816}, 1, "charter", "att", "googlefiber"),
	us("St. Louis", "MO", tzCT, 38.6270, -90.1994, 63101, 63139, []int{314}, 1, "charter", "att"),
	us("Omaha", "NE", tzCT, 41.2565, -95.9345, 68102, 68154, []int{402, 531}, 1, "cox", "centurylink"),
	us("Nashville", "TN", tzCT, 36.1627, -86.7816, 37201, 37221, []int{615, 629}, 2, "comcast", "att", "googlefiber"),
	us("Atlanta", "GA", tzET, 33.7490, -84.3880, 30303, 30350, []int{404, 470, 678}, 4, "comcast", "att", "googlefiber"),
	us("Miami", "FL", tzET, 25.7617, -80.1918, 33125, 33186, []int{305, 786}, 3, "comcast", "att"),
	us("Tampa", "FL", tzET, 27.9506, -82.4572, 33602, 33647, []int{813}, 2, "charter", "att"),
	us("Orlando", "FL", tzET, 28.5383, -81.3792, 32801, 32839, []int{407, 321}, 2, "charter", "att"),
	us("Boston", "MA", tzET, 42.3601, -71.0589, 2108, 2136, []int{617, 857}, 4, "comcast", "verizon"),
	us("Cambridge", "MA", tzET, 42.3736, -71.1097, 2138, 2142, []int{617, 857}, 1, "comcast", "verizon"),
	us("Burlington", "VT", tzET, 44.4759, -73.2121, 5401, 5408, []int{802}, 1, "comcast"),
	us("Philadelphia", "PA", tzET, 39.9526, -75.1652, 19102, 19154, []int{215, 267}, 3, "comcast", "verizon"),
	us("Pittsburgh", "PA", tzET, 40.4406, -79.9959, 15201, 15237, []int{412}, 2, "comcast", "verizon"),
	us("Jersey City", "NJ", tzET, 40.7178, -74.0431, 7302, 7311, []int{201, 551}, 1, "verizon", "optimum"),
	us("Edison", "NJ", tzET, 40.5187, -74.4121, 8817, 8837, []int{732, 848}, 1, "optimum", "verizon"),
	us("Washington", "DC", tzET, 38.9072, -77.0369, 20001, 20037, []int{202}, 3, "comcast", "verizon"),
	us("Arlington", "VA", tzET, 38.8816, -77.0910, 22201, 22209, []int{703, 571}, 2, "comcast", "verizon"),
	us("Richmond", "VA", tzET, 37.5407, -77.4360, 23219, 23235, []int{804}, 1, "comcast", "verizon"),
	us("Baltimore", "MD", tzET, 39.2904, -76.6122, 21201, 21239, []int{410, 443}, 2, "comcast", "verizon"),
	us("Raleigh", "NC", tzET, 35.7796, -78.6382, 27601, 27617, []int{919, 984}, 2, "charter", "att", "googlefiber"),
	us("Durham", "NC", tzET, 35.9940, -78.8986, 27701, 27713, []int{919, 984}, 1, "charter", "att"),
	us("Charlotte", "NC", tzET, 35.2271, -80.8431, 28202, 28277, []int{704, 980}, 2, "charter", "att"),
	us("Columbus", "OH", tzET, 39.9612, -82.9988, 43201, 43235, []int{614, 380}, 2, "charter", "att"),
	us("Cleveland", "OH", tzET, 41.4993, -81.6944, 44102, 44135, []int{216}, 1, "charter", "att"),
	us("Cincinnati", "OH", tzET, 39.1031, -84.5120, 45202, 45249, []int{513}, 1, "charter", "att"),
	us("Detroit", "MI", "America/Detroit", 42.3314, -83.0458, 48201, 48235, []int{313}, 1, "comcast", "att"),
	us("Ann Arbor", "MI", "America/Detroit", 42.2808, -83.7430, 48103, 48109, []int{734}, 1, "comcast", "att"),
	us("Indianapolis", "IN", "America/Indiana/Indianapolis", 39.7684, -86.1581, 46201, 46260, []int{317, 463}, 1, "comcast", "att"),
	// Suburbs known from laptop-farm cases; never an ordinary home here.
	us("Litchfield Park", "AZ", "America/Phoenix", 33.4934, -112.3582, 85340, 85340, []int{623}, 0, "cox"),
	us("Hillsboro", "OR", tzPT, 45.5229, -122.9898, 97123, 97124, []int{503, 971}, 0, "comcast", "centurylink"),
	us("Bowie", "MD", tzET, 38.9420, -76.7302, 20715, 20721, []int{301, 240}, 0, "verizon", "comcast"),
	us("Sugar Land", "TX", tzCT, 29.6197, -95.6349, 77478, 77498, []int{281, 832}, 0, "comcast", "att"),
	// Data-centre towns (hosting and proxy egress only).
	us("Ashburn", "VA", tzET, 39.0438, -77.4874, 20147, 20149, []int{703, 571}, 0),
	us("Secaucus", "NJ", tzET, 40.7895, -74.0565, 7094, 7094, []int{201, 551}, 0),
	us("Piscataway", "NJ", tzET, 40.5549, -74.4643, 8854, 8855, []int{732, 848}, 0),
	us("Santa Clara", "CA", tzPT, 37.3541, -121.9552, 95050, 95056, []int{408, 669}, 0),
}

// abroad builds a place outside the US.
func abroad(city, region, code, country, tz string, lat, lon float64, postal string, w int, isps, mobile []string) *Place {
	if code == "" {
		code = region
	}
	return &Place{City: city, Region: region, RegionCode: code, Country: country, TZ: tz, Lat: lat, Lon: lon,
		Postal: postal, Weight: w, ISPs: isps, Mobile: mobile}
}

// worldPlaces are cities outside the US: homes of staff resident abroad
// (Weight > 0), travel destinations, data centres and the real locations of
// operatives.
var worldPlaces = []*Place{
	abroad("Warsaw", "Mazovia", "", "PL", "Europe/Warsaw", 52.2297, 21.0122, "0#-###", 3, []string{"orange-pl", "upc-pl"}, []string{"orange-pl"}),
	abroad("Kraków", "Lesser Poland", "", "PL", "Europe/Warsaw", 50.0647, 19.9450, "3#-###", 2, []string{"orange-pl", "upc-pl"}, []string{"orange-pl"}),
	abroad("Wrocław", "Lower Silesia", "", "PL", "Europe/Warsaw", 51.1079, 17.0385, "5#-###", 1, []string{"orange-pl", "upc-pl"}, []string{"orange-pl"}),
	abroad("Lisbon", "Lisbon", "", "PT", "Europe/Lisbon", 38.7223, -9.1393, "1###-###", 2, []string{"meo", "nos"}, []string{"meo"}),
	abroad("Porto", "Porto", "", "PT", "Europe/Lisbon", 41.1579, -8.6291, "4###-###", 1, []string{"meo", "nos"}, []string{"meo"}),
	abroad("Bengaluru", "Karnataka", "", "IN", "Asia/Kolkata", 12.9716, 77.5946, "5600##", 3, []string{"airtel", "act", "jio"}, []string{"jio"}),
	abroad("Pune", "Maharashtra", "", "IN", "Asia/Kolkata", 18.5204, 73.8567, "4110##", 1, []string{"airtel", "jio"}, []string{"jio"}),
	abroad("Hyderabad", "Telangana", "", "IN", "Asia/Kolkata", 17.3850, 78.4867, "5000##", 1, []string{"airtel", "act", "jio"}, []string{"jio"}),
	abroad("São Paulo", "Sao Paulo", "SP", "BR", "America/Sao_Paulo", -23.5505, -46.6333, "0####-###", 2, []string{"vivo", "claro-br"}, []string{"vivo"}),
	abroad("Florianópolis", "Santa Catarina", "SC", "BR", "America/Sao_Paulo", -27.5954, -48.5480, "880##-###", 1, []string{"vivo", "claro-br"}, []string{"vivo"}),
	abroad("Toronto", "Ontario", "ON", "CA", "America/Toronto", 43.6532, -79.3832, "M#A #A#", 3, []string{"rogers", "bell"}, []string{"rogers"}),
	abroad("Vancouver", "British Columbia", "BC", "CA", "America/Vancouver", 49.2827, -123.1207, "V#A #A#", 2, []string{"telus", "shaw"}, []string{"rogers"}),
	abroad("Montreal", "Quebec", "QC", "CA", "America/Toronto", 45.5017, -73.5673, "H#A #A#", 1, []string{"videotron", "bell"}, []string{"rogers"}),
	abroad("London", "England", "", "GB", "Europe/London", 51.5074, -0.1278, "SE# #AA", 3, []string{"bt", "virgin", "sky"}, []string{"ee"}),
	abroad("Manchester", "England", "", "GB", "Europe/London", 53.4808, -2.2426, "M## #AA", 1, []string{"bt", "virgin", "sky"}, []string{"ee"}),
	abroad("Edinburgh", "Scotland", "", "GB", "Europe/London", 55.9533, -3.1883, "EH# #AA", 1, []string{"bt", "virgin"}, []string{"ee"}),
	abroad("Berlin", "Land Berlin", "Berlin", "DE", "Europe/Berlin", 52.5200, 13.4050, "10###", 2, []string{"telekom", "vodafone-de"}, []string{"telekom"}),
	abroad("Munich", "Bavaria", "Bayern", "DE", "Europe/Berlin", 48.1351, 11.5820, "80###", 1, []string{"telekom", "vodafone-de"}, []string{"telekom"}),
	abroad("Manila", "Metro Manila", "", "PH", "Asia/Manila", 14.5995, 120.9842, "1###", 1, []string{"pldt", "globe"}, []string{"globe"}),
	abroad("Cebu City", "Central Visayas", "Cebu", "PH", "Asia/Manila", 10.3157, 123.8854, "60##", 1, []string{"pldt", "globe"}, []string{"globe"}),
	abroad("Mexico City", "Mexico City", "CDMX", "MX", "America/Mexico_City", 19.4326, -99.1332, "06###", 2, []string{"telmex", "totalplay"}, []string{"telmex"}),
	abroad("Guadalajara", "Jalisco", "Jal.", "MX", "America/Mexico_City", 20.6597, -103.3496, "44###", 1, []string{"telmex", "totalplay"}, []string{"telmex"}),
	abroad("Madrid", "Madrid", "", "ES", "Europe/Madrid", 40.4168, -3.7038, "280##", 1, []string{"movistar"}, []string{"movistar"}),
	abroad("Barcelona", "Catalonia", "Barcelona", "ES", "Europe/Madrid", 41.3874, 2.1686, "080##", 1, []string{"movistar"}, []string{"movistar"}),
	// Travel destinations only.
	abroad("Amsterdam", "North Holland", "", "NL", "Europe/Amsterdam", 52.3676, 4.9041, "10## AA", 0, []string{"kpn", "ziggo"}, []string{"kpn"}),
	abroad("Paris", "Île-de-France", "", "FR", "Europe/Paris", 48.8566, 2.3522, "7501#", 0, []string{"orange-fr", "free"}, []string{"orange-fr"}),
	abroad("Tokyo", "Tokyo", "", "JP", "Asia/Tokyo", 35.6762, 139.6503, "1##-####", 0, []string{"ocn", "softbank"}, []string{"softbank"}),
	abroad("Singapore", "Singapore", "", "SG", "Asia/Singapore", 1.3521, 103.8198, "######", 0, []string{"singtel"}, []string{"singtel"}),
	abroad("Sydney", "New South Wales", "NSW", "AU", "Australia/Sydney", -33.8688, 151.2093, "20##", 0, []string{"telstra"}, []string{"telstra"}),
	abroad("Dubai", "Dubai", "", "AE", "Asia/Dubai", 25.2048, 55.2708, "", 0, []string{"etisalat"}, []string{"etisalat"}),
	// Where operatives really are.
	abroad("Shenyang", "Liaoning", "", "CN", "Asia/Shanghai", 41.8057, 123.4315, "1100##", 0, []string{"unicom-ln"}, nil),
	abroad("Dandong", "Liaoning", "", "CN", "Asia/Shanghai", 40.1245, 124.3943, "1180##", 0, []string{"unicom-ln"}, nil),
	abroad("Yanji", "Jilin", "", "CN", "Asia/Shanghai", 42.9048, 129.5139, "1330##", 0, []string{"unicom-jl"}, nil),
	abroad("Vladivostok", "Primorye", "", "RU", "Asia/Vladivostok", 43.1155, 131.8855, "6900##", 0, []string{"ttk"}, nil),
}

// placeByCity finds a place by city name (and country when ambiguous).
func placeByCity(city, country string) *Place {
	for _, ps := range [][]*Place{usPlaces, worldPlaces} {
		for _, p := range ps {
			if p.City == city && (country == "" || p.Country == country) {
				return p
			}
		}
	}
	return nil
}

// homePlaces returns the places with Weight > 0 and their weights.
func homePlaces(ps []*Place, country string) ([]*Place, []int) {
	var out []*Place
	var w []int
	for _, p := range ps {
		if p.Weight > 0 && (country == "" || p.Country == country) {
			out = append(out, p)
			w = append(w, p.Weight)
		}
	}
	return out, w
}

// distanceKm is the great-circle distance between two places.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const R = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * R * math.Asin(math.Min(1, math.Sqrt(a)))
}

// phoneNumber draws a phone number for a resident of p, formatted with
// spaces the way HR systems usually hold them ("+1 312 482 0142").
func phoneNumber(r *rand.Rand, p *Place) string {
	c := countries[p.Country]
	switch p.Country {
	case "US", "CA":
		area := p.AreaCodes
		if len(area) == 0 {
			area = canadianAreaCodes[p.City]
		}
		if len(area) == 0 {
			area = []int{416}
		}
		exch := between(r, 201, 989)
		for exch%100 == 11 || exch == 555 {
			exch = between(r, 201, 989)
		}
		return fmt.Sprintf("+1 %d %03d %04d", pick(r, area), exch, r.IntN(10000))
	case "GB":
		return fmt.Sprintf("+44 7%03d %06d", between(r, 400, 999), r.IntN(1000000))
	case "DE":
		return fmt.Sprintf("+49 1%d%d %07d", between(r, 5, 7), r.IntN(10), r.IntN(10000000))
	case "PL":
		return fmt.Sprintf("+48 %d%02d %03d %03d", pick(r, []int{5, 6, 7, 8}), r.IntN(100), r.IntN(1000), r.IntN(1000))
	case "PT":
		return fmt.Sprintf("+351 9%d%d %03d %03d", pick(r, []int{1, 2, 3, 6}), r.IntN(10), r.IntN(1000), r.IntN(1000))
	case "IN":
		return fmt.Sprintf("+91 %d%04d %05d", between(r, 7, 9), r.IntN(10000), r.IntN(100000))
	case "BR":
		ddd := map[string]int{"São Paulo": 11, "Florianópolis": 48}[p.City]
		if ddd == 0 {
			ddd = 11
		}
		return fmt.Sprintf("+55 %d 9%04d %04d", ddd, r.IntN(10000), r.IntN(10000))
	case "MX":
		area := map[string]int{"Mexico City": 55, "Guadalajara": 33}[p.City]
		if area == 0 {
			area = 55
		}
		return fmt.Sprintf("+52 %d %04d %04d", area, r.IntN(10000), r.IntN(10000))
	case "PH":
		return fmt.Sprintf("+63 9%02d %03d %04d", between(r, 5, 99), r.IntN(1000), r.IntN(10000))
	case "ES":
		return fmt.Sprintf("+34 6%02d %03d %03d", r.IntN(100), r.IntN(1000), r.IntN(1000))
	}
	return fmt.Sprintf("+%s %d", c.Dial, 100000000+r.IntN(900000000))
}

var canadianAreaCodes = map[string][]int{"Toronto": {416, 647, 437}, "Vancouver": {604, 778, 236}, "Montreal": {514, 438}}

// streetAddress draws a street line in the local style of p's country.
func streetAddress(r *rand.Rand, p *Place) string {
	n := between(r, 1, 180)
	switch p.Country {
	case "US":
		s := fmt.Sprintf("%d %s %s", between(r, 100, 9899), pick(r, usStreets), pick(r, usSuffixes))
		if chance(r, 0.3) {
			s += fmt.Sprintf(" Apt %d%s", between(r, 1, 24), pick(r, []string{"", "A", "B", "C", "D"}))
		}
		return s
	case "CA":
		s := fmt.Sprintf("%d %s %s", between(r, 10, 2999), pick(r, caStreets), pick(r, []string{"St", "Ave", "Rd", "Blvd"}))
		if chance(r, 0.4) {
			s = fmt.Sprintf("%d-%s", between(r, 101, 2408), s)
		}
		return s
	case "GB":
		return fmt.Sprintf("%d %s %s", n, pick(r, gbStreets), pick(r, []string{"Road", "Street", "Lane", "Gardens", "Avenue"}))
	case "DE":
		return fmt.Sprintf("%sstraße %d", pick(r, deStreets), n)
	case "PL":
		return fmt.Sprintf("ul. %s %d/%d", pick(r, plStreets), n, between(r, 1, 60))
	case "PT":
		return fmt.Sprintf("Rua %s %d, %dº %s", pick(r, ptStreets), n, between(r, 1, 8), pick(r, []string{"Esq", "Dto", "A", "B"}))
	case "BR":
		return fmt.Sprintf("Rua %s, %d, Apto %d", pick(r, brStreets), between(r, 10, 3000), between(r, 11, 204))
	case "MX":
		return fmt.Sprintf("Calle %s %d, Int. %d", pick(r, mxStreets), n, between(r, 1, 40))
	case "ES":
		return fmt.Sprintf("Calle de %s, %d, %dº", pick(r, esStreets), n, between(r, 1, 8))
	case "IN":
		return fmt.Sprintf("%d, %d%s Cross, %s", between(r, 1, 999), between(r, 1, 14), ordinalSuffix(between(r, 1, 14)), pick(r, inAreas[p.City]))
	case "PH":
		return fmt.Sprintf("%d %s St., %s", between(r, 1, 999), pick(r, phStreets), pick(r, []string{"Barangay San Antonio", "Barangay Poblacion", "Barangay Lahug", "Barangay Bel-Air"}))
	}
	return fmt.Sprintf("%d %s", n, pick(r, usStreets))
}

func ordinalSuffix(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return "th"
	case n%10 == 1:
		return "st"
	case n%10 == 2:
		return "nd"
	case n%10 == 3:
		return "rd"
	}
	return "th"
}

// formatAddress renders a postal address on lines, in the local order.
func formatAddress(street, city, region, postal, country string) string {
	switch country {
	case "US", "CA", "AU":
		return fmt.Sprintf("%s\n%s, %s %s\n%s", street, city, region, postal, country)
	case "GB":
		return fmt.Sprintf("%s\n%s\n%s\n%s", street, city, postal, country)
	case "BR", "MX", "IN", "PH":
		return fmt.Sprintf("%s\n%s, %s %s\n%s", street, city, region, postal, country)
	}
	return fmt.Sprintf("%s\n%s %s\n%s", street, postal, city, country)
}

// oneLine joins a multi-line address with ", ".
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", ", ") }
