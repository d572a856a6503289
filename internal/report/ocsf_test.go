package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var ocsfTime = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

func TestOCSFGolden(t *testing.T) {
	golden(t, "report.ocsf.ndjson", render(t, OCSF{Time: ocsfTime, ProductVersion: "test"}, fixture(t)))
}

// ocsfSchema is testdata/ocsf/schema-1.4.0.json: the classes and objects
// rollcall emits, as the published schema defines them.
type ocsfSchema struct {
	Version string              `json:"version"`
	Classes map[string]ocsfType `json:"classes"`
	Objects map[string]ocsfType `json:"objects"`
}

type ocsfType struct {
	UID         int                     `json:"uid"`
	CategoryUID int                     `json:"category_uid"`
	Attributes  map[string]ocsfAttrSpec `json:"attributes"`
	Constraints struct {
		AtLeastOne []string `json:"at_least_one"`
	} `json:"constraints"`
}

type ocsfAttrSpec struct {
	Type        string            `json:"type"`
	Object      string            `json:"object"`
	IsArray     bool              `json:"is_array"`
	Requirement string            `json:"requirement"`
	Enum        map[string]string `json:"enum"`
}

func loadOCSFSchema(t *testing.T) *ocsfSchema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ocsf", "schema-1.4.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s ocsfSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("schema: %v", err)
	}
	return &s
}

// validate checks one emitted event against its class: every required
// attribute present, no attribute the class does not define, JSON types,
// enum values, at_least_one constraints, recursively through objects.
func (s *ocsfSchema) validate(ev map[string]any) []string {
	cuid, _ := ev["class_uid"].(float64)
	for name, c := range s.Classes {
		if float64(c.UID) == cuid {
			errs := s.check(name, c, ev)
			if v, ok := ev["metadata"].(map[string]any); ok && v["version"] != s.Version {
				errs = append(errs, fmt.Sprintf("metadata.version %v, want %s", v["version"], s.Version))
			}
			if want := cuid*100 + ev["activity_id"].(float64); ev["type_uid"] != want {
				errs = append(errs, fmt.Sprintf("type_uid %v, want class_uid*100+activity_id = %v", ev["type_uid"], want))
			}
			if ev["category_uid"] != float64(c.CategoryUID) {
				errs = append(errs, fmt.Sprintf("category_uid %v, want %d", ev["category_uid"], c.CategoryUID))
			}
			return errs
		}
	}
	return []string{fmt.Sprintf("class_uid %v is not a class rollcall emits", ev["class_uid"])}
}

func (s *ocsfSchema) check(where string, typ ocsfType, obj map[string]any) []string {
	var errs []string
	for name, a := range typ.Attributes {
		if _, ok := obj[name]; !ok && a.Requirement == "required" {
			errs = append(errs, fmt.Sprintf("%s: required attribute %s missing", where, name))
		}
	}
	if c := typ.Constraints.AtLeastOne; len(c) > 0 && !slices.ContainsFunc(c, func(k string) bool { _, ok := obj[k]; return ok }) {
		errs = append(errs, fmt.Sprintf("%s: needs at least one of %v", where, c))
	}
	for name, v := range obj {
		a, ok := typ.Attributes[name]
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: attribute %s is not defined", where, name))
			continue
		}
		path := where + "." + name
		if a.IsArray {
			arr, ok := v.([]any)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: %T, want array", path, v))
				continue
			}
			for i, item := range arr {
				errs = append(errs, s.checkValue(path+"["+strconv.Itoa(i)+"]", a, item)...)
			}
			continue
		}
		errs = append(errs, s.checkValue(path, a, v)...)
	}
	return errs
}

func (s *ocsfSchema) checkValue(path string, a ocsfAttrSpec, v any) []string {
	switch a.Type {
	case "string_t":
		if _, ok := v.(string); !ok {
			return []string{fmt.Sprintf("%s: %T, want string", path, v)}
		}
	case "boolean_t":
		if _, ok := v.(bool); !ok {
			return []string{fmt.Sprintf("%s: %T, want boolean", path, v)}
		}
	case "integer_t", "long_t", "timestamp_t":
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			return []string{fmt.Sprintf("%s: %v, want an integer", path, v)}
		}
		if a.Enum != nil {
			if _, ok := a.Enum[strconv.FormatInt(int64(f), 10)]; !ok {
				return []string{fmt.Sprintf("%s: %v is not in the enum", path, v)}
			}
		}
	case "json_t":
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want object %s", path, v, a.Object)}
		}
		o, ok := s.Objects[a.Object]
		if !ok {
			return []string{fmt.Sprintf("%s: object %s not in the schema file", path, a.Object)}
		}
		return s.check(path, o, m)
	default:
		return []string{fmt.Sprintf("%s: unknown type %s in the schema file", path, a.Type)}
	}
	return nil
}

// TestOCSFSchema validates every emitted event against the vendored class
// definitions, checks that the captions agree with their ids, and that
// every incident's finding_info_list names detection findings in the output.
func TestOCSFSchema(t *testing.T) {
	s := loadOCSFSchema(t)
	out := render(t, OCSF{Time: ocsfTime, ProductVersion: "test"}, fixture(t))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	uids := map[string]bool{}
	var incidents []map[string]any
	counts := map[float64]int{}
	for i, line := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, e := range s.validate(ev) {
			t.Errorf("line %d: %s", i+1, e)
		}
		cls := ev["class_uid"].(float64)
		counts[cls]++
		name := map[float64]string{2004: "detection_finding", 2005: "incident_finding"}[cls]
		sev := s.Classes[name].Attributes["severity_id"].Enum[strconv.Itoa(int(ev["severity_id"].(float64)))]
		if ev["severity"] != sev {
			t.Errorf("line %d: severity %v does not match severity_id caption %q", i+1, ev["severity"], sev)
		}
		if cls == 2004 {
			uids[ev["finding_info"].(map[string]any)["uid"].(string)] = true
		} else {
			incidents = append(incidents, ev)
		}
	}
	r := fixture(t)
	flagged := 0
	for _, p := range r.People {
		if p.Flagged {
			flagged++
		}
	}
	if counts[2004] < flagged || counts[2005] != len(r.Clusters) {
		t.Errorf("got %v detection/incident findings; want ≥%d detection (flagged) and %d incident (cells)", counts, flagged, len(r.Clusters))
	}
	for _, inc := range incidents {
		for _, fi := range inc["finding_info_list"].([]any)[1:] {
			if uid := fi.(map[string]any)["uid"].(string); !uids[uid] {
				t.Errorf("incident %s lists %s, which is not a detection finding in the output", inc["message"], uid)
			}
		}
	}
}

// TestOCSFValidatorRejects makes sure the validator can fail: events
// broken the ways a mapping goes wrong are refused.
func TestOCSFValidatorRejects(t *testing.T) {
	s := loadOCSFSchema(t)
	line, _, _ := bytes.Cut(render(t, OCSF{Time: ocsfTime}, fixture(t)), []byte("\n"))
	tests := []struct {
		name   string
		mutate func(ev map[string]any)
		want   string
	}{
		{name: "missing_time", mutate: func(ev map[string]any) { delete(ev, "time") }, want: "required attribute time missing"},
		{name: "severity_out_of_enum", mutate: func(ev map[string]any) { ev["severity_id"] = 7.0 }, want: "severity_id: 7 is not in the enum"},
		{name: "string_time", mutate: func(ev map[string]any) { ev["time"] = "2025-07-01" }, want: "want an integer"},
		{name: "finding_info_without_uid", mutate: func(ev map[string]any) { delete(ev["finding_info"].(map[string]any), "uid") }, want: "finding_info: required attribute uid missing"},
		{name: "unknown_attribute", mutate: func(ev map[string]any) { ev["person"] = "E1" }, want: "attribute person is not defined"},
		{name: "wrong_type_uid", mutate: func(ev map[string]any) { ev["type_uid"] = 200402.0 }, want: "want class_uid*100+activity_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var good map[string]any
			if err := json.Unmarshal(line, &good); err != nil {
				t.Fatal(err)
			}
			if errs := s.validate(good); len(errs) != 0 {
				t.Fatalf("unmodified event invalid: %v", errs)
			}
			tc.mutate(good)
			errs := s.validate(good)
			if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, tc.want) }) {
				t.Errorf("errors %v lack %q", errs, tc.want)
			}
		})
	}
}

// TestOCSFIncidentMembers checks the mapping on a small report: only the
// flagged person and cell members become detection findings, and the
// incident lists the cell then each member.
func TestOCSFIncidentMembers(t *testing.T) {
	r := &Report{
		People: []Person{
			{ID: "E1", Score: 80, Level: "high", Flagged: true, Cluster: "C1"},
			{ID: "E2", Score: 10, Level: "low", Cluster: "C1"},
			{ID: "E3", Score: 0, Level: "none"},
		},
		Clusters: []Cluster{{ID: "C1", Members: []string{"E1", "E2"}, Links: []Link{{Kind: "ip", Value: "203.0.113.9", Members: []string{"E1", "E2"}}}}},
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(render(t, OCSF{Time: ocsfTime}, r))), "\n") {
		var ev struct {
			ClassUID    int                    `json:"class_uid"`
			SeverityID  int                    `json:"severity_id"`
			FindingInfo struct{ UID string }   `json:"finding_info"`
			List        []struct{ UID string } `json:"finding_info_list"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprintf("%d sev=%d %s", ev.ClassUID, ev.SeverityID, ev.FindingInfo.UID)
		for _, fi := range ev.List {
			s += " " + fi.UID
		}
		got = append(got, s)
	}
	want := []string{
		"2004 sev=4 rollcall:person:E1",
		"2004 sev=2 rollcall:person:E2",
		"2005 sev=4  rollcall:cell:C1 rollcall:person:E1 rollcall:person:E2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}
