package server

import "net/http"

// access is who may use a route.
type access int

const (
	accessPublic  access = iota // anyone, signed in or not
	accessViewer                // any signed-in user
	accessAnalyst               // analysts and admins: personal data
	accessAdmin                 // admins only
)

// role is the least role a level admits, as store.RoleRank counts.
func (a access) rank() int { return int(a) }

// route is one entry of the route table. API routes answer in JSON
// (401 without credentials); UI routes answer in HTML and send people who
// are not signed in to the sign-in page.
type route struct {
	Method  string
	Pattern string // net/http ServeMux pattern, without the method
	Access  access
	API     bool
	// OwnCSRF marks a route that checks a CSRF token of its own (the
	// sign-in form, which comes before any session).
	OwnCSRF bool
	handle  http.HandlerFunc
}

// routes is the route table: every URL the server answers. The OpenAPI
// test checks that the /api/v1/ entries and openapi.yaml agree.
func (s *Server) routes() []route {
	return []route{
		// Public.
		{Method: "GET", Pattern: "/healthz", Access: accessPublic, API: true, handle: s.healthz},
		{Method: "GET", Pattern: "/metrics", Access: accessPublic, API: true, handle: s.metrics.serve},
		{Method: "GET", Pattern: "/static/{file...}", Access: accessPublic, handle: s.static},
		{Method: "GET", Pattern: "/favicon.ico", Access: accessPublic, handle: s.favicon},
		{Method: "GET", Pattern: "/login", Access: accessPublic, handle: s.loginPage},
		{Method: "POST", Pattern: "/login", Access: accessPublic, OwnCSRF: true, handle: s.login},
		{Method: "GET", Pattern: "/api/v1/openapi.yaml", Access: accessPublic, API: true, handle: s.openapi},

		// Every signed-in user: aggregates and their own account.
		{Method: "GET", Pattern: "/{$}", Access: accessViewer, handle: s.overview},
		{Method: "POST", Pattern: "/logout", Access: accessViewer, handle: s.logout},
		{Method: "GET", Pattern: "/account", Access: accessViewer, handle: s.accountPage},
		{Method: "POST", Pattern: "/account/password", Access: accessViewer, handle: s.changePassword},
		{Method: "POST", Pattern: "/account/tokens", Access: accessViewer, handle: s.createToken},
		{Method: "POST", Pattern: "/account/tokens/{prefix}/delete", Access: accessViewer, handle: s.deleteToken},
		{Method: "GET", Pattern: "/ingest/status", Access: accessViewer, handle: s.ingestStatusFragment},
		{Method: "GET", Pattern: "/api/v1/summary", Access: accessViewer, API: true, handle: s.apiSummary},
		{Method: "GET", Pattern: "/api/v1/ingest/status", Access: accessViewer, API: true, handle: s.apiIngestStatus},

		// Analysts: people, evidence, cells, cases, ingest.
		{Method: "GET", Pattern: "/people", Access: accessAnalyst, handle: s.peoplePage},
		{Method: "GET", Pattern: "/people/{id}", Access: accessAnalyst, handle: s.personPage},
		{Method: "GET", Pattern: "/cells", Access: accessAnalyst, handle: s.cellsPage},
		{Method: "GET", Pattern: "/cells/{id}", Access: accessAnalyst, handle: s.cellPage},
		{Method: "GET", Pattern: "/cases", Access: accessAnalyst, handle: s.casesPage},
		{Method: "POST", Pattern: "/cases", Access: accessAnalyst, handle: s.createCase},
		{Method: "GET", Pattern: "/cases/{id}", Access: accessAnalyst, handle: s.casePage},
		{Method: "POST", Pattern: "/cases/{id}", Access: accessAnalyst, handle: s.updateCase},
		{Method: "POST", Pattern: "/cases/{id}/comments", Access: accessAnalyst, handle: s.addComment},
		{Method: "POST", Pattern: "/cases/{id}/verdict", Access: accessAnalyst, handle: s.setVerdict},
		{Method: "POST", Pattern: "/suppressions/{id}/revoke", Access: accessAnalyst, handle: s.revokeSuppression},
		{Method: "GET", Pattern: "/upload", Access: accessAnalyst, handle: s.uploadPage},
		{Method: "POST", Pattern: "/upload", Access: accessAnalyst, handle: s.upload},

		{Method: "GET", Pattern: "/api/v1/people", Access: accessAnalyst, API: true, handle: s.apiPeople},
		{Method: "GET", Pattern: "/api/v1/people/{id}", Access: accessAnalyst, API: true, handle: s.apiPerson},
		{Method: "GET", Pattern: "/api/v1/people/{id}/events", Access: accessAnalyst, API: true, handle: s.apiPersonEvents},
		{Method: "GET", Pattern: "/api/v1/findings", Access: accessAnalyst, API: true, handle: s.apiFindings},
		{Method: "GET", Pattern: "/api/v1/cells", Access: accessAnalyst, API: true, handle: s.apiCells},
		{Method: "GET", Pattern: "/api/v1/cells/{id}", Access: accessAnalyst, API: true, handle: s.apiCell},
		{Method: "GET", Pattern: "/api/v1/cases", Access: accessAnalyst, API: true, handle: s.apiCases},
		{Method: "POST", Pattern: "/api/v1/cases", Access: accessAnalyst, API: true, handle: s.apiCreateCase},
		{Method: "GET", Pattern: "/api/v1/cases/{id}", Access: accessAnalyst, API: true, handle: s.apiCase},
		{Method: "PATCH", Pattern: "/api/v1/cases/{id}", Access: accessAnalyst, API: true, handle: s.apiUpdateCase},
		{Method: "POST", Pattern: "/api/v1/cases/{id}/comments", Access: accessAnalyst, API: true, handle: s.apiAddComment},
		{Method: "POST", Pattern: "/api/v1/cases/{id}/verdict", Access: accessAnalyst, API: true, handle: s.apiSetVerdict},
		{Method: "GET", Pattern: "/api/v1/suppressions", Access: accessAnalyst, API: true, handle: s.apiSuppressions},
		{Method: "DELETE", Pattern: "/api/v1/suppressions/{id}", Access: accessAnalyst, API: true, handle: s.apiRevokeSuppression},
		{Method: "POST", Pattern: "/api/v1/ingest", Access: accessAnalyst, API: true, handle: s.apiIngest},
		{Method: "GET", Pattern: "/api/v1/export/people.csv", Access: accessAnalyst, API: true, handle: s.exportPeopleCSV},
		{Method: "GET", Pattern: "/api/v1/export/findings.ocsf.ndjson", Access: accessAnalyst, API: true, handle: s.exportOCSF},
		{Method: "GET", Pattern: "/api/v1/export/cells.stix.json", Access: accessAnalyst, API: true, handle: s.exportSTIX},
		{Method: "GET", Pattern: "/api/v1/export/watchlist.csv", Access: accessAnalyst, API: true, handle: s.exportWatchlist},
		{Method: "GET", Pattern: "/api/v1/export/watchlist.stix.json", Access: accessAnalyst, API: true, handle: s.exportWatchlistSTIX},

		// Admins: users, policy, audit log.
		{Method: "GET", Pattern: "/audit", Access: accessAdmin, handle: s.auditPage},
		{Method: "GET", Pattern: "/admin/users", Access: accessAdmin, handle: s.usersPage},
		{Method: "POST", Pattern: "/admin/users", Access: accessAdmin, handle: s.createUser},
		{Method: "POST", Pattern: "/admin/users/{name}", Access: accessAdmin, handle: s.updateUser},
		{Method: "GET", Pattern: "/admin/policy", Access: accessAdmin, handle: s.policyPage},
		{Method: "GET", Pattern: "/admin/drills", Access: accessAdmin, handle: s.drillsPage},
		{Method: "POST", Pattern: "/admin/drills", Access: accessAdmin, handle: s.runDrill},
		{Method: "GET", Pattern: "/api/v1/audit", Access: accessAdmin, API: true, handle: s.apiAudit},
		{Method: "GET", Pattern: "/api/v1/users", Access: accessAdmin, API: true, handle: s.apiUsers},
		{Method: "POST", Pattern: "/api/v1/users", Access: accessAdmin, API: true, handle: s.apiCreateUser},
	}
}
