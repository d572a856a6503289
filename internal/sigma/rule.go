// Package sigma loads single-event Sigma rules (the SigmaHQ rule format,
// https://sigmahq.io/docs/basics/rules.html) for the identity and
// code-host sources rollcall reads — Okta System Log, Entra ID sign-in
// logs, Google Workspace activities and the GitHub audit log — and
// evaluates them over rollcall's normalized events.
//
// Events keep only normalized fields (internal/event), not the vendor's
// raw record, so each supported logsource maps the Sigma field names a
// rule may use (the vendor's own names: Okta eventType, outcome.result,
// client.ipAddress; Entra ResultType, IPAddress; …) to the normalized
// field holding the same value (fields.go). A rule naming a field rollcall
// does not keep, a modifier, a logsource or a condition it cannot
// evaluate is refused when it is loaded, with the file and the field: a
// rule that loads is evaluated as its author meant, never silently
// narrowed. Aggregations, correlations and keyword searches are refused:
// rules here are single-event.
//
// The indicator that turns matches into findings is SIG-01
// (internal/detect/signin).
package sigma

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rollcall/rollcall/internal/event"
)

// Levels are Sigma's rule levels, lowest first.
var Levels = []string{"informational", "low", "medium", "high", "critical"}

// statuses are Sigma's rule statuses.
var statuses = []string{"stable", "test", "experimental", "deprecated", "unsupported"}

// Rule is one loaded and validated Sigma rule.
type Rule struct {
	ID          string // the rule's id (a UUID in SigmaHQ rules); may be empty
	Title       string
	Level       string // one of Levels; "medium" when the rule sets none
	Status      string
	Description string
	File        string // the file it was loaded from
	Logsource   *Logsource

	detection *detection
	sha256    string // of the rule file's bytes
}

// MarshalJSON identifies the rule by file, id and content hash: the
// engine compares policies as JSON to know whether earlier results still
// hold, and an edited rule must not look unchanged.
func (r *Rule) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		File   string `json:"file"`
		ID     string `json:"id,omitempty"`
		Title  string `json:"title"`
		SHA256 string `json:"sha256"`
	}{r.File, r.ID, r.Title, r.sha256})
}

// Short is the rule's id shortened for display (the first 8 characters of
// a UUID), else its title.
func (r *Rule) Short() string {
	if r.ID == "" {
		return r.Title
	}
	id, _, _ := strings.Cut(r.ID, "-")
	return id
}

// Match reports whether e matches the rule: e comes from the rule's
// logsource and the detection's condition holds.
func (r *Rule) Match(e *event.Event) bool {
	if e == nil || e.Prov.Source() != r.Logsource.Source {
		return false
	}
	return r.detection.match(e)
}

// rawRule is the YAML form of a rule; keys rollcall does not read
// (author, date, tags, falsepositives, fields, references…) are ignored,
// as Sigma tools do.
type rawRule struct {
	Title       string    `yaml:"title"`
	ID          string    `yaml:"id"`
	Status      string    `yaml:"status"`
	Description string    `yaml:"description"`
	Level       string    `yaml:"level"`
	Logsource   *rawLog   `yaml:"logsource"`
	Detection   yaml.Node `yaml:"detection"`
	Correlation yaml.Node `yaml:"correlation"`
	Action      string    `yaml:"action"`
}

type rawLog struct {
	Category string `yaml:"category"`
	Product  string `yaml:"product"`
	Service  string `yaml:"service"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Parse reads one rule from data; name is the file name errors cite.
func Parse(data []byte, name string) (*Rule, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var raw rawRule
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("sigma rule %q: empty file", name)
		}
		return nil, fmt.Errorf("sigma rule %q: %w", name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("sigma rule %q: several YAML documents (a rule collection): put each rule in its own file", name)
	}
	fail := func(field, format string, args ...any) error {
		return fmt.Errorf("sigma rule %q field %s: %s", name, field, fmt.Sprintf(format, args...))
	}
	if raw.Action != "" {
		return nil, fail("action", "%q: rule collections are not supported, put each rule in its own file", raw.Action)
	}
	if !raw.Correlation.IsZero() {
		return nil, fail("correlation", "correlation rules are not supported: rollcall evaluates single-event rules")
	}
	sum := sha256.Sum256(data)
	r := &Rule{sha256: hex.EncodeToString(sum[:]), ID: strings.TrimSpace(raw.ID), Title: strings.TrimSpace(raw.Title), Status: raw.Status, Description: strings.TrimSpace(raw.Description), File: name}
	if r.Title == "" {
		return nil, fail("title", "missing")
	}
	if r.ID != "" && !uuidRE.MatchString(r.ID) {
		return nil, fail("id", "%q is not a UUID", r.ID)
	}
	switch r.Level = strings.ToLower(strings.TrimSpace(raw.Level)); {
	case r.Level == "":
		r.Level = "medium"
	case !slices.Contains(Levels, r.Level):
		return nil, fail("level", "%q, want one of %s", raw.Level, strings.Join(Levels, ", "))
	}
	if r.Status != "" && !slices.Contains(statuses, r.Status) {
		return nil, fail("status", "%q, want one of %s", r.Status, strings.Join(statuses, ", "))
	}
	if raw.Logsource == nil {
		return nil, fail("logsource", "missing")
	}
	if raw.Logsource.Category != "" {
		return nil, fail("logsource.category", "%q: rollcall reads product/service logsources only (%s)", raw.Logsource.Category, supported())
	}
	ls := findLogsource(raw.Logsource.Product, raw.Logsource.Service)
	if ls == nil {
		return nil, fail("logsource", "product %q service %q is not a source rollcall reads as single events (%s)", raw.Logsource.Product, raw.Logsource.Service, supported())
	}
	r.Logsource = ls
	if raw.Detection.IsZero() {
		return nil, fail("detection", "missing")
	}
	det, err := compileDetection(&raw.Detection, ls)
	if err != nil {
		return nil, fmt.Errorf("sigma rule %q field %w", name, err)
	}
	r.detection = det
	return r, nil
}
