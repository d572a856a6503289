// Package signin holds the identity-and-access indicators read from
// identity-provider sign-in logs (catalogue section "Identity & access"):
// Okta System Log, Entra sign-ins and Google Workspace login activity, as
// normalized sign-in events. One file per indicator; this file holds what
// they share. What a sign-in's network is (VPN, hosting, gateway, mobile,
// allow-listed), its device class and the person's zones, places and
// device states come from the stamped facts (enrich.Stamp) and the person
// model (profile.Build), computed once before any indicator runs.
package signin
