package report

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var generated = time.Date(2025, 7, 1, 9, 30, 0, 0, time.UTC)

func TestHTMLGolden(t *testing.T) {
	golden(t, "report.html", render(t, HTML{Title: "Acme Corp — rollcall report", Generated: generated}, fixture(t)))
}

func TestHTMLEmptyReport(t *testing.T) {
	out := string(render(t, HTML{}, &Report{}))
	if _, err := scanHTML(out); err != nil {
		t.Fatalf("output is not well formed: %v", err)
	}
	for _, want := range []string{"<title>rollcall report</title>", "No indicator fired for anyone."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// allowedTags is every element the report uses.
var allowedTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true, "header": true,
	"div": true, "h1": true, "h2": true, "h3": true, "p": true, "nav": true, "a": true, "main": true,
	"section": true, "span": true, "svg": true, "text": true, "rect": true, "dl": true, "dt": true, "dd": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true, "bdi": true,
	"article": true, "strong": true, "ul": true, "li": true, "footer": true,
}

// checkSafe asserts that doc is well formed, uses only the report's own
// elements, has no event-handler attributes, links only within the page,
// loads nothing and runs nothing.
func checkSafe(t *testing.T, doc string) {
	t.Helper()
	tags, err := scanHTML(doc)
	if err != nil {
		t.Fatalf("output is not well formed: %v", err)
	}
	if strings.Contains(strings.ToLower(doc), "<script") {
		t.Error("output contains <script")
	}
	csp := false
	for _, tag := range tags {
		if !allowedTags[tag.name] {
			t.Errorf("unexpected element <%s>", tag.name)
		}
		for name, val := range tag.attrs {
			switch {
			case strings.HasPrefix(name, "on"):
				t.Errorf("<%s> has event handler %s=%q", tag.name, name, val)
			case name == "src" || name == "srcset" || name == "action" || name == "formaction" || name == "xlink:href":
				t.Errorf("<%s> loads %s=%q", tag.name, name, val)
			case name == "href" && !strings.HasPrefix(val, "#"):
				t.Errorf("<%s> links outside the page: href=%q", tag.name, val)
			case name == "id" && !safeAnchor(val):
				t.Errorf("<%s> has id %q, not a derived anchor", tag.name, val)
			case name == "style" && strings.ContainsAny(val, "();:") && !strings.HasPrefix(val, "width: "):
				t.Errorf("<%s> has style %q", tag.name, val)
			}
			if strings.Contains(strings.ToLower(val), "javascript:") {
				t.Errorf("<%s> %s=%q", tag.name, name, val)
			}
		}
		if tag.name == "meta" && tag.attrs["http-equiv"] == "Content-Security-Policy" &&
			tag.attrs["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:" {
			csp = true
		}
	}
	if !csp {
		t.Error("no Content-Security-Policy meta element")
	}
	for _, bad := range []string{"http://", "https://", "@import", "url("} {
		if strings.Contains(doc, bad) {
			t.Errorf("output references an external resource: contains %q", bad)
		}
	}
}

func safeAnchor(id string) bool {
	if id == "summary" || id == "ranking" || id == "people" || id == "clusters" || id == "data-quality" {
		return true
	}
	if len(id) < 3 || (id[1] != '-' && id[1] != '_') || (id[0] != 'p' && id[0] != 'c') {
		return false
	}
	for i := 2; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func TestHTMLGoldenIsSafe(t *testing.T) {
	checkSafe(t, string(render(t, HTML{Title: "t", Generated: generated}, fixture(t))))
}

// TestHTMLInjection puts attacker strings into every string field of the
// report (names, summaries, evidence, file names, link values, rejection
// reasons, ids that become anchors, even levels and map keys) and checks
// that none comes out as markup.
func TestHTMLInjection(t *testing.T) {
	payloads := map[string]string{
		"script":     `<script>alert(1)</script>`,
		"attribute":  `"><img src=x onerror=alert(1)>`,
		"javascript": `javascript:alert(1)`,
		"single":     `' onmouseover='alert(1)`,
		"style":      `</style><script>alert(1)</script>`,
		"comment":    `<!--<script>alert(1)//-->`,
		"svg":        `</text></svg><svg onload=alert(1)>`,
		"all":        "<script>alert(1)</script>\"><img src=x onerror=alert(1)>javascript:alert(1)\x1b[31m\u202e",
	}
	for name, payload := range payloads {
		t.Run(name, func(t *testing.T) {
			r := fixture(t)
			n := setStrings(reflect.ValueOf(r).Elem(), payload)
			if n < 40 {
				t.Fatalf("only %d string fields set; the walk missed fields", n)
			}
			out := string(render(t, HTML{Title: payload, Generated: generated}, r))
			checkSafe(t, out)
			// The payloads may appear as escaped text; never as markup.
			for _, bad := range []string{"<img", "<svg onload", `href="javascript:`, "<!--<script", "\x1b"} {
				if strings.Contains(out, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
			if !strings.Contains(out, "alert(1)") {
				t.Error("payload not shown at all; the test is not exercising the template")
			}
		})
	}
}

// TestHTMLAnchors checks that ids that are not safe fragment identifiers
// get hashed anchors, that links still point at the right person, and
// that safe and hashed anchors cannot collide.
func TestHTMLAnchors(t *testing.T) {
	evil := `x" onclick="alert(1)`
	r := &Report{
		People: []Person{
			{ID: evil, Name: "Mallory", Score: 60, Level: "medium", Flagged: true, Cluster: "C 1",
				Indicators: []Indicator{{ID: "IAM-01", Related: []string{"E1"}}}},
			{ID: "E1", Name: "Alice", Score: 40, Level: "low", Cluster: "C 1",
				Indicators: []Indicator{{ID: "IAM-03", Related: []string{evil}}}},
		},
		Clusters: []Cluster{{ID: "C 1", Members: []string{evil, "E1", "ghost"}}},
	}
	out := string(render(t, HTML{}, r))
	checkSafe(t, out)
	ea, ca := anchor("p", evil), anchor("c", "C 1")
	for _, want := range []string{
		`id="` + ea + `"`, `href="#` + ea + `"`, `id="p-E1"`, `href="#p-E1"`, `id="` + ca + `"`, `href="#` + ca + `"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s", want)
		}
	}
	if strings.Contains(out, `href="#p-ghost"`) {
		t.Error("links to a member that is not in the report")
	}

	tests := []struct{ id, want string }{
		{"E1042", "p-E1042"},
		{"cand-88213", "p-cand-88213"},
		{"a.b_c", "p-a.b_c"},
		{"", "p_e3b0c44298fc1c14"},
		{"E 1", anchor("p", "E 1")},
		{strings.Repeat("a", 65), anchor("p", strings.Repeat("a", 65))},
	}
	for _, tc := range tests {
		got := anchor("p", tc.id)
		if got != tc.want {
			t.Errorf("anchor(%q) = %q, want %q", tc.id, got, tc.want)
		}
		if !safeAnchor(got) {
			t.Errorf("anchor(%q) = %q is not safe", tc.id, got)
		}
	}
	if h := anchor("p", "E 1"); !strings.HasPrefix(h, "p_") {
		t.Errorf("unsafe id got anchor %q, want a hashed p_ anchor", h)
	}
}

// setStrings sets every settable string reachable from v (struct fields,
// slice elements, map keys) to s and returns how many it set.
func setStrings(v reflect.Value, s string) int {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
		return 1
	case reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		return setStrings(v.Elem(), s)
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				n += setStrings(v.Field(i), s)
			}
		}
		return n
	case reflect.Slice:
		n := 0
		for i := range v.Len() {
			n += setStrings(v.Index(i), s)
		}
		return n
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || v.Len() == 0 {
			return 0
		}
		m := reflect.MakeMap(v.Type())
		iter := v.MapRange()
		iter.Next()
		m.SetMapIndex(reflect.ValueOf(s).Convert(v.Type().Key()), iter.Value())
		v.Set(m)
		return 1
	}
	return 0
}

func TestHTMLLabelsDataTimeAndGenerationTime(t *testing.T) {
	upTo := time.Date(2025, 6, 30, 23, 59, 0, 0, time.UTC)
	out := string(render(t, HTML{Generated: generated, DataUpTo: upTo}, fixture(t)))
	want := "Data up to 2025-06-30 23:59 UTC · Generated " + generated.Format("2006-01-02 15:04 UTC") + " · "
	if !strings.Contains(out, want) {
		t.Errorf("the header lacks %q", want)
	}
	if out := string(render(t, HTML{}, fixture(t))); strings.Contains(out, "Data up to") || strings.Contains(out, "Generated 0") {
		t.Error("zero times are shown")
	}
}

// TestLogBarWidth: on a log scale a level with 9 people next to one with
// 2,000 is a bar an eye can see (a linear scale drew it 1 pixel wide), the
// largest level fills the track and order is kept.
func TestLogBarWidth(t *testing.T) {
	for _, tc := range []struct {
		name             string
		n, most, full    int
		wantMin, wantMax int
	}{
		{"nobody_no_bar", 0, 2000, 300, 0, 0},
		{"largest_fills", 2000, 2000, 300, 300, 300},
		{"nine_of_two_thousand_visible", 9, 2000, 300, 80, 100},
		{"one_of_many_at_least_two", 1, 1_000_000, 300, 2, 20},
		{"no_people_at_all", 0, 0, 300, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LogBarWidth(tc.n, tc.most, tc.full); got < tc.wantMin || got > tc.wantMax {
				t.Errorf("LogBarWidth(%d, %d, %d) = %d, want %d–%d", tc.n, tc.most, tc.full, got, tc.wantMin, tc.wantMax)
			}
		})
	}
	if a, b := LogBarWidth(9, 2000, 300), LogBarWidth(10, 2000, 300); a > b {
		t.Errorf("9 drawn longer (%d) than 10 (%d)", a, b)
	}
}

// TestHTMLWrapsLongValuesWithoutBreakingWords: file names, hashes and
// accounts wrap where they must (overflow-wrap: anywhere) instead of
// breaking at every line end (word-break: break-all), and only values do,
// so that a narrow column does not break ordinary words like "employee".
func TestHTMLWrapsLongValuesWithoutBreakingWords(t *testing.T) {
	out := string(render(t, HTML{}, fixture(t)))
	if strings.Contains(out, "break-all") {
		t.Error("the report still breaks words at every line end (word-break: break-all)")
	}
	if !strings.Contains(out, ".value { overflow-wrap: anywhere; }") {
		t.Error("long values (.value: file names, hashes) do not wrap anywhere")
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "overflow-wrap: anywhere") && !strings.HasPrefix(line, ".value {") {
			t.Errorf("a rule other than .value wraps anywhere, so narrow columns break ordinary words: %s", line)
		}
	}
	if !strings.Contains(out, `class="mono value"`) {
		t.Error("no value in the fixture's report is marked .value: the test reaches nothing")
	}
}
