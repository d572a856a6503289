package link

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"
)

// WriteJSON writes {"clusters":[…],"stats":{…}} and, when withModel, the
// fitted model's m, u and weights.
func WriteJSON(w io.Writer, res *Result, withModel bool) error {
	out := struct {
		Clusters []Cluster `json:"clusters"`
		Stats    Stats     `json:"stats"`
		Model    *Model    `json:"model,omitempty"`
	}{Clusters: res.Clusters, Stats: res.Stats}
	if out.Clusters == nil {
		out.Clusters = []Cluster{}
	}
	if withModel {
		out.Model = res.Model
	}
	enc := gojson.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// WriteCSV writes one row per link: cluster, cluster size, the two
// records, the kind of link, its weight and probability, and the matched
// fields separated by ';'. Every member of a cluster is in one of its
// links.
func WriteCSV(w io.Writer, res *Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"cluster", "size", "a", "b", "kind", "weight", "probability", "matched"})
	for _, c := range res.Clusters {
		for _, l := range c.Links {
			matched := make([]string, len(l.Matched))
			for i, f := range l.Matched {
				matched[i] = string(f)
			}
			_ = cw.Write([]string{c.ID, strconv.Itoa(len(c.Members)), l.A, l.B, l.Kind,
				strconv.FormatFloat(l.Weight, 'f', 2, 64), strconv.FormatFloat(l.Probability, 'f', 4, 64),
				strings.Join(matched, ";")})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

// WriteRecordsCSV writes records as CSV with a header of field names, so
// that ReadCSV reads them back without a mapping. Multi-valued fields are
// joined with ';'.
func WriteRecordsCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(Fields))
	for i, f := range Fields {
		header[i] = string(f)
	}
	_ = cw.Write(header)
	row := make([]string, len(Fields))
	for _, r := range recs {
		for i, f := range Fields {
			switch f {
			case FieldEmail:
				row[i] = strings.Join(r.Emails, ";")
			case FieldPhone:
				row[i] = strings.Join(r.Phones, ";")
			case FieldURL:
				row[i] = strings.Join(r.URLs, ";")
			case FieldPayout:
				row[i] = strings.Join(r.Payouts, ";")
			default:
				row[i] = *r.single(f)
			}
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("writing records: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("writing records: %w", err)
	}
	return nil
}
