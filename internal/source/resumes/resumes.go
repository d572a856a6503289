// Package resumes reads résumé documents: plain text (.txt), PDF and Word
// (.docx) files, one document per candidate.
//
// The unit of the format is a folder (source.DirFormat): a directory
// whose files are named <candidate_id>.<ext> (Greenhouse candidate ids are
// integers: 4481207.pdf), or that holds a manifest.csv with the header
// file,candidate_id mapping file names to candidate ids (any id form), or
// that is itself named resumes, résumés, cv or cvs. Every file in such a
// folder is one record: an event.KindResume event with the extracted text,
// or a rejection saying why not (no candidate id, no extractable text, an
// encrypted or damaged PDF…). Nothing is dropped.
//
// PDF and .docx content is also recognised by Sniff (%PDF- and a zip
// holding word/), so that a single résumé named on the command line is
// read; plain text cannot be told from other text by content, so a lone
// .txt needs --input resumes=FILE or a résumé folder.
package resumes

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "resumes"

// MaxDocumentSize bounds one résumé file. Larger files are rejected
// unread: a résumé is a few pages.
const MaxDocumentSize = 32 << 20

// Format is the résumé documents format.
type Format struct{}

var (
	_ source.Format    = (*Format)(nil)
	_ source.DirFormat = (*Format)(nil)
)

// New returns the résumé documents format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "résumé documents (.txt, .pdf, .docx) in a folder, named <candidate_id>.<ext> or listed in manifest.csv (file,candidate_id)"
}

// Sniff claims PDF documents and Word (.docx) packages. Plain text is
// claimed only through a résumé folder (ClaimDir) or --input.
func (*Format) Sniff(head []byte) bool {
	return kindOf(head) == kindPDF || kindOf(head) == kindDOCX
}

// Decode reads one document; the candidate id comes from the file name
// (<candidate_id>.<ext>).
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	id, ok := candidateFromName(file)
	if !ok {
		data, _, err := readDocument(r)
		if err != nil {
			return err
		}
		sink.Reject(source.Rejection{File: file, Record: 1, Field: "candidate_id", Reason: noCandidateReason(file, data)})
		return nil
	}
	return decodeDocument(r, file, id, sink)
}

// decodeDocument reads one document from r and delivers it as candidate
// id's résumé, or a rejection.
func decodeDocument(r io.Reader, file, id string, sink source.Sink) error {
	data, tooLarge, err := readDocument(r)
	if err != nil {
		return err
	}
	if tooLarge {
		sink.Reject(source.Rejection{File: file, Record: 1, Reason: fmt.Sprintf("document larger than %d bytes", MaxDocumentSize)})
		return nil
	}
	doc, err := Extract(file, data)
	if err != nil {
		sink.Reject(source.Rejection{File: file, Record: 1, Reason: err.Error()})
		return nil
	}
	sink.Event(&event.Event{
		Kind:   event.KindResume,
		Time:   doc.Date,
		Prov:   event.Provenance{Origin: &event.Origin{Source: ID, File: file}, Record: 1, ID: id, Hash: source.RecordHash(data)},
		Resume: &event.Resume{CandidateID: id, Text: doc.Text},
	})
	return nil
}

// readDocument reads a whole document, up to MaxDocumentSize bytes.
func readDocument(r io.Reader) (data []byte, tooLarge bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, false, fmt.Errorf("reading document: %w", err)
	}
	if len(data) > MaxDocumentSize {
		return nil, true, nil
	}
	return data, false, nil
}

// numericID is a Greenhouse candidate id as a file name stem.
var numericID = regexp.MustCompile(`^[0-9]{1,20}$`)

// documentExts are the extensions of résumé files, lower case.
var documentExts = map[string]bool{".pdf": true, ".docx": true, ".txt": true}

// stem returns a file's base name without a trailing .gz and its document
// extension, and that extension lower-cased ("" when it has none of
// documentExts).
func stem(file string) (name, ext string) {
	base := filepath.Base(file)
	if strings.HasSuffix(strings.ToLower(base), ".gz") {
		base = base[:len(base)-3]
	}
	ext = strings.ToLower(filepath.Ext(base))
	if !documentExts[ext] {
		return base, ""
	}
	return base[:len(base)-len(ext)], ext
}

// candidateFromName returns the candidate id a file name gives: the stem
// of <digits>.<ext>.
func candidateFromName(file string) (string, bool) {
	name, _ := stem(file)
	if numericID.MatchString(name) {
		return name, true
	}
	return "", false
}

func noCandidateReason(file string, data []byte) string {
	what := "document"
	switch kindOf(data) {
	case kindPDF:
		what = "PDF"
	case kindDOCX:
		what = "Word document"
	}
	return fmt.Sprintf("cannot tell whose résumé this %s is: name the file <candidate_id>%s (e.g. 4481207%s) or list it in a manifest.csv (file,candidate_id) beside it",
		what, extFor(file, data), extFor(file, data))
}

func extFor(file string, data []byte) string {
	if _, ext := stem(file); ext != "" {
		return ext
	}
	switch kindOf(data) {
	case kindPDF:
		return ".pdf"
	case kindDOCX:
		return ".docx"
	}
	return ".txt"
}

// docKind is what a document's content is.
type docKind int

const (
	kindText docKind = iota
	kindPDF
	kindDOCX
	kindZip // a zip that is not a Word package
)

var zipMagic = []byte("PK\x03\x04")

// kindOf tells a document's kind from its first bytes.
func kindOf(head []byte) docKind {
	if i := bytes.Index(head[:min(len(head), 1024)], []byte("%PDF-")); i >= 0 {
		return kindPDF
	}
	if bytes.HasPrefix(head, zipMagic) {
		if bytes.Contains(head, []byte("word/")) {
			return kindDOCX
		}
		return kindZip
	}
	return kindText
}
