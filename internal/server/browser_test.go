package server

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/store"
)

// The browser tests drive a real headless Chromium (Debian's chromium
// package) through chromedp. Outside CI they skip when no browser is
// installed; in CI (CI set) a missing browser fails them.

var updateScreenshots = flag.Bool("update-screenshots", false, "write docs/screenshots/*.png from the browser test (uses the larger demo organisation)")

// browserPath finds Chromium: $ROLLCALL_CHROMIUM, then the usual names.
func browserPath() string {
	if p := os.Getenv("ROLLCALL_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless Chromium tab with what it reported: console
// errors (CSP violations included) and JavaScript dialogs.
type browser struct {
	t        *testing.T
	ctx      context.Context
	base     string
	mu       sync.Mutex
	problems []string
	dialogs  []string
}

// requireBrowser returns Chromium's path, or skips the test (fails it in
// CI) when there is none.
func requireBrowser(t *testing.T) string {
	t.Helper()
	path := browserPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium found in CI: install the chromium package or set ROLLCALL_CHROMIUM")
		}
		t.Skip("no Chromium found (apt-get install chromium, or set ROLLCALL_CHROMIUM): skipping the browser tests")
	}
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	return path
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	path := requireBrowser(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1440, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: base}
	if err := chromedp.Listen(ctx, b.event); err != nil {
		t.Fatalf("starting Chromium %s: %v", path, err)
	}
	go b.watchConsole()
	b.run("set the viewport", chromedp.EmulateViewport(1440, 1000))
	return b
}

// event records dialogs as they open and dismisses them from another
// goroutine (Listen's func must not run commands).
func (b *browser) event(ev any) {
	if d, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
		b.mu.Lock()
		b.dialogs = append(b.dialogs, d.Message)
		b.mu.Unlock()
		go chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error { //nolint:errcheck // best effort
			_, err := cdp.Call(ctx, t, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
			return err
		}))
	}
}

func (b *browser) watchConsole() {
	for m, err := range chromedp.Console(b.ctx) {
		if err != nil {
			return
		}
		if m.Type == chromedp.ConsoleError || m.IsException() || strings.Contains(m.Text, "Content Security Policy") {
			b.mu.Lock()
			b.problems = append(b.problems, m.String()+" ("+m.URL+")")
			b.mu.Unlock()
		}
	}
}

// run runs actions with a time limit, failing the test on error.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.screenshotOnFailure(what)
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) eval(js string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *browser) screenshotOnFailure(what string) {
	dir := os.Getenv("ROLLCALL_BROWSER_ARTIFACTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		os.WriteFile(filepath.Join(dir, strings.ReplaceAll(what, " ", "_")+".png"), png, 0o644) //nolint:errcheck // diagnostics only
	}
}

// shoot writes a screenshot of the viewport to docs/screenshots when
// -update-screenshots is set.
func (b *browser) shoot(name string) {
	b.t.Helper()
	if !*updateScreenshots {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	shot := chromedp.CaptureScreenshot()
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if d := os.Getenv("ROLLCALL_SCREENSHOT_DIR"); d != "" {
		dir, shot = d, chromedp.FullScreenshot(100) // whole pages, for reviewing the layout
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s", filepath.Join(dir, name+".png"))
}

// checkClean fails the test on console errors, CSP violations, dialogs or
// a payload that ran.
func (b *browser) checkClean(where string) {
	b.t.Helper()
	if b.eval(`typeof window.__xss !== "undefined"`) {
		b.t.Errorf("%s: an injected payload ran (window.__xss is set)", where)
	}
	if b.eval(`document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], script:not([src]):not([type="application/json"])').length > 0`) {
		b.t.Errorf("%s: the page holds injected markup", where)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("%s: browser console: %s", where, p)
	}
	for _, d := range b.dialogs {
		b.t.Errorf("%s: a dialog opened: %q", where, d)
	}
	b.problems, b.dialogs = nil, nil
}

// waitFor waits until a JavaScript expression is true on the current page.
func waitFor(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr)(ctx, t)
		return chromedp.Void{}, err
	}
}

// chartsDrawn is true once every chart and graph on the page that has data
// has drawn (app.js sets data-ready on its box when it has).
const chartsDrawn = `document.readyState === "complete" &&
	[["findings-chart", "findings-data"], ["hours-chart", "hours-data"], ["timeline-chart", "timeline-data"], ["cell-graph", "cell-data"], ["cells-graph", "cells-data"]].every(([box, data]) =>
		!document.getElementById(box) || !document.getElementById(data) || document.getElementById(box).dataset.ready === "true")`

// follow runs an action that navigates (a click that submits a form) and
// waits for the new page to load.
func (b *browser) follow(what string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp.Status >= 400 {
		b.t.Fatalf("%s: HTTP %d", what, resp.Status)
	}
}

func (b *browser) login(name string) {
	b.t.Helper()
	b.run("open the sign-in page as "+name,
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), testPassword),
	)
	b.follow("sign in as "+name, chromedp.Click(chromedp.CSS(`button[type="submit"].primary`)))
	if got := b.text("a.user"); !strings.HasPrefix(got, name+" ") {
		b.t.Fatalf("signed in as %q, want %s", got, name)
	}
}

// simDir writes an organisation's files (not the ground truth) to a
// directory and returns their paths.
func simDir(t *testing.T, cfg sim.Config) []string {
	t.Helper()
	org, err := sim.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := org.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, name := range org.Files() {
		if name != sim.FileTruth && name != sim.FileAllowList {
			paths = append(paths, filepath.Join(dir, name))
		}
	}
	return paths
}

func TestBrowserAnalystWorkflow(t *testing.T) {
	requireBrowser(t)
	f := newFixture(t, fixtureOpts{})
	b := newBrowser(t, f.ts.URL)
	cfg := testSim
	if *updateScreenshots {
		cfg = DemoConfig
	}
	files := simDir(t, cfg)

	b.login(store.RoleAdmin)
	b.run("upload the simulator's files",
		chromedp.Navigate(b.base+"/upload"),
		chromedp.WaitVisible(chromedp.ID("upload-files")),
		chromedp.SetUploadFiles(chromedp.ID("upload-files"), files),
		chromedp.Click(chromedp.ID("upload-submit")),
		chromedp.WaitVisible(chromedp.ID("upload-result")),
	)
	// htmx polls the status until the analysis has run.
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Minute)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#ingest-status[data-state="idle"]:not([data-runs="0"])`))); err != nil {
		cancel()
		t.Fatalf("waiting for the analysis: %v", err)
	}
	cancel()
	b.checkClean("data page")

	top, _, err := f.st.People(context.Background(), store.PeopleQuery{Limit: 1})
	if err != nil || len(top) == 0 {
		t.Fatalf("no people after the upload: %v", err)
	}
	b.run("open the overview", chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS(".cards")),
		chromedp.WaitVisible(chromedp.CSS(`#findings-chart[data-ready="true"]`)))
	b.checkClean("overview")
	b.shoot("overview")

	// The search box filters the list in place (htmx).
	b.run("search the people list",
		chromedp.Navigate(b.base+"/people"),
		chromedp.WaitVisible(chromedp.CSS("#people-table")),
		chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), top[0].ID),
		waitFor(`document.querySelectorAll("#people-table tbody tr").length === 1 && location.search.includes("q=")`),
	)
	b.checkClean("people search")
	b.run("open the highest-risk person",
		chromedp.Navigate(b.base+"/people"),
		chromedp.WaitVisible(chromedp.CSS("#people-table")),
		chromedp.Click(chromedp.CSS("#people-table tbody tr:first-child a.person-link")),
		chromedp.WaitVisible(chromedp.ID("person")),
		chromedp.WaitVisible(chromedp.CSS(`#hours-chart[data-ready="true"]`)),
	)
	if got := b.text("#score"); got != fmt.Sprint(top[0].Score) {
		t.Errorf("person page score %q, want the top score %d", got, top[0].Score)
	}
	if !strings.Contains(b.text("#person h1"), top[0].ID) {
		t.Errorf("opened %q, want the highest-risk person %s", b.text("#person h1"), top[0].ID)
	}
	b.checkClean("person page")
	personURL := b.base + personURL(top[0].ID)

	if top[0].Cluster == "" {
		t.Fatalf("the highest-risk person %s is in no cell", top[0].ID)
	}
	b.run("open their cell graph",
		chromedp.Click(chromedp.ID("cell-link")),
		chromedp.WaitVisible(chromedp.CSS(`#cell-graph[data-ready="true"]`)),
	)
	if !b.eval(`Number(document.getElementById("cell-graph").dataset.nodes) > 1 && !!document.querySelector("#cell-graph canvas")`) {
		t.Error("the cell graph drew no nodes")
	}
	b.checkClean("cell page")

	checkViews(t, b, f.st)

	// Opening a case submits a form and navigates: wait for that
	// navigation to finish, then for the case page's own form, never for
	// an element while the page under it is being replaced.
	b.run("open the person page", chromedp.Navigate(personURL), chromedp.WaitVisible(chromedp.ID("open-case")))
	b.follow("open a case", chromedp.Click(chromedp.ID("open-case")))
	b.run("record a verdict",
		waitFor(`location.pathname.startsWith("/cases/") && document.readyState === "complete" && !!document.getElementById("verdict-form")`),
		chromedp.WaitVisible(chromedp.ID("verdict-form")),
		chromedp.Click(chromedp.CSS(`input[name="verdict"][value="confirmed"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="reason"]`), "shares a payout account with two other hires"),
	)
	b.follow("submit the verdict", chromedp.Click(chromedp.ID("record-verdict")))
	if got := b.text("#case-verdict"); got != "confirmed operative" {
		t.Errorf("case verdict shows %q", got)
	}
	b.checkClean("case page")

	b.run("check the audit log", chromedp.Navigate(b.base+"/audit"), chromedp.WaitVisible(chromedp.ID("audit-table")))
	log := b.text("#audit-table")
	for _, want := range []string{"case.verdict", "person.view", "person:" + top[0].ID, "cell.view", "ingest", "login.success"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	b.checkClean("audit log")
}

func TestBrowserXSS(t *testing.T) {
	requireBrowser(t)
	f := newFixture(t, fixtureOpts{})
	if _, err := f.srv.Ingest(context.Background(), poisonedUploads(t, testSim), true); err != nil {
		t.Fatal(err)
	}
	rep, err := report.LoadStored(context.Background(), f.st)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, f.ts.URL)
	b.login(store.RoleAdmin)
	pages := []string{"/", "/people", "/cells", "/upload", "/audit", "/admin/policy"}
	for _, p := range rep.People[:min(len(rep.People), 12)] {
		pages = append(pages, personURL(p.ID))
	}
	for _, c := range rep.Clusters {
		pages = append(pages, cellURL(c.ID))
	}
	for _, p := range pages {
		b.run("open "+p, chromedp.Navigate(b.base+p), chromedp.WaitVisible(chromedp.CSS("footer")), waitFor(chartsDrawn))
		b.checkClean(p)
	}
}

// TestBrowserDrill runs a drill from the drills page as an admin and
// checks the result shows, with no console error or CSP violation.
func TestBrowserDrill(t *testing.T) {
	requireBrowser(t)
	f := newSeededFixture(t, fixtureOpts{})
	b := newBrowser(t, f.ts.URL)
	b.login(store.RoleAdmin)
	b.run("open the drills page",
		chromedp.Navigate(b.base+"/admin/drills"),
		chromedp.WaitVisible(chromedp.ID("run-drill")),
		chromedp.SetValue(chromedp.CSS(`input[name="count"]`), "4"),
	)
	b.follow("run a drill", chromedp.Click(chromedp.ID("run-drill")))
	b.run("wait for the result", chromedp.WaitVisible(chromedp.ID("last-drill")), chromedp.WaitVisible(chromedp.ID("drill-trend")))
	if got := b.text("#last-drill h2"); !strings.Contains(got, "caught") {
		t.Errorf("drill result heading %q", got)
	}
	if !b.eval(`document.querySelectorAll("#last-drill tbody tr").length > 0 && document.querySelectorAll("#drill-trend tbody tr").length === 1`) {
		t.Error("the drills page shows no persona or no trend row")
	}
	b.checkClean("drills page")
	b.shoot("drill")
}
