package server

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rollcall/rollcall/internal/store"
)

func TestDbgPages(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.seed(t)
	rep, _ := f.st.Report(context.Background())
	c := f.client(t).mustLogin(store.RoleAdmin)
	c.post("/cases", url.Values{"subject": {"person"}, "subject_id": {rep.People[0].ID}}, true)
	c.post("/cases/1/comments", url.Values{"body": {"Called HR; the home address is a parcel forwarder."}}, true)
	b := newBrowser(t, f.ts.URL)
	b.login(store.RoleViewer)
	for name, p := range map[string]string{"viewer-overview": "/"} {
		b.run(name, chromedp.Navigate(b.base+p), chromedp.WaitVisible(chromedp.CSS("footer")))
		time.Sleep(300 * time.Millisecond)
		png, _ := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		os.WriteFile("/tmp/shots/"+name+".png", png, 0o644)
	}
	b.login(store.RoleAdmin)
	for name, p := range map[string]string{"people": "/people", "case": "/cases/1", "audit": "/audit", "upload": "/upload", "users": "/admin/users", "policy": "/admin/policy", "account": "/account"} {
		b.run(name, chromedp.Navigate(b.base+p), chromedp.WaitVisible(chromedp.CSS("footer")))
		time.Sleep(200 * time.Millisecond)
		png, _ := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		os.WriteFile("/tmp/shots/"+name+".png", png, 0o644)
		b.checkClean(name)
	}
}
