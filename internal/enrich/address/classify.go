package address

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"github.com/rollcall/rollcall/internal/event"
)

// Class is what kind of place an address is.
type Class string

// The address classes.
const (
	// Residential: a street address with a house number that no pattern
	// marks as something else. It is not verified against a register of
	// residential delivery points; it only means "nothing says otherwise".
	Residential Class = "residential"
	// POBox: a post-office box or its national equivalent (Postfach, GPO
	// Box, Locked Bag…).
	POBox Class = "po_box"
	// MailForwarder: a private mailbox at a commercial mail receiving
	// agency (PMB), a mailbox-rental chain or a parcel-forwarding service.
	MailForwarder Class = "mail_forwarder"
	// Commercial: a care-of, freight, warehouse or hold-for-pickup
	// address: delivered to a business, not to a home.
	Commercial Class = "commercial"
	// Unknown: too little to say (no street line, or no house number).
	Unknown Class = "unknown"
)

// Rule is one documented pattern from patterns.csv.
type Rule struct {
	Class   Class
	Pattern string // regular expression over the folded line (see MatchLine)
	Reason  string // what a match means, for evidence summaries
	Source  string // where the pattern comes from
	re      *regexp.Regexp
}

//go:embed patterns.csv
var patternsCSV []byte

// rules are the embedded patterns, in file order (first match wins).
// parseRules cannot fail on the embedded file; TestRulesParse keeps it so.
var rules = mustParseRules(patternsCSV)

// Rules returns the documented patterns Classify uses, in the order they
// are tried.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Classify says what kind of place a is. The street line and the
// free-text form are matched against the documented patterns (first match
// wins: mail forwarders, then PO boxes, then commercial addresses). An
// address nothing matches is Residential when its street has a house
// number, else Unknown. An apartment ("Apt 4B") is not a mailbox, and a
// home on "Box Elder Street" is not a PO box.
func Classify(a event.Address) Class {
	if r, ok := Match(a); ok {
		return r.Class
	}
	for _, w := range strings.Fields(a.Street + " " + Parse(a.Formatted).Street) {
		if unicode.IsDigit(rune(w[0])) {
			return Residential
		}
	}
	return Unknown
}

// Match returns the first rule that matches the street line or the
// free-text form of a.
func Match(a event.Address) (Rule, bool) {
	for _, line := range []string{a.Street, a.Formatted} {
		if r, ok := MatchLine(line); ok {
			return r, true
		}
	}
	return Rule{}, false
}

// MatchLine returns the first rule that matches one line of text (a street
// line, a recipient line such as "Jane Doe c/o Acme Freight", or a whole
// address). The line is lower-cased and punctuation except '#', '/' and
// '&' becomes a space ("P.O. Box" → "p o box", "MyUS.com" → "myus com").
func MatchLine(line string) (Rule, bool) {
	if strings.TrimSpace(line) == "" {
		return Rule{}, false
	}
	text := foldForMatch(line)
	for _, r := range rules {
		if r.re.MatchString(text) {
			return r, true
		}
	}
	return Rule{}, false
}

func foldForMatch(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#' || r == '/' || r == '&':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

var classes = map[Class]bool{POBox: true, MailForwarder: true, Commercial: true}

// parseRules reads patterns.csv: a header, then class,pattern,reason,source.
func parseRules(data []byte) ([]Rule, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = 4
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("address patterns: header: %w", err)
	}
	if strings.Join(header, ",") != "class,pattern,reason,source" {
		return nil, fmt.Errorf("address patterns: header %q, want class,pattern,reason,source", strings.Join(header, ","))
	}
	var out []Rule
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("address patterns: %w", err)
		}
		line, _ := r.FieldPos(0)
		c := Class(strings.TrimSpace(rec[0]))
		if !classes[c] {
			return nil, fmt.Errorf("address patterns: line %d: class %q is not po_box, mail_forwarder or commercial", line, c)
		}
		re, err := regexp.Compile(rec[1])
		if err != nil {
			return nil, fmt.Errorf("address patterns: line %d: pattern %q: %w", line, rec[1], err)
		}
		if strings.TrimSpace(rec[2]) == "" || strings.TrimSpace(rec[3]) == "" {
			return nil, fmt.Errorf("address patterns: line %d: reason and source are required", line)
		}
		out = append(out, Rule{Class: c, Pattern: rec[1], Reason: rec[2], Source: rec[3], re: re})
	}
}

func mustParseRules(data []byte) []Rule {
	rs, err := parseRules(data)
	if err != nil {
		panic(err) // the embedded file is part of the build; TestRulesParse guards it
	}
	return rs
}
