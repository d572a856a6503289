package pipeline

import "github.com/rollcall/rollcall/internal/source"

// File is one file that a scan of some inputs reads.
type File struct {
	Path string
	// Format is the format forced with FORMAT=PATH; nil means sniff the
	// content (list.Detect).
	Format source.Format
	// Dir, when set, is the format that decodes Path, a directory, as a
	// whole (source.DirFormat.DecodeDir).
	Dir source.DirFormat
	// Explicit is true for a file named as an input rather than found in a
	// directory: a file in no known format is then an input error, not a
	// skipped file.
	Explicit bool
}

// Plan expands inputs into the files Scan reads, in the order it reads
// them (inputs in order, each directory's files sorted, hidden entries
// left out, directories a source.DirFormat claims as one File). Errors are InputErrors. Other readers of the same inputs, such
// as `rollcall publish`, use it to see the same files as a scan.
func Plan(inputs []Input) ([]File, error) {
	jobs, err := plan(inputs)
	if err != nil {
		return nil, err
	}
	files := make([]File, len(jobs))
	for i, j := range jobs {
		files[i] = File{Path: j.path, Format: j.format, Dir: j.dir, Explicit: j.explicit}
	}
	return files, nil
}
