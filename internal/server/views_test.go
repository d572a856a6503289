package server

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
)

var day0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func signIn(at time.Time, ip, country string, lat, lon float64, proxy bool, outcome string) *event.Event {
	return &event.Event{Kind: event.KindSignIn, Time: at, SignIn: &event.SignIn{Outcome: outcome,
		Net: &event.Network{IP: netip.MustParseAddr(ip), Country: country, City: "X", Lat: lat, Lon: lon, HasGeo: lat != 0 || lon != 0, IsProxy: proxy}}}
}

func roster(created time.Time, name, country string) *event.Event {
	return &event.Event{Kind: event.KindPerson, Time: created, Person: &event.Person{Name: name, Created: created,
		Addresses: []event.Address{{Type: "home", Street: "9287 Woodland Blvd", Locality: "Bowie", PostalCode: "20715", Country: country}}}}
}

func TestScoreWaterfall(t *testing.T) {
	// Two network findings (35 + 30) and a payroll one (40): the network
	// stage sums to 65, combined with payroll as 100·(1−0.35·0.6) = 79;
	// the cell adds 6; the score is 85.
	p := &report.Person{Score: 85, Level: "critical", Cluster: "C1", ClusterBonus: 6, Indicators: []report.Indicator{
		{ID: "NET-01", Name: "Shared egress", Stage: "network", Points: 35},
		{ID: "NET-02", Name: "VPN", Stage: "network", Points: 30},
		{ID: "PAY-01", Name: "Shared payout account", Stage: "payroll", Points: 40},
		{ID: "IAM-01", Name: "Suppressed one", Stage: "identity", Points: 0, Suppressed: "allow-listed"},
	}}
	w := scoreWaterfall(p)
	var got []string
	for _, r := range w.Rows {
		got = append(got, r.Label+" "+r.Value+" "+r.Class)
	}
	want := []string{
		"NET-01 Shared egress +35.0 add stage-network",
		"NET-02 VPN +30.0 add stage-network",
		"PAY-01 Shared payout account +40.0 add stage-payroll",
		"stages combined, not added −26.0 drop",
		"cell C1 bonus +6.0 bonus",
		"score 85 total",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The bonus starts where the combined stages end (79 of 105 on the
	// 640-unit axis).
	if x := w.Rows[4].X; x != coord(wfLabelW+79*wfBarW/105) {
		t.Errorf("bonus bar starts at %s, want at 79 points", x)
	}
	if scoreWaterfall(&report.Person{Score: 0}) != nil {
		t.Error("a person without points got a waterfall")
	}
}

func TestScoreWaterfall_corroboration_rule(t *testing.T) {
	p := &report.Person{Score: 39, Level: "low", Capped: "every finding is weak: held at 39", Indicators: []report.Indicator{
		{ID: "TZ-01", Stage: "identity", Points: 30}, {ID: "LANG-01", Stage: "hiring", Points: 30},
	}}
	w := scoreWaterfall(p)
	var labels []string
	for _, r := range w.Rows {
		labels = append(labels, r.Label+" "+r.Value)
	}
	want := []string{"TZ-01 +30.0", "LANG-01 +30.0", "stages combined, not added −9.0", "held by the corroboration rule −12.0", "score 39"}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestWorldOutline(t *testing.T) {
	cs, err := worldCountries()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 170 {
		t.Fatalf("%d countries, want the 177 of Natural Earth 1:110m", len(cs))
	}
	size := 0
	for _, c := range cs {
		size += len(c.Path)
	}
	// Every person page carries the outline: keep it small.
	if size > 60_000 {
		t.Errorf("the world outline is %d bytes of SVG paths, want at most 60 kB", size)
	}
	for _, tc := range []struct {
		n    int
		want string
	}{{12, "1.2"}, {-3, "-.3"}, {40, "4"}, {-125, "-12.5"}, {0, "0"}, {7, ".7"}} {
		if got := tenths(tc.n); got != tc.want {
			t.Errorf("tenths(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	t.Logf("world outline: %d countries, %d bytes of SVG paths", len(cs), size)
	for _, code := range []string{"US", "USA", "KP", "CN", "RU", "FJ"} {
		if countryIndex(code) < 0 {
			t.Errorf("country %s not found", code)
		}
	}
	us := cs[countryIndex("US")]
	// The centre of the contiguous United States is near 98°W, 38°N.
	if x, y := project(-98, 38); math.Abs(us.Centre[0]-x) > 12 || math.Abs(us.Centre[1]-y) > 8 {
		t.Errorf("US centre at %v, want near (%g, %g)", us.Centre, x, y)
	}
	if countryIndex("ZZ") >= 0 || countryIndex("") >= 0 {
		t.Error("an unknown code found a country")
	}
}

func TestSignInMap(t *testing.T) {
	events := []*event.Event{
		roster(day0, "Jane", "US"),
		signIn(day0, "203.0.113.1", "US", 38.9, -76.9, false, event.OutcomeSuccess),
		signIn(day0.Add(time.Hour), "203.0.113.1", "US", 38.9, -76.9, false, event.OutcomeSuccess),
		signIn(day0.Add(2*time.Hour), "198.51.100.7", "CN", 41.8, 123.4, true, event.OutcomeSuccess),
		signIn(day0.Add(3*time.Hour), "198.51.100.8", "", 0, 0, false, event.OutcomeSuccess),
	}
	m := buildSignInMap(events)
	if m == nil {
		t.Fatal("no map")
	}
	if m.HomeName != "United States of America" || m.Home == nil {
		t.Errorf("home %q, want the United States", m.HomeName)
	}
	if m.Away != 1 || m.Unplaced != 1 {
		t.Errorf("away %d, unplaced %d; want 1 and 1", m.Away, m.Unplaced)
	}
	classes := map[string]string{}
	for i, c := range m.Countries {
		if c.Class != "" {
			classes[world.countries[i].Name] = c.Class
		}
	}
	if diff := cmp.Diff(map[string]string{"United States of America": "seen home", "China": "seen anon"}, classes); diff != "" {
		t.Errorf("shaded countries (-want +got):\n%s", diff)
	}
	if len(m.Places) != 2 {
		t.Fatalf("places %+v, want the US and the Chinese one", m.Places)
	}
	last := m.Places[len(m.Places)-1] // the busiest, drawn on top
	if last.SignIns != 2 || last.Away || last.Class != "signin" {
		t.Errorf("busiest place %+v, want the 2 sign-ins at home", last)
	}
	if first := m.Places[0]; !first.Away || first.Class != "proxy" {
		t.Errorf("place %+v, want the proxy sign-in away from home", first)
	}
	if buildSignInMap([]*event.Event{{Kind: event.KindCommit, Time: day0, Commit: &event.Commit{}}}) != nil {
		t.Error("a map drawn for someone with no sign-in and no home")
	}
}

func TestEventTimeline(t *testing.T) {
	events := []*event.Event{
		signIn(day0, "203.0.113.1", "US", 0, 0, false, event.OutcomeSuccess),
		signIn(day0.Add(time.Hour), "203.0.113.1", "US", 0, 0, true, event.OutcomeSuccess),
		signIn(day0.AddDate(0, 0, 2), "203.0.113.1", "US", 0, 0, false, event.OutcomeFailure),
		{Kind: event.KindCommit, Time: day0.AddDate(0, 0, 2), Commit: &event.Commit{}},
		roster(day0.AddDate(-1, 0, 0), "Jane", "US"), // not activity: does not stretch the axis
	}
	tl := timeline(events)
	got := map[string][]int{"ordinary": tl.Ordinary, "anon": tl.Anon, "failed": tl.Failed, "other": tl.Other}
	want := map[string][]int{"ordinary": {1, 0, 0}, "anon": {1, 0, 0}, "failed": {0, 0, 1}, "other": {0, 0, 1}}
	if diff := cmp.Diff(want, got); diff != "" || tl.Total != 4 || tl.Bucket != "day" {
		t.Errorf("timeline (-want +got):\n%s total %d bucket %s", diff, tl.Total, tl.Bucket)
	}
	if tl.Days[0] != day0.Truncate(24*time.Hour).Unix() {
		t.Errorf("first day %d, want %d", tl.Days[0], day0.Truncate(24*time.Hour).Unix())
	}
	long := timeline([]*event.Event{signIn(day0, "203.0.113.1", "US", 0, 0, false, ""), signIn(day0.AddDate(2, 0, 0), "203.0.113.1", "US", 0, 0, false, "")})
	if long.Bucket != "week" || len(long.Days) > maxTimelineDays {
		t.Errorf("two years drawn per %s in %d bars, want weeks", long.Bucket, len(long.Days))
	}
}

func TestCellTimeline(t *testing.T) {
	hireA, hireB := day0, day0.AddDate(0, 1, 0)
	pay := func(at time.Time, fp string) *event.Event {
		return &event.Event{Kind: event.KindPayout, Time: at, Payout: &event.Payout{AccountFingerprint: fp, EffectiveDate: at}}
	}
	events := map[string][]*event.Event{
		"E1": {roster(hireA, "Ann", "US"), pay(hireA.AddDate(0, 0, 20), "1a2b3c4d5e6f7a8b"), signIn(hireA.AddDate(0, 0, 3), "198.51.100.9", "US", 0, 0, false, "")},
		"E2": {roster(hireB, "Bob", "US"), pay(hireB.AddDate(0, 0, 2), "1a2b3c4d5e6f7a8b"), signIn(hireB.AddDate(0, 0, 1), "198.51.100.9", "US", 0, 0, false, "")},
	}
	members := []linkedPerson{{ID: "E1", Name: "Ann"}, {ID: "E2", Name: "Bob"}}
	links := []report.Link{
		{Kind: "bank_account", Value: "payout account 1a2b3c4d…", Members: []string{"E1", "E2"}},
		{Kind: "ip", Value: "198.51.100.9", Members: []string{"E1", "E2"}},
		{Kind: "address", Value: "9287 woodland blvd, 20715, bowie, US", Members: []string{"E1", "E2"}},
		{Kind: "phone", Value: "5550001111", Members: []string{"E1", "E2"}}, // in no record
	}
	ct := buildCellTimeline(members, links, events)
	var got []string
	for _, r := range ct.Rows {
		got = append(got, day(r.When)+" "+r.Label)
	}
	want := []string{
		"2026-03-02 Ann",
		"2026-03-02 address: 9287 woodland blvd, 20715, bowie, US",
		"2026-03-05 ip: 198.51.100.9",
		"2026-03-22 bank_account: payout account 1a2b3c4d…",
		"2026-04-02 Bob",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if ct.Unplaced != 1 {
		t.Errorf("unplaced %d, want the phone found in no record", ct.Unplaced)
	}
	// An IP is matched whole: 198.51.100.9 is not in 198.51.100.90.
	other := map[string][]*event.Event{"E1": {signIn(hireA, "198.51.100.90", "US", 0, 0, false, "")}}
	if at := firstAppearance(report.Link{Kind: "ip", Value: "198.51.100.9", Members: []string{"E1"}}, map[string][]record{"E1": records(other["E1"])}); !at.IsZero() {
		t.Errorf("198.51.100.9 found in a record of 198.51.100.90 at %v", at)
	}
}

// TestGraphJSONIsInert: identifier values and names reach the graph of all
// cells as data, escaped inside its JSON block, and come back out of it
// intact for cytoscape to draw as canvas text.
func TestGraphJSONIsInert(t *testing.T) {
	f := seededFixture(t)
	c := &report.Cluster{ID: "C9", Members: []string{"E1", "E2"}, Links: []report.Link{
		{Kind: "address", Value: xssPayloads[0], Members: []string{"E1", "E2"}},
		{Kind: "bank_account</script>", Value: xssPayloads[1], Members: []string{"E1", "E2"}},
	}}
	var v cellsView
	v.Graph.Nodes = append(v.Graph.Nodes, graphNode{ID: "c:C9", Label: "cell C9", Kind: "cell"})
	v.Graph.add(c, []linkedPerson{{ID: "E1", Name: xssPayloads[4], Level: "high"}, {ID: "E2", Name: xssPayloads[8], Level: "low"}}, "c:C9")
	v.Cells = []cellRow{{ID: "C9", Members: 2, Level: "high"}}
	var b bytes.Buffer
	if err := f.srv.pages["cells"].ExecuteTemplate(&b, "layout", page{Title: "Cells", Data: v}); err != nil {
		t.Fatal(err)
	}
	checkInert(t, "cells page", b.String())
	m := jsonRe.FindStringSubmatch(b.String())
	if m == nil {
		t.Fatal("no graph data block")
	}
	var g graphData
	if err := json.Unmarshal([]byte(m[1]), &g); err != nil {
		t.Fatalf("graph data block: %v", err)
	}
	labels := map[string]bool{}
	for _, n := range g.Nodes {
		labels[n.Label] = true
	}
	for _, want := range []string{xssPayloads[0], xssPayloads[1], xssPayloads[4]} {
		if !labels[want] {
			t.Errorf("label %q lost on the way through the page", want)
		}
	}
	for _, e := range g.Edges {
		if e.Label != "address" && e.Label != "other" {
			t.Errorf("edge labelled %q: an unknown kind must not reach the page as a class", e.Label)
		}
	}
	if strings.Contains(m[1], "</script") {
		t.Error("the data block can be closed from inside")
	}
}

func TestEngineStage(t *testing.T) {
	for _, tc := range []struct {
		snap pipeline.ProgressSnapshot
		want string
	}{
		{pipeline.ProgressSnapshot{}, "analysing"},
		{pipeline.ProgressSnapshot{Stage: "profiling", Unit: pipeline.UnitPeople, Done: 40, Total: 100}, "analysing: profiling 40%"},
		{pipeline.ProgressSnapshot{Stage: "graph"}, "analysing: graph"},
		{pipeline.ProgressSnapshot{Stage: "indicators", Done: 70, Total: 61}, "analysing: indicators 100%"},
	} {
		if got := engineStage(stageAnalysing, tc.snap); got != tc.want {
			t.Errorf("engineStage(%+v) = %q, want %q", tc.snap, got, tc.want)
		}
	}
}
