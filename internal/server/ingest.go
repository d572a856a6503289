package server

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/source"
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

// Ingest decodes uploads with the same adapters and sniffing as scan,
// stores their events (records already stored are skipped), and queues an
// analysis. With wait, it returns after that analysis finished.
func (s *Server) Ingest(ctx context.Context, uploads []Upload, wait bool) (IngestResult, error) {
	var res IngestResult
	var ledger pipeline.Ledger
	for _, up := range uploads {
		f, fr, err := decodeUpload(ctx, up)
		if err != nil {
			return res, err
		}
		ledger.Add(fr)
		if f.Skipped == "" {
			n, err := s.cfg.Store.SaveEvents(ctx, fr.Events)
			if err != nil {
				return res, fmt.Errorf("ingest %q: %w", f.Name, err)
			}
			f.Inserted = n
			s.metrics.ingested.WithLabelValues(f.Format, "accepted").Add(float64(len(fr.Events)))
			s.metrics.ingested.WithLabelValues(f.Format, "rejected").Add(float64(len(fr.Rejected)))
		}
		res.Files = append(res.Files, f)
		res.Inserted += f.Inserted
	}
	_, res.Accepted, res.Rejected = ledger.Totals()
	rejected, skipped := ledger.Rejected, ledger.Skipped
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

// decodeUpload reads one upload through the engine's one ingest door
// (pipeline.Ingest). A file no format claims is skipped with the reason,
// not an error; so is a forced format that does not exist.
func decodeUpload(ctx context.Context, up Upload) (IngestFile, pipeline.FileResult, error) {
	f := IngestFile{Name: uploadName(up.Name)}
	if up.Local {
		f.Name = plain(up.Name)
	}
	res, err := pipeline.Ingest(ctx, pipeline.Body{Name: f.Name, Reader: up.Body, FormatID: up.Format}, nil)
	if err != nil {
		return f, res, fmt.Errorf("ingest %q: %w", f.Name, err)
	}
	f.Format = res.Format
	if res.Skipped != nil {
		f.Skipped = res.Skipped.Reason
		return f, res, nil
	}
	f.Accepted, f.Rejected = len(res.Events), len(res.Rejected)
	return f, res, nil
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
