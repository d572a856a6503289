package resumes

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxDocxPart bounds how much of one decompressed part of a .docx is read,
// against zip bombs: a résumé's document.xml is well under a megabyte.
const maxDocxPart = 16 << 20

// docxText extracts the text of a Word (.docx) package with the standard
// library: the w:t runs of word/document.xml, a newline per paragraph
// (w:p) and line break (w:br, w:cr), a tab for w:tab; the date from
// docProps/core.xml.
func docxText(data []byte) (Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Document{}, fmt.Errorf("damaged Word document or zip archive: %s", clip(err.Error()))
	}
	var doc Document
	var body, core *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			body = f
		case "docProps/core.xml":
			core = f
		}
	}
	if body == nil {
		return Document{}, errors.New("a zip archive without a Word document in it (only .docx packages are read)")
	}
	if doc.Text, err = docxBody(body); err != nil {
		return Document{}, err
	}
	if core != nil {
		doc.Date = docxDate(core)
	}
	return doc, nil
}

func openPart(f *zip.File) (io.ReadCloser, error) {
	if f.Flags&0x1 != 0 {
		return nil, errors.New("encrypted Word document: remove the password and save it again")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("damaged Word document: %s: %s", f.Name, clip(err.Error()))
	}
	return rc, nil
}

// docxBody reads the text of word/document.xml.
func docxBody(f *zip.File) (string, error) {
	rc, err := openPart(f)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxDocxPart))
	dec.Strict = false
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if b.Len() > 0 {
				break // keep what was read before the damage
			}
			return "", fmt.Errorf("damaged Word document: word/document.xml: %s", clip(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}

// docxDate reads dcterms:modified, else dcterms:created, from
// docProps/core.xml; the zero time when neither is readable.
func docxDate(f *zip.File) time.Time {
	rc, err := openPart(f)
	if err != nil {
		return time.Time{}
	}
	defer rc.Close()
	var props struct {
		Created  string `xml:"created"`
		Modified string `xml:"modified"`
	}
	if xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&props) != nil {
		return time.Time{}
	}
	for _, s := range []string{props.Modified, props.Created} {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil && t.Year() >= 1990 && t.Year() <= 2100 {
			return t.UTC()
		}
	}
	return time.Time{}
}
