package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/list"
)

// Upload is one file to ingest.
type Upload struct {
	Name   string // recorded as the file in provenance and evidence
	Format string // a format id to force, or "" to sniff the content
	Body   io.Reader
	// Local marks files the server read itself (--watch, --demo): Name is
	// kept as given instead of being recorded under "upload/".
	Local bool
}

// IngestFile is what became of one uploaded file.
type IngestFile struct {
	Name     string `json:"name"`
	Format   string `json:"format,omitempty"`
	Accepted int    `json:"accepted"`
	Inserted int    `json:"inserted"`
	Rejected int    `json:"rejected"`
	Skipped  string `json:"skipped,omitempty"` // why the file was not read
}

// IngestResult answers an ingest: counts per file and in all, and the
// first rejected records with their reasons.
type IngestResult struct {
	Files      []IngestFile       `json:"files"`
	Accepted   int                `json:"accepted"`
	Inserted   int                `json:"inserted"`
	Rejected   int                `json:"rejected"`
	Rejections []source.Rejection `json:"rejections"`
	Analysis   Status             `json:"analysis"`
}

// maxListedRejections bounds the rejections an ingest answer lists; the
// report keeps all of them.
const maxListedRejections = 100

// collect is a source.Sink that keeps everything.
type collect struct {
	events   []*event.Event
	rejected []source.Rejection
}

func (c *collect) Event(e *event.Event)      { c.events = append(c.events, e) }
func (c *collect) Reject(r source.Rejection) { c.rejected = append(c.rejected, r) }

// Ingest decodes uploads with the same adapters and sniffing as scan,
// stores their events (records already stored are skipped), and queues an
// analysis. With wait, it returns after that analysis finished.
func (s *Server) Ingest(ctx context.Context, uploads []Upload, wait bool) (IngestResult, error) {
	var res IngestResult
	var skipped []report.Skipped
	var rejected []source.Rejection
	for _, up := range uploads {
		f, events, rej, err := decodeUpload(ctx, up)
		if err != nil {
			return res, err
		}
		if f.Skipped == "" {
			n, err := s.cfg.Store.SaveEvents(ctx, events)
			if err != nil {
				return res, fmt.Errorf("ingest %q: %w", f.Name, err)
			}
			f.Inserted = n
			s.metrics.ingested.WithLabelValues(f.Format, "accepted").Add(float64(len(events)))
			s.metrics.ingested.WithLabelValues(f.Format, "rejected").Add(float64(len(rej)))
		} else {
			skipped = append(skipped, report.Skipped{File: f.Name, Reason: f.Skipped})
		}
		res.Files = append(res.Files, f)
		res.Accepted += f.Accepted
		res.Inserted += f.Inserted
		res.Rejected += f.Rejected
		rejected = append(rejected, rej...)
	}
	res.Rejections = rejected[:min(len(rejected), maxListedRejections)]
	if res.Rejections == nil {
		res.Rejections = []source.Rejection{}
	}
	s.analysis.addRejected(rejected, skipped)
	n := s.analysis.request()
	if wait {
		if err := s.analysis.waitFor(ctx, n); err != nil {
			return res, err
		}
	}
	res.Analysis = s.analysis.snapshot()
	return res, nil
}

// RequestAnalysis queues an analysis of the stored events without waiting
// for it (at start-up, over a database that 'rollcall scan --db' filled).
func (s *Server) RequestAnalysis() { s.analysis.request() }

// Analyse queues an analysis of the stored events and waits for it, for
// callers that changed what analysis reads (suppressions, the policy).
func (s *Server) Analyse(ctx context.Context) error {
	return s.analysis.waitFor(ctx, s.analysis.request())
}

// decodeUpload reads one upload. A file no format claims is skipped with
// the reason, not an error; so is a forced format that does not exist.
func decodeUpload(ctx context.Context, up Upload) (IngestFile, []*event.Event, []source.Rejection, error) {
	f := IngestFile{Name: uploadName(up.Name)}
	if up.Local {
		f.Name = plain(up.Name)
	}
	body := &readErr{r: up.Body}
	file, err := source.NewFile(f.Name, body)
	if err != nil {
		f.Skipped = err.Error()
		return f, nil, nil, nil
	}
	defer file.Close()
	var format source.Format
	if up.Format != "" {
		var ok bool
		if format, ok = list.ByID(up.Format); !ok {
			f.Skipped = fmt.Sprintf("unknown format %q: known formats are %s", up.Format, strings.Join(list.IDs(), ", "))
			return f, nil, nil, nil
		}
	} else {
		head, err := file.Head()
		if err != nil {
			return f, nil, nil, fmt.Errorf("ingest %q: %w", f.Name, err)
		}
		if format, err = list.Detect(head); err != nil {
			f.Skipped = err.Error()
			return f, nil, nil, nil
		}
	}
	f.Format = format.ID()
	c := &collect{}
	if err := format.Decode(ctx, file, f.Name, c); err != nil {
		if ctx.Err() != nil || body.err != nil {
			return f, nil, nil, fmt.Errorf("ingest %q: %w", f.Name, errors.Join(ctx.Err(), body.err))
		}
		// Records before the failure were delivered; the failure itself is
		// reported against the file, as scan does.
		c.rejected = append(c.rejected, source.Rejection{File: f.Name, Reason: fmt.Sprintf("%s: %v", format.ID(), err)})
	}
	f.Accepted, f.Rejected = len(c.events), len(c.rejected)
	return f, c.events, c.rejected, nil
}

// readErr remembers the first error other than io.EOF its reader gave, so
// that a broken or oversized upload fails the request instead of passing
// for a malformed record.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}

// uploadName is the name an upload is recorded under: the base name the
// client gave, cleaned, under "upload/" so that it cannot pass for a path
// on the server.
func uploadName(name string) string {
	name = plain(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if name == "" || name == "." || name == "/" {
		name = "unnamed"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return "upload/" + name
}
