package resumes

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Document is the text of one résumé file and its date when the file
// records one (PDF ModDate/CreationDate, .docx dcterms:modified/created).
type Document struct {
	Text string
	Date time.Time
}

// minTextRunes is the fewest letters and digits a résumé must yield: less
// is a scanned image, an empty template or a broken extraction.
const minTextRunes = 20

// Extract returns the text of a résumé document, telling its kind from
// the content (%PDF-, a zip holding word/, else text) and, for text whose
// content is ambiguous, from the name. Errors say why no text could be
// had, in words an analyst can act on.
func Extract(name string, data []byte) (Document, error) {
	var (
		doc Document
		err error
	)
	switch kindOf(data) {
	case kindPDF, kindDOCX, kindZip:
		doc, err = extractBinary(data) // in a bounded child process (sandbox.go)
	default:
		doc.Text, err = plainText(data)
	}
	if err != nil {
		return Document{}, err
	}
	doc.Text = tidy(doc.Text)
	if n := countAlnum(doc.Text); n < minTextRunes {
		return Document{}, fmt.Errorf("no text could be extracted (%d letters): a scanned image or an empty document; OCR it to text first", n)
	}
	return doc, nil
}

// plainText decodes a text file: UTF-8 (with or without a byte-order
// mark), UTF-16 with a byte-order mark, else Windows-1252 (which decodes
// Latin-1 too). Content with NUL or many control bytes is not text.
func plainText(data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		dec := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", fmt.Errorf("undecodable UTF-16 text: %w", err)
		}
		return string(out), nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(data, 0) >= 0 || controlShare(data) > 0.05 {
		return "", errors.New("not a text document (binary content); résumés are read from .txt, .pdf and .docx")
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("undecodable text: %w", err)
	}
	return string(out), nil
}

// controlShare is the share of bytes that are control characters other
// than tab, newline, carriage return and form feed.
func controlShare(data []byte) float64 {
	if len(data) == 0 {
		return 0
	}
	n := 0
	for _, b := range data {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' {
			n++
		}
	}
	return float64(n) / float64(len(data))
}

// tidy normalises extracted text: valid UTF-8, \n line ends, no control
// characters, no trailing spaces, at most one blank line in a row.
func tidy(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.Map(func(r rune) rune {
			switch {
			case r == '\t' || r == '\f' || r == '\u00a0':
				return ' '
			case unicode.IsControl(r) || r == '\ufeff':
				return -1
			}
			return r
		}, line)
		line = strings.TrimRight(line, " ")
		if strings.TrimSpace(line) == "" {
			blank++
			if blank > 1 || b.Len() == 0 {
				continue
			}
		} else {
			blank = 0
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

func countAlnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
