// Package signin holds the identity-and-access indicators read from
// identity-provider sign-in logs (catalogue section "Identity & access"):
// Okta System Log, Entra sign-ins and Google Workspace login activity, as
// normalized sign-in events. One file per indicator; this file holds what
// they share. What a sign-in's network is (VPN, hosting, gateway, mobile,
// allow-listed) comes from ipintel.Classify, so enriched and raw events are
// read alike.
package signin

import ()
