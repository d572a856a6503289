// Package sim generates a synthetic remote-first organisation with hidden
// covert remote IT workers ("operatives") and writes it in the vendors' real
// export formats, together with the ground truth.
//
// Generation is pure and deterministic for a seed: the same Config gives
// byte-identical files. Randomness comes from math/rand/v2 PCG sources
// derived from Config.Seed (never the global source, never the wall clock).
//
// The model has three layers:
//
//   - people and applicants (org.go, people.go, candidates.go, on the
//     geography and networks of geo.go and isp.go), with the
//     hard-negative behaviours of legitimate staff (legit.go) and the cells of
//     covert operatives with their shared infrastructure (operatives.go);
//   - a per-person activity model (activity.go): for every simulated day, the
//     work sessions of each person with time, egress network, location and
//     device. Writers for sign-in or audit formats read only this model, so a
//     new format (Entra, Workspace, GitHub audit…) is one new writer file;
//   - writers for each file (okta.go with oktaevent.go, scim.go,
//     greenhouse.go, csvfiles.go for payroll and shipments, truth.go),
//     called by Org.WriteDir. The payroll and shipment records themselves
//     are built in records.go.
//
// An organisation signs in through one identity provider (Config.IdP):
// Okta (okta.ndjson, the default) or Entra ID (entra.go: entra.json, Graph
// signIn resources). Every organisation also has the sources of
// sources.go, planned per person from random streams of their own: Google
// Workspace login activity (workspace.go), the GitHub organisation's audit
// log (github.go) and git history (gitlog.go) for engineers, and the
// osquery results of every company laptop (osquery.go, with what is
// installed and plugged in from endpoint_tells.go). Event-level writers
// share the day-by-day ordering of timeline.go.
//
// WriteOktaNDJSON (bench.go) streams any number of Okta events for scan
// benchmarks.
//
// The ground truth (truth.go) lists every operative with the indicator IDs
// of INDICATORS.md that its data really exhibits (derived from the generated
// records, not from intent, in tells.go and tells_sources.go), the cells,
// and every legitimate person whose data carries a hard-negative behaviour.
package sim
