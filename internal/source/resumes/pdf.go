package resumes

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// maxPDFPages bounds the pages read from one PDF: a résumé is a few pages;
// a thousand-page file is not one and would only cost time.
const maxPDFPages = 50

// pdfTimeout bounds one PDF's extraction. The PDF library has no way to
// stop a parse; a file that takes longer is rejected and its parse is
// left to finish (or spin) on its own goroutine.
var pdfTimeout = 20 * time.Second

// extractPDF is pdfExtract; tests replace it to exercise the timeout.
var extractPDF = pdfExtract

// pdfText extracts the text of a PDF, after checks that keep hostile files
// from exhausting memory or looping (pdfSane, pageValues), on a goroutine
// bounded by pdfTimeout.
func pdfText(data []byte) (Document, error) {
	if err := pdfSane(data); err != nil {
		return Document{}, err
	}
	type result struct {
		doc Document
		err error
	}
	done := make(chan result, 1)
	extract, limit := extractPDF, pdfTimeout
	go func() {
		doc, err := extract(data)
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		return r.doc, r.err
	case <-time.After(limit):
		return Document{}, fmt.Errorf("PDF too complex or malformed: no text after %v", limit)
	}
}

// pdfExtract reads the pages' text, rebuilding lines from glyph positions:
// a new line where the baseline moves, a space where a gap is wider than a
// quarter of the font size. The PDF library signals malformed input by
// panicking; those panics are recovered here and become the document's
// rejection reason.
func pdfExtract(data []byte) (doc Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = Document{}, fmt.Errorf("damaged PDF: %v", clip(fmt.Sprint(r)))
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if strings.Contains(err.Error(), "password") || errors.Is(err, pdf.ErrInvalidPassword) {
			return Document{}, errors.New("encrypted PDF: remove the password and export it again")
		}
		return Document{}, fmt.Errorf("unreadable PDF: %s", clip(err.Error()))
	}
	pages, err := pageValues(r.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return Document{}, err
	}
	if len(pages) == 0 {
		return Document{}, errors.New("unreadable PDF: no pages")
	}
	var b strings.Builder
	for _, v := range pages {
		writeGlyphs(&b, pdf.Page{V: v}.Content().Text)
		b.WriteString("\n\n")
	}
	doc.Text = b.String()
	info := r.Trailer().Key("Info")
	for _, k := range []string{"ModDate", "CreationDate"} {
		if t, ok := pdfDate(info.Key(k).Text()); ok {
			doc.Date = t
			break
		}
	}
	return doc, nil
}

// Page-tree bounds: a résumé has a few pages; a deeper or larger tree, or
// a Parent chain that does not end, is malformed or hostile (the library's
// own page lookup loops forever on a cycle).
const (
	maxTreeDepth  = 32
	maxTreeNodes  = 2000
	maxParentHops = 64
)

// pageValues lists the page objects of a page tree in order, at most
// maxPDFPages, refusing cyclic or oversized trees.
func pageValues(root pdf.Value) ([]pdf.Value, error) {
	var pages []pdf.Value
	nodes := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		nodes++
		if depth > maxTreeDepth || nodes > maxTreeNodes {
			return errors.New("malformed PDF: page tree too deep or too large (cyclic?)")
		}
		switch v.Key("Type").Name() {
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len() && len(pages) < maxPDFPages; i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
		case "Page":
			hops := 0
			for p := v.Key("Parent"); !p.IsNull(); p = p.Key("Parent") {
				if hops++; hops > maxParentHops {
					return errors.New("malformed PDF: page Parent chain does not end (cyclic)")
				}
			}
			pages = append(pages, v)
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// Structural bounds checked before the PDF library sees a file: object
// numbers and cross-reference sizes that would make it allocate gigabytes,
// and nesting that would exhaust the stack.
var (
	xrefHeader    = regexp.MustCompile(`(?m)^[ \t]*(\d{1,15})[ \t]+(\d{1,15})[ \t]*\r?$`)
	sizeEntry     = regexp.MustCompile(`/Size\s+(\d{1,15})`)
	widthsEntry   = regexp.MustCompile(`/W\s*\[\s*(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})`)
	indexEntry    = regexp.MustCompile(`/Index\s*\[([\d\s]{0,1000})\]`)
	streamSection = regexp.MustCompile(`(?s)stream\r?\n.*?endstream`)
)

const maxPDFNesting = 256

// pdfSane rejects files whose cross-reference data claims more objects than
// a file of this size can hold (the library allocates a table entry per
// object number), over-wide cross-reference streams, and arrays or
// dictionaries nested deeper than maxPDFNesting outside streams.
func pdfSane(data []byte) error {
	limit := min(int64(len(data))*16+1024, 1_000_000)
	bad := errors.New("malformed PDF: cross-reference data claims more objects than the file can hold")
	outside := streamSection.ReplaceAll(data, nil)
	for _, m := range xrefHeader.FindAllSubmatch(outside, -1) {
		if atoi(m[1])+atoi(m[2]) > limit {
			return bad
		}
	}
	for _, m := range sizeEntry.FindAllSubmatch(outside, -1) {
		if atoi(m[1]) > limit {
			return bad
		}
	}
	for _, m := range widthsEntry.FindAllSubmatch(outside, -1) {
		for _, w := range m[1:] {
			if atoi(w) > 8 {
				return errors.New("malformed PDF: cross-reference stream field wider than 8 bytes")
			}
		}
	}
	for _, m := range indexEntry.FindAllSubmatch(outside, -1) {
		f := strings.Fields(string(m[1]))
		for i := 0; i+1 < len(f); i += 2 {
			if atoi([]byte(f[i]))+atoi([]byte(f[i+1])) > limit {
				return bad
			}
		}
	}
	depth := 0
	for i := 0; i < len(outside); i++ {
		switch c := outside[i]; {
		case c == '[' || c == '<' && i+1 < len(outside) && outside[i+1] == '<':
			if depth++; depth > maxPDFNesting {
				return errors.New("malformed PDF: arrays or dictionaries nested too deeply")
			}
			if c == '<' {
				i++
			}
		case c == ']' || c == '>' && i+1 < len(outside) && outside[i+1] == '>':
			depth = max(0, depth-1)
			if c == '>' {
				i++
			}
		}
	}
	return nil
}

func atoi(b []byte) int64 {
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return math.MaxInt64 / 4
	}
	return v
}

// writeGlyphs writes glyphs in content order, starting a new line when
// the baseline moves by more than half the font size (a blank line when it
// moves by more than two lines) and adding a space where the gap from the
// previous glyph is wider than a quarter of the font size.
func writeGlyphs(b *strings.Builder, glyphs []pdf.Text) {
	var prev *pdf.Text
	for i := range glyphs {
		g := &glyphs[i]
		if g.S == "" {
			continue
		}
		if prev != nil {
			size := math.Max(math.Abs(g.FontSize), 1)
			switch dy := math.Abs(g.Y - prev.Y); {
			case dy > size*2:
				b.WriteString("\n\n") // a skipped line: paragraph or section break
			case dy > size/2:
				b.WriteByte('\n')
			case g.X-(prev.X+prev.W) > size/4 && prev.S != " " && g.S != " ":
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.S)
		prev = g
	}
}

// pdfDate parses a PDF date string: D:YYYYMMDDHHmmSS with an optional
// offset (Z, +HH'mm'); missing trailing parts default.
func pdfDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 8 {
		return time.Time{}, false
	}
	digits := s
	if i := strings.IndexAny(s, "Zz+-'"); i >= 0 {
		digits = s[:i]
	}
	layouts := map[int]string{8: "20060102", 10: "2006010215", 12: "200601021504", 14: "20060102150405"}
	layout, ok := layouts[len(digits)]
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(layout, digits)
	if err != nil || t.Year() < 1990 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func clip(s string) string {
	const limit = 120
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
