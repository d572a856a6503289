// Package network holds the network indicators (catalogue section
// "Network"): where a person's connections come from compared with where
// the person claims to live. One file per indicator; this file holds what
// they share. What a sign-in's network is (VPN, hosting, gateway, mobile,
// allow-listed) and whether its address locates a person come from the
// stamped facts (enrich.Stamp), computed once before any indicator runs.
package network

import "time"

// week is an ISO 8601 week, for counting distinct weeks.
type week struct{ year, week int }

func weekOf(t time.Time) week {
	y, w := t.UTC().ISOWeek()
	return week{y, w}
}
