package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/list"
)

// Input is one path to read: a file or a directory, optionally with a
// forced format id (--input FORMAT=PATH).
type Input struct {
	Path   string
	Format string
}

// ParseInput parses a command-line input: "PATH" or "FORMAT=PATH".
func ParseInput(arg string) (Input, error) {
	if i := strings.IndexByte(arg, '='); i > 0 {
		id := arg[:i]
		if _, ok := list.ByID(id); !ok {
			return Input{}, fmt.Errorf("unknown format %q in %q: known formats are %s", id, arg, strings.Join(formatIDs(), ", "))
		}
		return Input{Format: id, Path: arg[i+1:]}, nil
	}
	return Input{Path: arg}, nil
}

func formatIDs() []string {
	var ids []string
	for _, f := range list.Formats() {
		ids = append(ids, f.ID())
	}
	return ids
}

// InputError is an error in what the user asked to read (a missing file, an
// explicitly named file in no known format). The CLI exits 2 on it.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// job is one file to decode, or one directory of documents.
type job struct {
	path     string
	format   source.Format    // nil: sniff
	dir      source.DirFormat // set: path is a directory this format decodes as a whole
	explicit bool             // named on the command line rather than found in a directory
}

// fileResult is what decoding one file produced.
type fileResult struct {
	FileResult
	err error
}

// plan expands inputs into files, in a stable order.
func plan(inputs []Input) ([]job, error) {
	var jobs []job
	for _, in := range inputs {
		var forced source.Format
		if in.Format != "" {
			f, ok := list.ByID(in.Format)
			if !ok {
				return nil, &InputError{fmt.Errorf("unknown format %q: known formats are %s", in.Format, strings.Join(formatIDs(), ", "))}
			}
			forced = f
		}
		st, err := os.Stat(in.Path)
		if err != nil {
			return nil, &InputError{fmt.Errorf("input %q: %w", in.Path, err)}
		}
		if !st.IsDir() {
			jobs = append(jobs, job{path: in.Path, format: forced, explicit: true})
			continue
		}
		var found []job
		claimed := map[string]bool{} // directories a DirFormat decodes as a whole
		err = filepath.WalkDir(in.Path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if p != in.Path && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				df, err := dirFormat(forced, p)
				if err != nil {
					return err
				}
				if df != nil {
					claimed[p] = true
					found = append(found, job{path: p, dir: df})
				}
				return nil
			}
			if d.Type().IsRegular() && !claimed[filepath.Dir(p)] {
				found = append(found, job{path: p, format: forced})
			}
			return nil
		})
		if err != nil {
			return nil, &InputError{fmt.Errorf("reading directory %q: %w", in.Path, err)}
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		jobs = append(jobs, found...)
	}
	return jobs, nil
}

// dirFormat returns the directory format that decodes directory p as a
// whole (a résumé folder): the forced format when it is one, else the one
// source.DetectDir finds; nil when p is an ordinary directory.
func dirFormat(forced source.Format, p string) (source.DirFormat, error) {
	if forced != nil {
		df, _ := forced.(source.DirFormat)
		return df, nil
	}
	return source.DetectDir(list.Formats(), p)
}

// readAll decodes every file, several at a time, and returns the results in
// plan order so that output does not depend on scheduling.
// prog, when set, counts the bytes and records read.
func readAll(ctx context.Context, jobs []job, prog *Progress) ([]fileResult, error) {
	if prog != nil {
		prog.Begin("reading", UnitBytes, totalSize(jobs))
	}
	results := make([]fileResult, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = readOne(ctx, jobs[i], prog)
			}
		}()
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, r := range results {
		var ie *InputError
		if errors.As(r.err, &ie) {
			return nil, r.err
		}
	}
	return results, nil
}

func readOne(ctx context.Context, j job, prog *Progress) fileResult {
	b := Body{Name: j.path, Format: j.format, Dir: j.dir, Explicit: j.explicit}
	var onRecords func(int)
	if prog != nil {
		b.OnRead = func(n int) { prog.Add(int64(n)) }
		onRecords = func(n int) { prog.AddRecords(int64(n)) }
	}
	res, err := Ingest(ctx, b, onRecords)
	if err != nil {
		return fileResult{err: err}
	}
	if prog != nil && j.dir != nil {
		prog.Add(size(j)) // a directory format reads its files itself
	}
	return fileResult{FileResult: res}
}

// totalSize is the bytes the jobs will read, as stored on disk.
func totalSize(jobs []job) int64 {
	var n int64
	for _, j := range jobs {
		n += size(j)
	}
	return n
}

// size is the bytes of a job's file, or of every file under its
// directory; 0 for what cannot be read (reading it will say why).
func size(j job) int64 {
	if j.dir == nil {
		st, err := os.Stat(j.path)
		if err != nil {
			return 0
		}
		return st.Size()
	}
	var n int64
	filepath.WalkDir(j.path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// DetectFormats returns the format ids found among the inputs (sniffing
// only, nothing decoded), in registry order.
func DetectFormats(ctx context.Context, inputs []Input) ([]string, error) {
	jobs, err := plan(inputs)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o, err := Open(Body{Name: j.path, Format: j.format, Dir: j.dir})
		if err != nil {
			return nil, err
		}
		o.Close()
		if id := o.FormatID(); id != "" {
			seen[id] = true
		}
	}
	var ids []string
	for _, f := range list.Formats() {
		if seen[f.ID()] {
			ids = append(ids, f.ID())
		}
	}
	return ids, nil
}
