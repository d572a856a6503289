package resumes

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// maxPDFPages bounds the pages read from one PDF: a résumé is a few pages;
// a thousand-page file is not one and would only cost time.
const maxPDFPages = 50

// pdfText extracts the text of a PDF, page by page, rebuilding lines from
// glyph positions: a new line where the baseline moves, a space where a gap
// is wider than a quarter of the font size. The PDF library signals
// malformed input by panicking; those panics are recovered here and
// become the document's rejection reason.
func pdfText(data []byte) (doc Document, err error) {
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
	n := r.NumPage()
	if n <= 0 {
		return Document{}, errors.New("unreadable PDF: no pages")
	}
	var b strings.Builder
	for i := 1; i <= min(n, maxPDFPages); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		writeGlyphs(&b, p.Content().Text)
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
