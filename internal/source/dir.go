package source

import (
	"context"
	"fmt"
	"io/fs"
	"os"
)

// DirFormat is an optional interface of formats whose unit is a directory
// of documents rather than one stream of records: a folder of résumés
// named by candidate id, or listed in a manifest. The pipeline's directory
// walker asks DetectDir about every directory before it sniffs the files
// in it; the files directly in a claimed directory are then decoded
// together by DecodeDir and are not sniffed one by one (subdirectories are
// walked as usual).
//
// A DirFormat still implements Format: Decode reads one document, for a
// file named on the command line.
type DirFormat interface {
	Format
	// ClaimDir reports whether the directory dir, whose entries are as
	// os.ReadDir lists them, holds documents in this format. It must be
	// cheap (names, and at most the first line of one small file) and must
	// not claim a directory of ordinary exports.
	ClaimDir(dir string, entries []fs.DirEntry) bool
	// DecodeDir decodes every regular, non-hidden file directly in dir,
	// sending each document to sink as one event or one rejection whose
	// provenance names the document's own path (record 1). Nothing in the
	// directory is dropped silently. A returned error means the directory
	// could not be read; documents before it have been delivered.
	DecodeDir(ctx context.Context, dir string, sink Sink) error
}

// DetectDir returns the directory format among formats that claims dir, or
// nil when none does (or the directory cannot be listed: the walker then
// reports the files one by one). Several claimants is an error naming
// them.
func DetectDir(formats []Format, dir string) (DirFormat, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		// Unreadable: not claimed; the walker reports the problem itself.
		return nil, nil
	}
	var claimed []DirFormat
	for _, f := range formats {
		if df, ok := f.(DirFormat); ok && df.ClaimDir(dir, entries) {
			claimed = append(claimed, df)
		}
	}
	switch len(claimed) {
	case 0:
		return nil, nil
	case 1:
		return claimed[0], nil
	}
	ids := make([]string, len(claimed))
	for i, f := range claimed {
		ids[i] = f.ID()
	}
	return nil, fmt.Errorf("directory %q is claimed by several formats %v; choose one with --input FORMAT=PATH", dir, ids)
}
