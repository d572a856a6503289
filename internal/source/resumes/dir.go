package resumes

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rollcall/rollcall/internal/source"
)

// ManifestName is the file that maps résumé files to candidate ids.
const ManifestName = "manifest.csv"

// manifestColumns are the manifest's required header columns.
var manifestColumns = []string{"file", "candidate_id"}

// folderNames are directory names that declare a résumé folder.
var folderNames = map[string]bool{"resumes": true, "résumés": true, "resumés": true, "cv": true, "cvs": true}

// ClaimDir implements source.DirFormat. A directory is a résumé folder when
// it has a manifest.csv whose header names file and candidate_id; or when
// every regular, non-hidden file in it is named <digits>.pdf, .docx or
// .txt (optionally .gz); or when it is named resumes, résumés, cv or cvs
// and holds at least one .pdf, .docx or .txt file.
func (*Format) ClaimDir(dir string, entries []fs.DirEntry) bool {
	files := regularFiles(entries)
	if len(files) == 0 {
		return false
	}
	for _, name := range files {
		if strings.EqualFold(name, ManifestName) && manifestHeader(filepath.Join(dir, name)) {
			return true
		}
	}
	byName := true
	anyDocument := false
	for _, name := range files {
		if _, ext := stem(name); ext != "" {
			anyDocument = true
		}
		if _, ok := candidateFromName(name); !ok || !hasDocumentExt(name) {
			byName = false
		}
	}
	if byName {
		return true
	}
	return anyDocument && folderNames[strings.ToLower(filepath.Base(filepath.Clean(dir)))]
}

func hasDocumentExt(name string) bool {
	_, ext := stem(name)
	return ext != ""
}

// regularFiles lists the names of regular, non-hidden files.
func regularFiles(entries []fs.DirEntry) []string {
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !e.Type().IsRegular() {
			continue
		}
		out = append(out, e.Name())
	}
	return out
}

// manifestHeader reports whether the file's first line is a CSV header with
// the manifest's columns.
func manifestHeader(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false
	}
	header, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return false
	}
	return hasColumns(header)
}

func hasColumns(header []string) bool {
	for _, want := range manifestColumns {
		if !slices.ContainsFunc(header, func(h string) bool { return normHeader(h) == want }) {
			return false
		}
	}
	return true
}

func normHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

// DecodeDir implements source.DirFormat: every regular, non-hidden file
// directly in dir except the manifest is one résumé (or one rejection);
// each manifest row naming a file that is not there is a rejection on the
// manifest.
func (*Format) DecodeDir(ctx context.Context, dir string, sink source.Sink) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("reading résumé folder: %w", err)
	}
	files := regularFiles(entries)
	slices.Sort(files)
	var m *manifest
	for _, name := range files {
		if strings.EqualFold(name, ManifestName) {
			if m, err = readManifest(filepath.Join(dir, name), sink); err != nil {
				return err
			}
		}
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		if strings.EqualFold(name, ManifestName) && m != nil {
			continue
		}
		id, ok := m.candidate(name)
		if !ok {
			id, ok = candidateFromName(name)
		}
		if !ok {
			data, err := readFile(path)
			if err != nil {
				sink.Reject(source.Rejection{File: path, Record: 1, Reason: err.Error()})
				continue
			}
			sink.Reject(source.Rejection{File: path, Record: 1, Field: "candidate_id", Reason: noCandidateReason(path, data)})
			continue
		}
		if err := decodeFile(path, id, sink); err != nil {
			sink.Reject(source.Rejection{File: path, Record: 1, Reason: err.Error()})
		}
	}
	if m != nil {
		for _, row := range m.rows {
			if !slices.Contains(files, row.file) {
				sink.Reject(source.Rejection{File: m.path, Line: row.line, Record: row.record, Field: "file",
					Reason: fmt.Sprintf("no file %q in the folder", clip(row.file))})
			}
		}
	}
	return nil
}

// decodeFile opens a document (undoing gzip) and decodes it.
func decodeFile(path, id string, sink source.Sink) error {
	f, err := source.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return decodeDocument(f, path, id, sink)
}

func readFile(path string) ([]byte, error) {
	f, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, tooLarge, err := readDocument(f)
	if tooLarge {
		return nil, fmt.Errorf("document larger than %d bytes", MaxDocumentSize)
	}
	return data, err
}

// manifest maps file names to candidate ids.
type manifest struct {
	path string
	ids  map[string]string
	rows []manifestRow
}

type manifestRow struct {
	file   string
	line   int
	record int
}

func (m *manifest) candidate(name string) (string, bool) {
	if m == nil {
		return "", false
	}
	id, ok := m.ids[name]
	return id, ok
}

// readManifest reads manifest.csv. Its rows are not records of their own
// (the documents are); a bad row is rejected on the manifest, with its
// line, and the document it names is then read as if unlisted.
func readManifest(path string, sink source.Sink) (*manifest, error) {
	f, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := &manifest{path: path, ids: map[string]string{}}
	cr := csv.NewReader(io.LimitReader(f, source.MaxRecordSize))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", path, err)
	}
	if !hasColumns(header) {
		return nil, fmt.Errorf("%s: header must have the columns %s", path, strings.Join(manifestColumns, ","))
	}
	col := map[string]int{}
	for i, h := range header {
		col[normHeader(h)] = i
	}
	for record := 1; ; record++ {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			sink.Reject(source.Rejection{File: path, Line: line, Record: record, Reason: "malformed CSV: " + err.Error()})
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				continue
			}
			break
		}
		get := func(name string) string {
			if i := col[name]; i < len(fields) {
				return strings.TrimSpace(fields[i])
			}
			return ""
		}
		file, id := get("file"), get("candidate_id")
		switch {
		case file == "" && id == "":
			continue
		case file == "":
			sink.Reject(source.Rejection{File: path, Line: line, Record: record, Field: "file", Reason: "missing"})
			continue
		case strings.ContainsAny(file, `/\`):
			sink.Reject(source.Rejection{File: path, Line: line, Record: record, Field: "file",
				Reason: fmt.Sprintf("%q is not a file name: list only files in the manifest's own folder", clip(file))})
			continue
		case id == "":
			sink.Reject(source.Rejection{File: path, Line: line, Record: record, Field: "candidate_id", Reason: "missing"})
			continue
		}
		if have, ok := m.ids[file]; ok {
			if have != id {
				sink.Reject(source.Rejection{File: path, Line: line, Record: record, Field: "candidate_id",
					Reason: fmt.Sprintf("%q is listed twice, for candidates %q and %q; the first is used", clip(file), clip(have), clip(id))})
			}
			continue
		}
		m.ids[file] = id
		m.rows = append(m.rows, manifestRow{file: file, line: line, record: record})
	}
	return m, nil
}
