package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// The OpenAPI document and the router must agree, and the main endpoints'
// answers must match the documented schemas. The schema check is a small
// in-house subset of JSON Schema: $ref, allOf, type, nullable, enum,
// required, properties, additionalProperties, items, minimum, maximum and
// format date-time.

type spec struct {
	Paths      map[string]map[string]operation `yaml:"paths"`
	Components struct {
		Schemas   map[string]*schema   `yaml:"schemas"`
		Responses map[string]*response `yaml:"responses"`
	} `yaml:"components"`
}

type operation struct {
	Responses map[string]*response `yaml:"responses"`
}

type response struct {
	Ref     string `yaml:"$ref"`
	Content map[string]struct {
		Schema *schema `yaml:"schema"`
	} `yaml:"content"`
}

type schema struct {
	Ref        string             `yaml:"$ref"`
	Type       string             `yaml:"type"`
	Format     string             `yaml:"format"`
	Nullable   bool               `yaml:"nullable"`
	Enum       []any              `yaml:"enum"`
	Required   []string           `yaml:"required"`
	Properties map[string]*schema `yaml:"properties"`
	Items      *schema            `yaml:"items"`
	AllOf      []*schema          `yaml:"allOf"`
	Minimum    *float64           `yaml:"minimum"`
	Maximum    *float64           `yaml:"maximum"`
	// AdditionalProperties is a schema, or false.
	AdditionalProperties any `yaml:"additionalProperties"`
}

func loadSpec(t *testing.T) *spec {
	t.Helper()
	var s spec
	if err := yaml.Unmarshal(openapiSpec, &s); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return &s
}

var httpMethods = []string{"get", "post", "put", "patch", "delete"}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := loadSpec(t)
	documented := map[string]bool{}
	for path, ops := range s.Paths {
		for m := range ops {
			if slices.Contains(httpMethods, m) {
				documented[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	srv := newFixture(t, fixtureOpts{}).srv
	routed := map[string]bool{}
	for _, rt := range srv.routes() {
		if rt.API {
			routed[rt.Method+" "+rt.Pattern] = true
		}
	}
	for k := range routed {
		if !documented[k] {
			t.Errorf("route %s is not in openapi.yaml", k)
		}
	}
	for k := range documented {
		if !routed[k] {
			t.Errorf("openapi.yaml documents %s, which the router does not serve", k)
		}
	}
	// Every operation documents its answers, and every $ref resolves.
	for path, ops := range s.Paths {
		for m, op := range ops {
			if !slices.Contains(httpMethods, m) {
				continue
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s %s documents no response", m, path)
			}
			for code, r := range op.Responses {
				if r = s.resolveResponse(r); r == nil {
					t.Errorf("%s %s %s: unresolved response", m, path, code)
				}
			}
		}
	}
	for name, sc := range s.Components.Schemas {
		s.checkRefs(t, name, sc)
	}
}

func (s *spec) resolveResponse(r *response) *response {
	if r != nil && r.Ref != "" {
		return s.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")]
	}
	return r
}

func (s *spec) resolve(sc *schema) *schema {
	for sc != nil && sc.Ref != "" {
		sc = s.Components.Schemas[strings.TrimPrefix(sc.Ref, "#/components/schemas/")]
	}
	return sc
}

func (s *spec) checkRefs(t *testing.T, where string, sc *schema) {
	if sc == nil {
		return
	}
	if sc.Ref != "" && s.resolve(sc) == nil {
		t.Errorf("%s: unresolved %s", where, sc.Ref)
	}
	for k, p := range sc.Properties {
		s.checkRefs(t, where+"."+k, p)
	}
	s.checkRefs(t, where+"[]", sc.Items)
	for _, a := range sc.AllOf {
		s.checkRefs(t, where, a)
	}
}

// validate reports where v does not match sc.
func (s *spec) validate(path string, sc *schema, v any) []string {
	sc = s.resolve(sc)
	if sc == nil {
		return nil
	}
	if len(sc.AllOf) > 0 {
		sc = s.merge(sc)
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if v == nil {
		if sc.Type != "" && !sc.Nullable {
			bad("null, want %s", sc.Type)
		}
		return errs
	}
	if len(sc.Enum) > 0 && !slices.ContainsFunc(sc.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		bad("%v not in %v", v, sc.Enum)
	}
	switch sc.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("%T, want object", v)
			return errs
		}
		for _, r := range sc.Required {
			if _, ok := m[r]; !ok {
				bad("missing required %q", r)
			}
		}
		for k, val := range m {
			if p, ok := sc.Properties[k]; ok {
				errs = append(errs, s.validate(path+"."+k, p, val)...)
				continue
			}
			switch ap := sc.AdditionalProperties.(type) {
			case bool:
				if !ap {
					bad("unexpected property %q", k)
				}
			case map[string]any:
				b, _ := yaml.Marshal(ap)
				var sub schema
				yaml.Unmarshal(b, &sub) //nolint:errcheck // just marshalled
				errs = append(errs, s.validate(path+"."+k, &sub, val)...)
			case nil:
				if len(sc.Properties) > 0 {
					bad("undocumented property %q", k)
				}
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("%T, want array", v)
			return errs
		}
		for i, val := range a {
			errs = append(errs, s.validate(path+"["+strconv.Itoa(i)+"]", sc.Items, val)...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("%T, want string", v)
		} else if sc.Format == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				bad("%q is not a date-time", str)
			}
		}
	case "integer", "number":
		n, ok := v.(float64)
		if !ok {
			bad("%T, want %s", v, sc.Type)
			return errs
		}
		if sc.Type == "integer" && n != float64(int64(n)) {
			bad("%v, want an integer", n)
		}
		if sc.Minimum != nil && n < *sc.Minimum || sc.Maximum != nil && n > *sc.Maximum {
			bad("%v out of range", n)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%T, want boolean", v)
		}
	}
	return errs
}

// merge folds allOf parts into one object schema, so that each part's
// properties count as documented for the others.
func (s *spec) merge(sc *schema) *schema {
	m := &schema{Type: "object", Properties: map[string]*schema{}}
	parts := append([]*schema{sc}, sc.AllOf...)
	for _, p := range parts {
		p = s.resolve(p)
		if p == nil {
			continue
		}
		if p != sc && len(p.AllOf) > 0 {
			p = s.merge(p)
		}
		for k, v := range p.Properties {
			m.Properties[k] = v
		}
		m.Required = append(m.Required, p.Required...)
	}
	return m
}

func TestAPIResponsesMatchSchemas(t *testing.T) {
	f := newSeededFixture(t, fixtureOpts{})
	s := loadSpec(t)
	ctx := context.Background()
	rep, _ := report.LoadStored(ctx, f.st)
	person, ind := scoringIndicator(t, rep)
	admin, _, err := f.srv.newToken(ctx, store.RoleAdmin, "schema", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	pid := url.PathEscape(person.ID)
	cell := url.PathEscape(rep.Clusters[0].ID)
	for _, tc := range []struct {
		method, path, pattern string
		body                  any
		code                  int
		token                 string
	}{
		{"GET", "/healthz", "/healthz", nil, 200, ""},
		{"GET", "/api/v1/summary", "/api/v1/summary", nil, 200, admin},
		{"GET", "/api/v1/ingest/status", "/api/v1/ingest/status", nil, 200, admin},
		{"GET", "/api/v1/people?limit=5", "/api/v1/people", nil, 200, admin},
		{"GET", "/api/v1/people?sort=bogus", "/api/v1/people", nil, 400, admin},
		{"GET", "/api/v1/people/" + pid, "/api/v1/people/{id}", nil, 200, admin},
		{"GET", "/api/v1/people/nobody", "/api/v1/people/{id}", nil, 404, admin},
		{"GET", "/api/v1/people/" + pid + "/events?limit=20", "/api/v1/people/{id}/events", nil, 200, admin},
		{"GET", "/api/v1/findings", "/api/v1/findings", nil, 200, admin},
		{"GET", "/api/v1/cells", "/api/v1/cells", nil, 200, admin},
		{"GET", "/api/v1/cells/" + cell, "/api/v1/cells/{id}", nil, 200, admin},
		{"POST", "/api/v1/cases", "/api/v1/cases", newCaseJSON{Subject: "person", SubjectID: person.ID, Title: "t"}, 201, admin},
		{"GET", "/api/v1/cases", "/api/v1/cases", nil, 200, admin},
		{"GET", "/api/v1/cases/1", "/api/v1/cases/{id}", nil, 200, admin},
		{"PATCH", "/api/v1/cases/1", "/api/v1/cases/{id}", map[string]string{"status": "closed"}, 200, admin},
		{"POST", "/api/v1/cases/1/comments", "/api/v1/cases/{id}/comments", map[string]string{"body": "note"}, 201, admin},
		{"POST", "/api/v1/cases/1/verdict", "/api/v1/cases/{id}/verdict",
			verdictJSON{Verdict: "benign", Reason: "known", Suppress: []suppressRequest{{person.ID, ind}}}, 200, admin},
		{"GET", "/api/v1/suppressions", "/api/v1/suppressions", nil, 200, admin},
		{"GET", "/api/v1/audit", "/api/v1/audit", nil, 200, admin},
		{"GET", "/api/v1/users", "/api/v1/users", nil, 200, admin},
		{"POST", "/api/v1/users", "/api/v1/users", map[string]string{"name": "dana", "role": "viewer", "password": testPassword}, 201, admin},
		{"POST", "/api/v1/users", "/api/v1/users", map[string]string{"name": "dana", "role": "viewer", "password": testPassword}, 409, admin},
		{"GET", "/api/v1/people", "/api/v1/people", nil, 401, ""},
	} {
		t.Run(tc.method+"_"+tc.path, func(t *testing.T) {
			var body any
			var raw string
			var code int
			if tc.token == "" {
				resp, text := c.do(tc.method, tc.path, nil, nil)
				code, raw = resp.StatusCode, text
			} else {
				b, _ := json.Marshal(tc.body)
				h := map[string]string{"Authorization": "Bearer " + tc.token, "Content-Type": "application/json"}
				var rd *strings.Reader
				if tc.body != nil {
					rd = strings.NewReader(string(b))
				} else {
					rd = strings.NewReader("")
				}
				resp, text := c.do(tc.method, tc.path, rd, h)
				code, raw = resp.StatusCode, text
			}
			if code != tc.code {
				t.Fatalf("status %d, want %d: %s", code, tc.code, raw)
			}
			op, ok := s.Paths[tc.pattern][strings.ToLower(tc.method)]
			if !ok {
				t.Fatalf("%s %s is not documented", tc.method, tc.pattern)
			}
			r := s.resolveResponse(op.Responses[strconv.Itoa(code)])
			if r == nil {
				t.Fatalf("status %d of %s %s is not documented", code, tc.method, tc.pattern)
			}
			ct, ok := r.Content["application/json"]
			if !ok {
				t.Fatalf("status %d is not documented as JSON", code)
			}
			if err := json.Unmarshal([]byte(raw), &body); err != nil {
				t.Fatalf("not JSON: %v", err)
			}
			for _, e := range s.validate("$", ct.Schema, body) {
				t.Error(e)
			}
		})
	}
}
