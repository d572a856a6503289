package watchlist

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/enrich/device"
	"github.com/rollcall/rollcall/internal/enrich/email"
	"github.com/rollcall/rollcall/internal/enrich/phone"
	"github.com/rollcall/rollcall/internal/policy"
)

// Header is the watchlist CSV header. added is an RFC 3339 time or a date
// (YYYY-MM-DD); case and person may be empty in an imported list.
var Header = []string{"kind", "value", "case", "person", "added"}

// Read reads a watchlist in either form rollcall exchanges: a STIX 2.1
// bundle (JSON, recognised by its first character) or the CSV of ReadCSV.
func Read(r io.Reader, name string) (*Imported, error) {
	br := bufio.NewReader(r)
	for {
		b, err := br.Peek(1)
		if err != nil || (b[0] != ' ' && b[0] != '\t' && b[0] != '\r' && b[0] != '\n') {
			break
		}
		_, _ = br.ReadByte() //nolint:errcheck // Peek said it is there
	}
	if b, err := br.Peek(1); err == nil && (b[0] == '{' || b[0] == '[') {
		return ReadSTIX(br, name)
	}
	entries, err := ReadCSV(br, name)
	if err != nil {
		return nil, err
	}
	return &Imported{Entries: entries}, nil
}

// Canonical puts a watchlist value in the form rollcall compares, the one
// watchlist.Of extracts: a phone number's key (its last ten digits, however
// it is written), a canonical mailbox, a device serial's key, lower-case
// payout fingerprints and GitHub handles, an IP address's text form; ""
// when the value cannot be compared (a placeholder serial, a phone with too
// few digits, an unparsable IP or mailbox). Addresses are rollcall's
// address keys and pass unchanged.
func Canonical(kind, value string) string {
	v := strings.TrimSpace(value)
	switch kind {
	case policy.BurnedPhone:
		if k := phone.Key(v); k != "" && !phone.Placeholder(k) {
			return k
		}
		return ""
	case policy.BurnedEmail:
		return email.Canonical(v)
	case policy.BurnedDevice:
		return device.SerialKey(v)
	case policy.BurnedIP:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return ""
		}
		return a.Unmap().String()
	case policy.BurnedPayout, policy.BurnedGitHub:
		return strings.ToLower(v)
	}
	return v
}

// ReadCSV reads a watchlist CSV; name is the file name errors cite. The
// header must be Header (columns in that order); kinds are lower-cased and
// values put in the form rollcall compares (Canonical); a row with an unknown kind, no value or a bad time is an
// error naming its line and field. Duplicate rows are kept once.
func ReadCSV(r io.Reader, name string) ([]policy.Burned, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // the header is checked below, with a clearer message
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("watchlist %q: empty file, want the header %s", name, strings.Join(Header, ","))
	}
	if err != nil {
		return nil, fmt.Errorf("watchlist %q: %w", name, err)
	}
	for i := range head {
		head[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(head[i], "\ufeff")))
	}
	if !slices.Equal(head, Header) {
		return nil, fmt.Errorf("watchlist %q line 1: header %q, want %s", name, strings.Join(head, ","), strings.Join(Header, ","))
	}
	cr.FieldsPerRecord = len(Header)
	var out []policy.Burned
	seen := map[policy.Burned]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("watchlist %q: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		b := policy.Burned{
			Kind:   strings.ToLower(strings.TrimSpace(rec[0])),
			Value:  strings.TrimSpace(rec[1]),
			Case:   strings.TrimSpace(rec[2]),
			Person: strings.TrimSpace(rec[3]),
		}
		if !slices.Contains(policy.BurnedKinds, b.Kind) {
			return nil, fmt.Errorf("watchlist %q line %d field kind: %q, want one of %s", name, line, rec[0], strings.Join(policy.BurnedKinds, ", "))
		}
		if b.Value == "" {
			return nil, fmt.Errorf("watchlist %q line %d field value: empty", name, line)
		}
		if b.Value = Canonical(b.Kind, b.Value); b.Value == "" {
			return nil, fmt.Errorf("watchlist %q line %d field value: %q is no %s rollcall can compare", name, line, rec[1], b.Kind)
		}
		if s := strings.TrimSpace(rec[4]); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				if t, err = time.Parse(time.DateOnly, s); err != nil {
					return nil, fmt.Errorf("watchlist %q line %d field added: %q is neither an RFC 3339 time nor a date: %w", name, line, s, err)
				}
			}
			b.Added = t.UTC()
		}
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
}

// WriteCSV writes entries as a watchlist CSV that ReadCSV reads back.
func WriteCSV(w io.Writer, entries []policy.Burned) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return fmt.Errorf("watchlist csv: %w", err)
	}
	for _, b := range entries {
		added := ""
		if !b.Added.IsZero() {
			added = b.Added.UTC().Format(time.RFC3339)
		}
		if err := cw.Write([]string{b.Kind, b.Value, b.Case, b.Person, added}); err != nil {
			return fmt.Errorf("watchlist csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("watchlist csv: %w", err)
	}
	return nil
}
