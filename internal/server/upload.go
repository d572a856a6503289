package server

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http"

	"github.com/rollcall/rollcall/internal/profile"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/source"
	slist "github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/store"
)

// maxListedOnPage bounds the rejected records and unresolved accounts the
// data page lists.
const maxListedOnPage = 500

type uploadView struct {
	Formats       []string
	Result        *IngestResult
	Rejected      []source.Rejection
	RejectedTotal int
	Skipped       []report.Skipped
	Unresolved    []profile.Unresolved
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	s.showUpload(w, r, http.StatusOK, nil)
}

func (s *Server) showUpload(w http.ResponseWriter, r *http.Request, code int, res *IngestResult) {
	v := uploadView{Formats: slist.IDs(), Result: res}
	rep, err := s.savedReport(r.Context())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, false, err)
		return
	}
	if rep != nil {
		v.RejectedTotal = len(rep.Rejected)
		for _, x := range rep.Rejected[:min(len(rep.Rejected), maxListedOnPage)] {
			v.Rejected = append(v.Rejected, source.Rejection{File: plain(x.File), Line: x.Line, Record: x.Record,
				Field: cut(x.Field, 80), Reason: cut(x.Reason, 300)})
		}
		for _, x := range rep.SkippedFiles {
			v.Skipped = append(v.Skipped, report.Skipped{File: plain(x.File), Reason: cut(x.Reason, 300)})
		}
		for _, u := range rep.Unresolved[:min(len(rep.Unresolved), maxListedOnPage)] {
			u.Source, u.Account, u.Name = plain(u.Source), cut(u.Account, 120), cut(u.Name, 120)
			v.Unresolved = append(v.Unresolved, u)
		}
	}
	if res != nil {
		for i := range res.Files {
			res.Files[i].Skipped = cut(res.Files[i].Skipped, 300)
		}
	}
	s.render(w, r, code, "upload", "Data", "upload", v)
}

// upload ingests the files of a multipart form (field "file", repeatable;
// optional "format").
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	uploads, err := multipartUploads(r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, err.Error())
		return
	}
	res, err := s.Ingest(r.Context(), uploads, false)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.audit(r, "ingest", "upload", ingestDetail(res)) //nolint:errcheck // logged inside
	s.showUpload(w, r, http.StatusOK, &res)
}

// multipartUploads opens the files of a multipart form.
func multipartUploads(r *http.Request) ([]Upload, error) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errors.New("the upload is larger than the server accepts (--max-upload)")
		}
		return nil, errors.New("send the files as multipart/form-data in the field \"file\"")
	}
	format := r.FormValue("format")
	var uploads []Upload
	for _, fh := range r.MultipartForm.File["file"] {
		f, err := fh.Open()
		if err != nil {
			return nil, errors.New("reading an uploaded file failed")
		}
		uploads = append(uploads, Upload{Name: fh.Filename, Format: format, Body: closingReader{f}})
	}
	if len(uploads) == 0 {
		return nil, errors.New("no file in the field \"file\"")
	}
	return uploads, nil
}

// closingReader closes the multipart file at EOF; the request's temporary
// files are removed when it ends.
type closingReader struct{ f multipart.File }

func (c closingReader) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	if err != nil {
		c.f.Close()
	}
	return n, err
}

func ingestDetail(res IngestResult) string {
	var b bytes.Buffer
	for i, f := range res.Files {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Name)
		if f.Format != "" {
			b.WriteString(" (" + f.Format + ")")
		}
	}
	return cut(b.String(), 1000)
}

// ingestStatusFragment is the analysis status for htmx polling: the
// header's pill, or with ?box=1 the data page's table.
func (s *Server) ingestStatusFragment(w http.ResponseWriter, r *http.Request) {
	name := "status"
	if r.URL.Query().Get("box") != "" {
		name = "ingeststatus"
	}
	var b bytes.Buffer
	if err := s.pages["error"].ExecuteTemplate(&b, name, s.analysis.snapshot()); err != nil {
		s.fail(w, r, false, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes()) //nolint:errcheck // the client went away
}
