package event

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"
	"sort"
)

// Columns is the sorted column names of osquery result rows. Rows with the
// same columns share one Columns, so a row holds only its values.
type Columns struct {
	names []string
}

// NewColumns returns the column set of names, which must be sorted and
// unique.
func NewColumns(names []string) *Columns { return &Columns{names: names} }

// Names returns the column names in order. The caller must not modify it.
func (c *Columns) Names() []string { return c.names }

// Row is one osquery result row: its values in the order of its (shared)
// column names, which are sorted. The zero Row is a missing row (JSON null).
// It replaces a map[string]string per row, which cost about six times as
// much memory.
type Row struct {
	cols *Columns
	vals []string
}

// NewRow returns the row of the columns and values in m.
func NewRow(m map[string]string) Row {
	if m == nil {
		return Row{}
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	vals := make([]string, len(names))
	for i, k := range names {
		vals[i] = m[k]
	}
	return Row{cols: &Columns{names: names}, vals: vals}
}

// RowOf returns the row of cols holding vals (in the order of cols' names).
func RowOf(cols *Columns, vals []string) Row { return Row{cols: cols, vals: vals} }

// RowsOf returns a row for each map, for building events in code and tests.
func RowsOf(ms ...map[string]string) []Row {
	out := make([]Row, len(ms))
	for i, m := range ms {
		out[i] = NewRow(m)
	}
	return out
}

// Columns returns the row's column set (nil for the zero Row).
func (r Row) Columns() *Columns { return r.cols }

// Values returns the row's values in column order. The caller must not
// modify it.
func (r Row) Values() []string { return r.vals }

// IsNil reports whether r is the zero Row.
func (r Row) IsNil() bool { return r.cols == nil }

// Len is the number of columns.
func (r Row) Len() int { return len(r.vals) }

// index returns the position of column col, or -1.
func (r Row) index(col string) int {
	if r.cols == nil {
		return -1
	}
	names := r.cols.names
	if len(names) <= 8 {
		for i, n := range names {
			if n == col {
				return i
			}
		}
		return -1
	}
	if i, ok := slices.BinarySearch(names, col); ok {
		return i
	}
	return -1
}

// Get returns the value of column col, or "" when the row has none.
func (r Row) Get(col string) string {
	if i := r.index(col); i >= 0 {
		return r.vals[i]
	}
	return ""
}

// Lookup returns the value of column col and whether the row has it.
func (r Row) Lookup(col string) (string, bool) {
	if i := r.index(col); i >= 0 {
		return r.vals[i], true
	}
	return "", false
}

// All yields each column and its value in column (sorted) order.
func (r Row) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		if r.cols == nil {
			return
		}
		for i, n := range r.cols.names {
			if !yield(n, r.vals[i]) {
				return
			}
		}
	}
}

// Map returns the row as a new map.
func (r Row) Map() map[string]string {
	if r.cols == nil {
		return nil
	}
	m := make(map[string]string, len(r.vals))
	for k, v := range r.All() {
		m[k] = v
	}
	return m
}

// Set sets column col to v (adding the column when the row has none). It
// changes this Row only: rows that repeat share their values, so Set
// copies them first.
func (r *Row) Set(col, v string) {
	if i := r.index(col); i >= 0 {
		r.vals = slices.Clone(r.vals)
		r.vals[i] = v
		return
	}
	var names []string
	if r.cols != nil {
		names = r.cols.names
	}
	i, _ := slices.BinarySearch(names, col)
	r.cols = &Columns{names: slices.Insert(slices.Clone(names), i, col)}
	r.vals = slices.Insert(slices.Clone(r.vals), i, v)
}

// MarshalJSON writes the row as a JSON object with its columns in sorted
// order, exactly as encoding/json writes a map[string]string.
func (r Row) MarshalJSON() ([]byte, error) {
	if r.cols == nil {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, n := range r.cols.names {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := writeJSONString(&b, n); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := writeJSONString(&b, r.vals[i]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSONString(b *bytes.Buffer, s string) error {
	q, err := json.Marshal(s)
	if err != nil {
		return err
	}
	b.Write(q)
	return nil
}

// UnmarshalJSON reads a JSON object of string values (or null).
func (r *Row) UnmarshalJSON(data []byte) error {
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	*r = NewRow(m)
	return nil
}

// Equal reports whether r and o have the same columns and values (go-cmp
// uses it to compare events).
func (r Row) Equal(o Row) bool {
	if r.IsNil() || o.IsNil() {
		return r.IsNil() == o.IsNil()
	}
	return slices.Equal(r.cols.names, o.cols.names) && slices.Equal(r.vals, o.vals)
}
