package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestJSONGolden(t *testing.T) {
	tests := []struct {
		name string
		rep  JSON
	}{
		{name: "report_indent.json", rep: JSON{Indent: true}},
		{name: "report_compact.json", rep: JSON{}},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSuffix(tc.name, ".json"), func(t *testing.T) {
			golden(t, tc.name, render(t, tc.rep, fixture(t)))
		})
	}
}

// TestJSONRoundTrip checks that Load reads back exactly what JSON wrote.
func TestJSONRoundTrip(t *testing.T) {
	want := fixture(t)
	got, err := Load(bytes.NewReader(render(t, JSON{}, want)))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// TestJSONEmptyListsAreArrays checks that a report built by code that left
// every list nil still encodes them as [] (DESIGN.md §5), and that people
// are sorted even when the caller did not sort them.
func TestJSONEmptyListsAreArrays(t *testing.T) {
	r := &Report{People: []Person{
		{ID: "E1", Score: 0, Level: "none"},
		{ID: "E2", Score: 30, Level: "low", Indicators: []Indicator{{ID: "IAM-06"}}},
	}, Clusters: []Cluster{{ID: "C1", Links: []Link{{Kind: "ip"}}}}}
	out := string(render(t, JSON{}, r))
	for _, want := range []string{
		`"version":1`, `"rejected":[]`, `"skipped_files":[]`, `"unresolved":[]`,
		`"candidate_ids":[]`, `"indicators":[]`, `"evidence":[]`, `"members":[]`, `"cluster":""`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "null") {
		t.Errorf("output contains null:\n%s", out)
	}
	if i, j := strings.Index(out, `"id":"E2"`), strings.Index(out, `"id":"E1"`); i < 0 || j < 0 || i > j {
		t.Errorf("E2 (score 30) should come before E1 (score 0):\n%s", out)
	}
	if r.People[0].ID != "E1" {
		t.Error("Write reordered the caller's report")
	}
}

// TestJSONSchema decodes the report generically and checks every field
// DESIGN.md §5 promises, with its JSON type.
func TestJSONSchema(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(render(t, JSON{Indent: true}, fixture(t)), &doc); err != nil {
		t.Fatal(err)
	}
	type field struct{ name, kind string }
	check := func(t *testing.T, where string, obj any, fields []field) {
		t.Helper()
		m, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%s is %T, want object", where, obj)
		}
		for _, f := range fields {
			v, ok := m[f.name]
			if !ok {
				t.Errorf("%s lacks %q", where, f.name)
				continue
			}
			if got := jsonKind(v); got != f.kind {
				t.Errorf("%s.%s is %s, want %s", where, f.name, got, f.kind)
			}
		}
	}
	each := func(t *testing.T, where string, v any, fn func(where string, item any)) {
		t.Helper()
		items, ok := v.([]any)
		if !ok {
			t.Fatalf("%s is %T, want array", where, v)
		}
		if len(items) == 0 {
			t.Fatalf("%s is empty in the fixture; the schema test needs an item", where)
		}
		for i, item := range items {
			fn(where+"["+strconv.Itoa(i)+"]", item)
		}
	}

	check(t, "report", doc, []field{
		{"version", "number"}, {"stats", "object"}, {"rejected", "array"}, {"skipped_files", "array"},
		{"people", "array"}, {"clusters", "array"},
	})
	if v, _ := doc["version"].(float64); v != 1 {
		t.Errorf("version = %v, want 1", doc["version"])
	}
	check(t, "stats", doc["stats"], []field{
		{"records_read", "number"}, {"records_rejected", "number"}, {"events", "number"},
		{"people", "number"}, {"unresolved_accounts", "number"},
	})
	each(t, "rejected", doc["rejected"], func(where string, item any) {
		check(t, where, item, []field{{"file", "string"}, {"line", "number"}, {"error", "string"}})
	})
	each(t, "skipped_files", doc["skipped_files"], func(where string, item any) {
		check(t, where, item, []field{{"file", "string"}, {"reason", "string"}})
	})
	levels := map[string]bool{"none": true, "low": true, "medium": true, "high": true, "critical": true}
	var scores []float64
	each(t, "people", doc["people"], func(where string, item any) {
		check(t, where, item, []field{
			{"id", "string"}, {"employee_id", "string"}, {"candidate_ids", "array"}, {"name", "string"},
			{"kind", "string"}, {"score", "number"}, {"level", "string"}, {"flagged", "bool"},
			{"cluster", "string"}, {"indicators", "array"},
		})
		p := item.(map[string]any)
		if k := p["kind"]; k != "employee" && k != "applicant" {
			t.Errorf("%s.kind = %v", where, k)
		}
		level, _ := p["level"].(string)
		if !levels[level] {
			t.Errorf("%s.level = %q", where, level)
		}
		if flagged := p["flagged"] == true; flagged != (level == "medium" || level == "high" || level == "critical") {
			t.Errorf("%s: flagged = %v with level %q", where, flagged, level)
		}
		score, _ := p["score"].(float64)
		scores = append(scores, score)
		for i, c := range p["candidate_ids"].([]any) {
			if _, ok := c.(string); !ok {
				t.Errorf("%s.candidate_ids[%d] is %T, want string", where, i, c)
			}
		}
		for i, ind := range p["indicators"].([]any) {
			iw := where + ".indicators[" + strconv.Itoa(i) + "]"
			check(t, iw, ind, []field{{"id", "string"}, {"name", "string"}, {"weight", "number"}, {"points", "number"}, {"evidence", "array"}})
			// points are what the finding added; the weight is the
			// indicator's, before confidence and diminishing returns.
			in := ind.(map[string]any)
			if w, pts := in["weight"].(float64), in["points"].(float64); pts < 0 || pts > w || (in["suppressed"] != nil && pts != 0) {
				t.Errorf("%s: points %v with weight %v (suppressed %v): want 0 <= points <= weight, 0 when suppressed", iw, pts, w, in["suppressed"])
			}
			for k, e := range ind.(map[string]any)["evidence"].([]any) {
				check(t, iw+".evidence["+strconv.Itoa(k)+"]", e, []field{
					{"source", "string"}, {"file", "string"}, {"record", "number"}, {"summary", "string"},
				})
			}
		}
	})
	for i := 1; i < len(scores); i++ {
		if scores[i] > scores[i-1] {
			t.Errorf("people not sorted by score: %v", scores)
			break
		}
	}
	each(t, "clusters", doc["clusters"], func(where string, item any) {
		check(t, where, item, []field{{"id", "string"}, {"members", "array"}, {"links", "array"}, {"score", "number"}})
		for i, l := range item.(map[string]any)["links"].([]any) {
			check(t, where+".links["+strconv.Itoa(i)+"]", l, []field{{"kind", "string"}, {"members", "array"}})
		}
	})
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}
