package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/source"
)

// contentSecurityPolicy allows scripts, styles and images from the server
// only: no inline script, no eval, no other origin, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// maxFormBody bounds request bodies of routes that are not uploads.
const maxFormBody = 1 << 20

// secure sets the security headers of every response and turns panics
// into 500s.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if s.cfg.TLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "path", r.URL.Path, "panic", v)
				http.Error(w, "internal server error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code written.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// isUpload reports whether a route takes files.
func isUpload(rt route) bool { return rt.Pattern == "/upload" || rt.Pattern == "/api/v1/ingest" }

// wrap applies authentication, authorisation, CSRF protection, body limits
// and metrics to one route.
func (s *Server) wrap(rt route) http.Handler {
	label := rt.Pattern
	if rt.Method != "" {
		label = rt.Method + " " + rt.Pattern
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			code := rec.code
			if code == 0 {
				code = http.StatusOK
			}
			s.metrics.observe(label, r.Method, code, time.Since(start))
		}()
		limit := int64(maxFormBody)
		if isUpload(rt) {
			limit = s.cfg.MaxUpload
			r = r.WithContext(source.WithBudget(r.Context(), s.cfg.InputLimits))
		}
		if r.Body != nil && r.Body != http.NoBody {
			// The read deadline slowBody sets stays for the rest of the
			// request (the server discards an unread body after the
			// handler) and is replaced when the next request is read.
			r.Body = newSlowBody(w, http.MaxBytesReader(rec, r.Body, limit), s.cfg.BodyTimeout)
		}
		p := s.authenticate(r)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, p))
		switch {
		case p == nil && rt.Access != accessPublic:
			s.unauthenticated(rec, r, rt.API)
			return
		case !p.can(rt.Access):
			s.forbidden(rec, r, rt.API, "your role ("+p.Role+") may not use this page")
			return
		case r.Method != http.MethodGet && r.Method != http.MethodHead && !rt.OwnCSRF && !s.checkCSRF(r, p):
			s.forbidden(rec, r, rt.API, "missing or invalid CSRF token: reload the page and try again")
			return
		}
		rt.handle(rec, r)
	})
}

// unauthenticated answers a request without valid credentials: 401 for
// the API, a redirect to the sign-in page for the UI.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request, api bool) {
	if api || r.Method != http.MethodGet {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rollcall"`)
		if api {
			apiError(w, http.StatusUnauthorized, "sign in or send an API token (Authorization: Bearer …)")
			return
		}
		http.Error(w, "sign in first", http.StatusUnauthorized)
		return
	}
	next := r.URL.RequestURI()
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// forbidden answers a request the principal may not make.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, api bool, why string) {
	if api {
		apiError(w, http.StatusForbidden, why)
		return
	}
	s.errorPage(w, r, http.StatusForbidden, why)
}

// slowBody cuts off a request body that arrives too slowly: reading fails
// once it has taken longer than timeout plus one second per BodyMinRate
// bytes read, so a client sending a byte every few seconds cannot hold a
// connection and a handler open (the server's ReadHeaderTimeout covers
// only the headers).
type slowBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	start   time.Time
	n       int64
	timeout time.Duration
}

func newSlowBody(w http.ResponseWriter, body io.ReadCloser, timeout time.Duration) *slowBody {
	return &slowBody{ReadCloser: body, rc: http.NewResponseController(w), start: time.Now(), timeout: timeout}
}

func (b *slowBody) Read(p []byte) (int, error) {
	deadline := b.start.Add(b.timeout + time.Duration(b.n/BodyMinRate)*time.Second)
	if !time.Now().Before(deadline) {
		return 0, fmt.Errorf("request body too slow: %d bytes in %v (at least %d bytes per second after %v)",
			b.n, time.Since(b.start).Round(time.Second), BodyMinRate, b.timeout)
	}
	b.rc.SetReadDeadline(deadline) //nolint:errcheck // a writer without deadlines (tests) is bounded by the check above
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	return n, err
}
