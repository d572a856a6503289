package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/textfmt"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// levels in ascending order.
var levels = []string{"none", "low", "medium", "high", "critical"}

// levelClass maps a level to the CSS class suffix that colours it; values
// outside the known set get "unknown".
func levelClass(level string) string {
	for _, l := range levels {
		if level == l {
			return l
		}
	}
	return "unknown"
}

func personURL(id string) string { return "/people/" + url.PathEscape(id) }
func cellURL(id string) string   { return "/cells/" + url.PathEscape(id) }
func caseURL(id int64) string    { return "/cases/" + strconv.FormatInt(id, 10) }

// when formats a time for people to read; the zero time is "—".
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return textfmt.Stamp(t)
}

// day formats a time's UTC date; the zero time is "—".
func day(t time.Time) string { return textfmt.Date(t, "—") }

var verdictNames = map[string]string{
	store.VerdictNone:      "no verdict",
	store.VerdictConfirmed: "confirmed operative",
	store.VerdictBenign:    "benign",
	store.VerdictHRReview:  "needs HR review",
}

var funcs = template.FuncMap{
	"lvl":       levelClass,
	"when":      when,
	"day":       day,
	"n":         textfmt.Thousands,
	"f1":        f1,
	"personURL": personURL,
	"cellURL":   cellURL,
	"caseURL":   caseURL,
	"verdict":   func(v string) string { return verdictNames[v] },
	"plain":     plain,
	// identKinds are the identifier kinds the graphs and the cell
	// timeline colour, for their legend.
	"identKinds": func() []string { return []string{"bank_account", "device", "address", "phone", "email", "url", "ip"} },
	"cut":        cut,
	// w5 rounds a percentage to the CSS width classes w-0 … w-100 (steps
	// of 5): the CSP forbids inline styles.
	"w5": func(part, whole int) int {
		if whole <= 0 || part <= 0 {
			return 0
		}
		return max(5, min(100, (part*100/whole+2)/5*5))
	},
}

// parsePages parses every page template with the layout and partials.
func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.tmpl", "templates/partials.tmpl")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".tmpl")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := base.Clone()
		if err == nil {
			t, err = t.ParseFS(templateFS, n)
		}
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every page template receives.
type page struct {
	Title  string
	Nav    string // the active navigation entry
	User   *principal
	CSRF   string
	Notice string // a fixed message after a redirect
	Status Status
	Data   any
}

// Analyst reports whether the user may see personal data.
func (p page) Analyst() bool { return p.User.can(accessAnalyst) }

// Admin reports whether the user is an admin.
func (p page) Admin() bool { return p.User.can(accessAdmin) }

// notices are the messages a redirect may ask a page to show; the query
// names one by key, so that no text from a URL reaches the page.
var notices = map[string]string{
	"case-created":       "Case opened.",
	"case-updated":       "Case updated.",
	"comment-added":      "Comment added.",
	"verdict-set":        "Verdict recorded. Suppressions take effect when the analysis has rerun (see the status above).",
	"suppression-revoke": "Suppression revoked; the indicator counts again after the analysis reruns.",
	"uploaded":           "Files received; the analysis reruns in the background.",
	"user-created":       "User created.",
	"user-updated":       "User updated.",
	"password-changed":   "Password changed. Other sessions were signed out.",
	"token-created":      "Token created.",
	"token-deleted":      "Token revoked.",
}

// render writes a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, title, nav string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p := page{Title: title, Nav: nav, User: who(r), Notice: notices[r.URL.Query().Get("done")], Status: s.analysis.snapshot(), Data: data}
	if p.User != nil && p.User.Session != nil {
		p.CSRF = p.User.Session.CSRF
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b.Bytes()) //nolint:errcheck // the client went away
}

// errorPage shows an error as a page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.render(w, r, code, "error", http.StatusText(code), "", struct {
		Code int
		Text string
		Msg  string
	}{code, http.StatusText(code), plain(msg)})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		apiError(w, http.StatusNotFound, "no such endpoint")
		return
	}
	s.errorPage(w, r, http.StatusNotFound, "There is no page at this address.")
}

// staticFile is one embedded asset with its ETag.
type staticFile struct {
	body  []byte
	etag  string
	ctype string
}

var staticFiles = func() map[string]staticFile {
	m := map[string]staticFile{}
	fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck // embedded
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(p))
		if strings.HasSuffix(p, "LICENSE") {
			ctype = "text/plain; charset=utf-8"
		}
		m[strings.TrimPrefix(p, "assets/")] = staticFile{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: ctype}
		return nil
	})
	return m
}()

// favicon answers browsers that ask for /favicon.ico before reading the
// page's icon link.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
}

// static serves the embedded assets, revalidated by ETag.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	f, ok := staticFiles[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", f.etag)
	if f.ctype != "" {
		w.Header().Set("Content-Type", f.ctype)
	}
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(f.body) //nolint:errcheck // the client went away
}
