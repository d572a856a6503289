package sigma

import (
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// Logsource is a Sigma logsource rollcall reads, and the field mapping of
// the adapter behind it.
type Logsource struct {
	Product  string
	Products []string // other product names rules use for it
	Services []string // accepted service names; the first is the canonical one
	Source   string   // rollcall's format id whose events the rules see
	Fields   []*Field
}

// Field maps one Sigma (vendor) field name to the normalized field that
// holds its value.
type Field struct {
	Name    string   // the vendor's field name as Sigma rules write it
	Aliases []string // other spellings found in public rules
	Reads   string   // the normalized field, for the documentation
	// values, when set, are the only values rollcall keeps of a field
	// (the adapter keeps one fact of a richer vendor field): a rule
	// comparing with another value is refused.
	values []string
	get    func(*event.Event) []string
}

func (ls *Logsource) field(name string) *Field {
	for _, f := range ls.Fields {
		if strings.EqualFold(f.Name, name) || slices.ContainsFunc(f.Aliases, func(a string) bool { return strings.EqualFold(a, name) }) {
			return f
		}
	}
	return nil
}

func (ls *Logsource) names() []string {
	var out []string
	for _, f := range ls.Fields {
		out = append(out, f.Name)
	}
	return out
}

// Logsources lists the logsources rules may name.
func Logsources() []*Logsource { return logsources }

func findLogsource(product, service string) *Logsource {
	for _, ls := range logsources {
		if (strings.EqualFold(ls.Product, product) || slices.ContainsFunc(ls.Products, func(p string) bool { return strings.EqualFold(p, product) })) && slices.ContainsFunc(ls.Services, func(s string) bool { return strings.EqualFold(s, service) }) {
			return ls
		}
	}
	return nil
}

func supported() string {
	var out []string
	for _, ls := range logsources {
		out = append(out, "product "+strings.Join(append([]string{ls.Product}, ls.Products...), "|")+" service "+strings.Join(ls.Services, "|"))
	}
	return "supported: " + strings.Join(out, "; ")
}

// Accessors over the normalized event. Each returns nil when the event
// does not carry the field.

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func signIn(f func(*event.SignIn) string) func(*event.Event) []string {
	return func(e *event.Event) []string {
		if e.SignIn == nil {
			return nil
		}
		return one(f(e.SignIn))
	}
}

func audit(f func(*event.Audit) string) func(*event.Event) []string {
	return func(e *event.Event) []string {
		if e.Audit == nil {
			return nil
		}
		return one(f(e.Audit))
	}
}

func network(f func(*event.Network) string) func(*event.Event) []string {
	return func(e *event.Event) []string {
		n := e.Net()
		if n == nil {
			return nil
		}
		return one(f(n))
	}
}

func userAgent(e *event.Event) []string {
	switch {
	case e.SignIn != nil:
		return one(e.SignIn.UserAgent)
	case e.Audit != nil:
		return one(e.Audit.UserAgent)
	}
	return nil
}

func ip(n *event.Network) string {
	if !n.IP.IsValid() {
		return ""
	}
	return n.IP.String()
}

func asn(n *event.Network) string {
	if n.ASN == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(n.ASN), 10)
}

func flag(b bool) string { return strconv.FormatBool(b) }

func actorID(e *event.Event) []string      { return one(e.Actor().ID) }
func actorLogin(e *event.Event) []string   { return one(e.Actor().Login) }
func actorEmail(e *event.Event) []string   { return one(e.Actor().Email) }
func actorDisplay(e *event.Event) []string { return one(e.Actor().DisplayName) }
func recordID(e *event.Event) []string     { return one(e.Prov.ID) }
func actionOf(e *event.Event) []string     { return one(e.Action()) }

// oktaResult gives outcome.result in Okta's words; the adapter keeps
// success (SUCCESS, ALLOW) and failure (FAILURE, DENY) of sign-ins.
func oktaResult(s *event.SignIn) string {
	switch s.Outcome {
	case event.OutcomeSuccess:
		return "SUCCESS"
	case event.OutcomeFailure:
		return "FAILURE"
	}
	return ""
}

// entraCode splits the adapter's failure reason ("50126: Invalid
// username or password") into the error code (ResultType, "0" for a
// success) and the description.
func entraCode(s *event.SignIn) (code, desc string) {
	switch s.Outcome {
	case event.OutcomeSuccess:
		return "0", ""
	case event.OutcomeFailure:
		code, desc, _ = strings.Cut(s.Reason, ": ")
		return code, desc
	}
	return "", ""
}

// gwApp is the Reports API application of a Workspace event: sign-ins
// are the login application's; other activities keep it as the prefix of
// their action ("admin.CHANGE_PASSWORD").
func gwApp(e *event.Event) string {
	if e.SignIn != nil {
		return "login"
	}
	if e.Audit != nil {
		app, _, _ := strings.Cut(e.Audit.Action, ".")
		return app
	}
	return ""
}

func gwEventName(e *event.Event) string {
	if e.SignIn != nil {
		return e.SignIn.Action
	}
	if e.Audit != nil {
		if _, name, ok := strings.Cut(e.Audit.Action, "."); ok {
			return name
		}
	}
	return ""
}

var logsources = []*Logsource{
	{
		Product: "okta", Services: []string{"okta"}, Source: "okta",
		Fields: []*Field{
			{Name: "eventType", Reads: "signin.action / audit.action", get: actionOf},
			{Name: "outcome.result", Reads: "signin.outcome (SUCCESS or FAILURE; ALLOW and DENY read as SUCCESS and FAILURE); absent on admin events", values: []string{"SUCCESS", "FAILURE"}, get: signIn(oktaResult)},
			{Name: "outcome.reason", Reads: "signin.reason", get: signIn(func(s *event.SignIn) string { return s.Reason })},
			{Name: "actor.id", Reads: "actor.id", get: actorID},
			{Name: "actor.alternateId", Reads: "actor.login", get: actorLogin},
			{Name: "actor.displayName", Reads: "actor.display_name", get: actorDisplay},
			{Name: "client.ipAddress", Reads: "net.ip", get: network(ip)},
			{Name: "client.userAgent.rawUserAgent", Reads: "user_agent", get: userAgent},
			{Name: "client.userAgent.os", Reads: "signin.os", get: signIn(func(s *event.SignIn) string { return s.OS })},
			{Name: "client.userAgent.browser", Reads: "signin.browser", get: signIn(func(s *event.SignIn) string { return s.Browser })},
			{Name: "client.geographicalContext.country", Reads: "net.country_name", get: network(func(n *event.Network) string { return n.CountryName })},
			{Name: "client.geographicalContext.state", Reads: "net.region", get: network(func(n *event.Network) string { return n.Region })},
			{Name: "client.geographicalContext.city", Reads: "net.city", get: network(func(n *event.Network) string { return n.City })},
			{Name: "securityContext.asNumber", Reads: "net.asn", get: network(asn)},
			{Name: "securityContext.asOrg", Reads: "net.as_org", get: network(func(n *event.Network) string { return n.ASOrg })},
			{Name: "securityContext.isp", Reads: "net.isp", get: network(func(n *event.Network) string { return n.ISP })},
			{Name: "securityContext.domain", Reads: "net.domain", get: network(func(n *event.Network) string { return n.Domain })},
			{Name: "securityContext.isProxy", Reads: "net.is_proxy", values: []string{"true", "false"}, get: network(func(n *event.Network) string { return flag(n.IsProxy) })},
			{Name: "authenticationContext.externalSessionId", Reads: "signin.session_id", get: signIn(func(s *event.SignIn) string { return s.SessionID })},
			{Name: "device.name", Reads: "signin.device_name", get: signIn(func(s *event.SignIn) string { return s.DeviceName })},
			{Name: "uuid", Reads: "prov.id", get: recordID},
		},
	},
	{
		Product: "azure", Services: []string{"signinlogs"}, Source: "entra",
		Fields: []*Field{
			{Name: "ResultType", Aliases: []string{"status.errorCode"}, Reads: "signin.outcome and the error code of signin.reason (0 for a success)",
				get: signIn(func(s *event.SignIn) string { c, _ := entraCode(s); return c })},
			{Name: "ResultDescription", Aliases: []string{"status.failureReason"}, Reads: "the failure reason of signin.reason",
				get: signIn(func(s *event.SignIn) string { _, d := entraCode(s); return d })},
			{Name: "Status", Reads: "signin.outcome (Success or Failure)", values: []string{"Success", "Failure"},
				get: signIn(func(s *event.SignIn) string {
					return map[string]string{event.OutcomeSuccess: "Success", event.OutcomeFailure: "Failure"}[s.Outcome]
				})},
			{Name: "UserPrincipalName", Reads: "actor.login", get: actorLogin},
			{Name: "UserId", Reads: "actor.id", get: actorID},
			{Name: "UserDisplayName", Reads: "actor.display_name", get: actorDisplay},
			{Name: "IPAddress", Reads: "net.ip", get: network(ip)},
			{Name: "Location", Aliases: []string{"LocationDetails.countryOrRegion"}, Reads: "net.country (ISO 3166-1 alpha-2)", get: network(func(n *event.Network) string { return n.Country })},
			{Name: "LocationDetails.state", Reads: "net.region", get: network(func(n *event.Network) string { return n.Region })},
			{Name: "LocationDetails.city", Reads: "net.city", get: network(func(n *event.Network) string { return n.City })},
			{Name: "AutonomousSystemNumber", Reads: "net.asn", get: network(asn)},
			{Name: "UserAgent", Reads: "user_agent", get: userAgent},
			{Name: "DeviceDetail.operatingSystem", Reads: "signin.os", get: signIn(func(s *event.SignIn) string { return s.OS })},
			{Name: "DeviceDetail.browser", Reads: "signin.browser", get: signIn(func(s *event.SignIn) string { return s.Browser })},
			{Name: "DeviceDetail.deviceId", Reads: "signin.device_id", get: signIn(func(s *event.SignIn) string { return s.DeviceID })},
			{Name: "DeviceDetail.displayName", Reads: "signin.device_name", get: signIn(func(s *event.SignIn) string { return s.DeviceName })},
			{Name: "RiskLevelDuringSignIn", Reads: "signin.risk_level", get: signIn(func(s *event.SignIn) string { return s.RiskLevel })},
			{Name: "IsInteractive", Reads: "signin.interactive", values: []string{"true", "false"}, get: signIn(func(s *event.SignIn) string { return flag(s.Interactive) })},
			{Name: "RiskEventTypes_V2", Aliases: []string{"RiskEventTypes"}, Reads: "net.is_proxy: the adapter keeps only whether anonymizedIPAddress is listed", values: []string{"anonymizedIPAddress"},
				get: network(func(n *event.Network) string {
					if n.IsProxy {
						return "anonymizedIPAddress"
					}
					return ""
				})},
			{Name: "Id", Reads: "prov.id", get: recordID},
		},
	},
	{
		Product: "google_workspace", Products: []string{"gcp"}, Services: []string{"google_workspace.login", "google_workspace.admin", "google_workspace"}, Source: "gworkspace",
		Fields: []*Field{
			{Name: "eventName", Aliases: []string{"events.name"}, Reads: "signin.action, or audit.action after the application", get: func(e *event.Event) []string { return one(gwEventName(e)) }},
			{Name: "eventService", Reads: "the application as its API service: login.googleapis.com, admin.googleapis.com…", get: func(e *event.Event) []string {
				if a := gwApp(e); a != "" {
					return []string{a + ".googleapis.com"}
				}
				return nil
			}},
			{Name: "id.applicationName", Reads: "the application: login, or the prefix of audit.action", get: func(e *event.Event) []string { return one(gwApp(e)) }},
			{Name: "actor.email", Aliases: []string{"principalEmail"}, Reads: "actor.email", get: actorEmail},
			{Name: "actor.profileId", Reads: "actor.id", get: actorID},
			{Name: "ipAddress", Aliases: []string{"callerIp"}, Reads: "net.ip", get: network(ip)},
			{Name: "networkInfo.regionCode", Reads: "net.country", get: network(func(n *event.Network) string { return n.Country })},
			{Name: "networkInfo.subdivisionCode", Reads: "net.region", get: network(func(n *event.Network) string { return n.Region })},
			{Name: "networkInfo.ipAsn", Reads: "net.asn", get: network(asn)},
			{Name: "is_suspicious", Reads: "signin.risk_level high (login_* events' is_suspicious parameter)", values: []string{"true", "false"},
				get: signIn(func(s *event.SignIn) string { return flag(s.RiskLevel == "high") })},
			{Name: "id.uniqueQualifier", Reads: "prov.id", get: recordID},
		},
	},
	{
		Product: "github", Services: []string{"audit"}, Source: "github",
		Fields: []*Field{
			{Name: "action", Reads: "audit.action", get: actionOf},
			{Name: "actor", Reads: "actor.login", get: actorLogin},
			{Name: "actor_id", Reads: "actor.id", get: actorID},
			{Name: "external_identity_nameid", Reads: "actor.email (a SAML / EMU identity with an @)", get: actorEmail},
			{Name: "org", Reads: "audit.org", get: audit(func(a *event.Audit) string { return a.Org })},
			{Name: "repo", Aliases: []string{"repository"}, Reads: "audit.repo", get: audit(func(a *event.Audit) string { return a.Repo })},
			{Name: "permission", Reads: "audit.permission", get: audit(func(a *event.Audit) string { return a.Permission })},
			{Name: "actor_ip", Aliases: []string{"actor_location.ip"}, Reads: "net.ip", get: network(ip)},
			{Name: "actor_location.country_code", Reads: "net.country", get: network(func(n *event.Network) string { return n.Country })},
			{Name: "user_agent", Reads: "user_agent", get: userAgent},
			{Name: "_document_id", Reads: "prov.id", get: recordID},
		},
	},
}
