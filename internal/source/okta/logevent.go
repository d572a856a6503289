package okta

import (
	"bytes"
	"strconv"

	"github.com/rollcall/rollcall/internal/source"
)

// logEvent is the part of Okta's LogEvent object (System Log API,
// GET /api/v1/logs) that rollcall reads. Field names are matched
// case-insensitively, which also covers exports that lower-case the keys
// (Panther's "eventtype", "securitycontext").
type logEvent struct {
	UUID                  string                 `json:"uuid"`
	Published             string                 `json:"published"`
	EventType             string                 `json:"eventType"`
	Actor                 *actor                 `json:"actor"`
	Client                *client                `json:"client"`
	Device                *device                `json:"device"`
	Outcome               *outcome               `json:"outcome"`
	Target                []actor                `json:"target"`
	DebugContext          *debugContext          `json:"debugContext"`
	AuthenticationContext *authenticationContext `json:"authenticationContext"`
	SecurityContext       *securityContext       `json:"securityContext"`
	Request               *request               `json:"request"`
}

// request is the Request object; ipChain starts with the client address.
type request struct {
	IPChain []struct {
		IP string `json:"ip"`
	} `json:"ipChain"`
}

// actor is the Actor object; targets share its shape.
type actor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId"`
	DisplayName string `json:"displayName"`
}

type client struct {
	IPAddress           string               `json:"ipAddress"`
	Device              string               `json:"device"` // device type: "Computer", "Mobile"…
	Zone                string               `json:"zone"`
	UserAgent           *userAgent           `json:"userAgent"`
	GeographicalContext *geographicalContext `json:"geographicalContext"`
}

type userAgent struct {
	RawUserAgent string `json:"rawUserAgent"`
	OS           string `json:"os"`
	Browser      string `json:"browser"`
}

type geographicalContext struct {
	City        string       `json:"city"`
	State       string       `json:"state"`
	Country     string       `json:"country"` // full English name, e.g. "United States"
	PostalCode  string       `json:"postalCode"`
	Geolocation *geolocation `json:"geolocation"`
}

type geolocation struct {
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
}

// device is the Okta Identity Engine device object (Okta Verify / FastPass).
type device struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	OSPlatform string `json:"os_platform"`
	OSVersion  string `json:"os_version"`
	Managed    *bool  `json:"managed"`
	Registered *bool  `json:"registered"`
}

type outcome struct {
	Result string `json:"result"`
	Reason string `json:"reason"`
}

type debugContext struct {
	DebugData *debugData `json:"debugData"`
}

// debugData holds the few debugContext.debugData keys rollcall reads. Okta
// says these keys are a debugging aid, not a data contract, so every one
// is read loosely.
type debugData struct {
	Factor              source.LooseString `json:"factor"`
	FactorID            source.LooseString `json:"factorId"`
	RequestURI          source.LooseString `json:"requestUri"`
	Risk                source.LooseString `json:"risk"`
	LogOnlySecurityData source.LooseString `json:"logOnlySecurityData"`
}

type authenticationContext struct {
	ExternalSessionID string `json:"externalSessionId"`
}

type securityContext struct {
	ASNumber asNumber `json:"asNumber"`
	ASOrg    string   `json:"asOrg"`
	ISP      string   `json:"isp"`
	Domain   string   `json:"domain"`
	IsProxy  *bool    `json:"isProxy"`
}

// asNumber is an autonomous system number. Okta writes an integer or null;
// some exports quote it. 0 means unknown.
type asNumber uint32

// UnmarshalJSON implements json.Unmarshaler.
func (a *asNumber) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(bytes.TrimSpace(b), `"`)
	if len(b) == 0 || string(b) == "null" {
		*a = 0
		return nil
	}
	n, err := strconv.ParseUint(string(b), 10, 32)
	if err != nil {
		return source.Fieldf("securityContext.asNumber", "expected an AS number (integer below 2^32)")
	}
	*a = asNumber(n)
	return nil
}
