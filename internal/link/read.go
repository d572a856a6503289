package link

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rollcall/rollcall/internal/enrich/address"
	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/greenhouse"
)

// ReadCSV reads applicant records from CSV with a header row. m maps
// fields to header columns; nil maps the columns named like fields (see
// AutoMapping). Errors name the file, line and column.
func ReadCSV(r io.Reader, file string, m Mapping) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file, expected a header row", file)
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if m == nil {
		if m, err = AutoMapping(header); err != nil {
			return nil, fmt.Errorf("%s:1: %w", file, err)
		}
	}
	if len(m[FieldID]) == 0 { // a Mapping built by a caller rather than ParseMapping/AutoMapping
		return nil, fmt.Errorf("%s: the id field must be mapped (id=COLUMN)", file)
	}
	col := map[string]int{}
	for i, h := range header {
		if _, ok := col[strings.TrimSpace(h)]; !ok {
			col[strings.TrimSpace(h)] = i
		}
	}
	type source struct {
		field Field
		index int
	}
	var sources []source
	for _, f := range Fields {
		for _, name := range m[f] {
			i, ok := col[name]
			if !ok {
				return nil, fmt.Errorf("%s:1: no column %q for field %s (columns: %s)", file, name, f, strings.Join(header, ", "))
			}
			sources = append(sources, source{f, i})
		}
	}
	var recs []Record
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := cr.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		rec := Record{Ref: fmt.Sprintf("%s:%d", file, line)}
		for _, s := range sources {
			if s.index >= len(row) {
				return nil, fmt.Errorf("%s:%d: %d columns, expected at least %d (column %q for field %s)", file, line, len(row), s.index+1, header[s.index], s.field)
			}
			rec.set(s.field, row[s.index])
		}
		if rec.ID == "" {
			_, c := cr.FieldPos(sources[0].index)
			return nil, fmt.Errorf("%s:%d:%d: empty id (column %q)", file, line, c, m[FieldID][0])
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %w", file, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", file, err)
}

// ReadGreenhouse reads Greenhouse Harvest candidates (JSON array, NDJSON
// or one candidate) through the greenhouse adapter. The first rejected
// candidate is an error naming its line and field.
func ReadGreenhouse(ctx context.Context, r io.Reader, file string) ([]Record, error) {
	sink := &applicantSink{}
	if err := greenhouse.New().Decode(ctx, r, file, sink); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(sink.rejected) > 0 {
		rej := sink.rejected[0]
		more := ""
		if n := len(sink.rejected) - 1; n > 0 {
			more = fmt.Sprintf(" (and %d more rejected candidates)", n)
		}
		return nil, fmt.Errorf("%w%s", rej, more)
	}
	return sink.recs, nil
}

// applicantSink turns the adapter's applicant events into records.
type applicantSink struct {
	recs     []Record
	rejected []source.Rejection
}

func (s *applicantSink) Reject(r source.Rejection) { s.rejected = append(s.rejected, r) }

func (s *applicantSink) Event(e *event.Event) {
	a := e.Applicant
	if a == nil {
		return
	}
	rec := Record{
		ID: a.CandidateID, GivenName: a.FirstName, FamilyName: a.LastName,
		Emails: a.Emails, Phones: a.Phones, URLs: append(append([]string(nil), a.Websites...), a.SocialMedia...),
		Ref: fmt.Sprintf("%s:%d", e.Prov.File(), e.Prov.Line),
	}
	if len(a.Addresses) > 0 {
		ad := address.Parse(a.Addresses[0])
		rec.Address, rec.City, rec.Region, rec.Postcode, rec.Country = ad.Street, ad.Locality, ad.Region, ad.PostalCode, ad.Country
	}
	s.recs = append(s.recs, rec)
}
