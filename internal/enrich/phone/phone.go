// Package phone puts phone numbers in canonical form: E.164 and the line
// type (mobile, fixed line, VoIP…) from libphonenumber's metadata
// (github.com/nyaruka/phonenumbers), and the comparison key that identity
// resolution, the identity graph and the hiring indicators share.
package phone

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/rollcall/rollcall/internal/event"
)

// Placeholder reports whether a phone key is one digit repeated
// ("0000000000" and the like): what forms hold when someone had to type
// something, never a number that links people.
func Placeholder(key string) bool {
	return key == "" || strings.Count(key, key[:1]) == len(key)
}

// Key reduces a phone number to its last ten digits: enough to tell
// numbers apart, and the same whether or not the writer put the country
// code in. It returns "" for fewer than seven digits (an extension, a
// typo). It is the one comparison key for phone numbers in rollcall.
func Key(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) < 7 {
		return ""
	}
	if len(d) > 10 {
		d = d[len(d)-10:]
	}
	return string(d)
}

// lineTypes names libphonenumber's number types for reports.
var lineTypes = map[phonenumbers.PhoneNumberType]string{
	phonenumbers.FIXED_LINE:           "fixed_line",
	phonenumbers.MOBILE:               "mobile",
	phonenumbers.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
	phonenumbers.TOLL_FREE:            "toll_free",
	phonenumbers.PREMIUM_RATE:         "premium_rate",
	phonenumbers.SHARED_COST:          "shared_cost",
	phonenumbers.VOIP:                 "voip",
	phonenumbers.PERSONAL_NUMBER:      "personal_number",
	phonenumbers.PAGER:                "pager",
	phonenumbers.UAN:                  "uan",
	phonenumbers.VOICEMAIL:            "voicemail",
}

// Parse canonicalises s. region (ISO alpha-2, any case) is where a number
// written without a country code is read as dialled from; "" reads only
// numbers written with one ("+44 20 7946 0958"). E164 and Line are empty
// when libphonenumber cannot parse s or finds it invalid; Key is set
// whenever s has enough digits.
func Parse(s, region string) event.Phone {
	p := event.Phone{Raw: s, Key: Key(s)}
	if p.Key == "" {
		return p
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region == "" {
		region = phonenumbers.UNKNOWN_REGION
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return p
	}
	p.E164 = phonenumbers.Format(num, phonenumbers.E164)
	p.Line = lineTypes[phonenumbers.GetNumberType(num)]
	return p
}
