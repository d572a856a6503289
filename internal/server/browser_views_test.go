package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// checkViews opens each picture of the workbench in b (signed in, over
// the data of st) and checks what it drew, one subtest per view, waiting
// for the page's own state (data-ready, DOM conditions), never for a fixed
// time: the person page's summary, score waterfall, sign-in map and event
// timeline; the graph of all cells; a cell's timeline. With
// -update-screenshots it writes them to docs/screenshots. It runs inside
// TestBrowserAnalystWorkflow, over the data that test uploaded, so that
// the views cost no second browser and no second organisation.
func checkViews(t *testing.T, b *browser, st store.Store) {
	rep, err := report.LoadStored(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	top := topInCell(rep)
	if top == nil {
		t.Fatal("no flagged person in a cell to show")
	}
	parent := b.t
	defer func() { b.t = parent }()

	t.Run("person_summary_waterfall_map_timeline", func(t *testing.T) {
		b.t = t
		b.run("open the person page", chromedp.Navigate(b.base+personURL(top.ID)),
			chromedp.WaitVisible(chromedp.ID("summary")),
			chromedp.WaitVisible(chromedp.CSS(`#timeline-chart[data-ready="true"]`)),
			waitFor(chartsDrawn))
		if !b.eval(`!!(document.getElementById("summary").compareDocumentPosition(document.getElementById("explanation")) & Node.DOCUMENT_POSITION_FOLLOWING)`) {
			t.Error("the evidence comes before the summary")
		}
		if b.eval(`document.querySelectorAll("details.ind[open]").length > 0`) {
			t.Error("evidence is unfolded on arrival; it should be folded below the summary")
		}
		reasons := b.text("#reasons")
		for _, ind := range top.Indicators {
			if ind.Points > 0 && ind.Suppressed == "" && ind.Name != "" && strings.Contains(reasons, ind.ID) && !strings.Contains(reasons, ind.Name) {
				t.Errorf("reason %s shown without its name %q", ind.ID, ind.Name)
			}
		}
		rows := `document.querySelectorAll("svg.waterfall g.wf")`
		if !b.eval(rows + `.length >= 2 && ` + rows + `[` + rows + `.length-1].querySelector(".wvalue").textContent === "` + fmt.Sprint(top.Score) + `"`) {
			t.Errorf("the waterfall does not end at the score %d", top.Score)
		}
		if !b.eval(`document.querySelectorAll("svg.worldmap .countries path").length > 150 && document.querySelectorAll("svg.worldmap .countries path.seen").length > 0`) {
			t.Error("the sign-in map has no world outline or no country signed in from")
		}
		if !b.eval(`!!document.querySelector("#timeline-chart canvas") && document.querySelectorAll("#timeline-chart .u-legend .u-series").length >= 4`) {
			t.Error("the event timeline drew no canvas or not its four series")
		}
		b.checkClean("person page")
		b.shoot("person")
		b.run("scroll to the map and the timeline", chromedp.ScrollIntoView(chromedp.ID("timeline")))
		b.shoot("person-charts")
		// A reason links to its evidence, which opens.
		b.run("follow a reason to its evidence", chromedp.Click(chromedp.CSS("#reasons li:first-child a.rname")),
			waitFor(`location.hash.startsWith("#ind-") && document.getElementById(location.hash.slice(1)).open === true`))
		b.checkClean("person evidence")
	})

	t.Run("graph_of_all_cells", func(t *testing.T) {
		b.t = t
		b.run("open the cells", chromedp.Navigate(b.base+"/cells"),
			chromedp.WaitVisible(chromedp.CSS(`#cells-graph[data-ready="true"]`)))
		want := len(rep.Clusters)
		for _, c := range rep.Clusters {
			want += len(c.Members) + len(c.Links)
		}
		if !b.eval(fmt.Sprintf(`Number(document.getElementById("cells-graph").dataset.nodes) === %d`, want)) {
			t.Errorf("the graph of all cells drew %s nodes, want %d (cells, members, identifiers)", b.text("#cells-graph"), want)
		}
		if !b.eval(`window.rollcallGraph.edges().length > 0 && window.rollcallGraph.edges().every(e => e.data("label") !== "")`) {
			t.Error("an edge of the graph carries no label")
		}
		if !b.eval(`new Set(window.rollcallGraph.nodes("[kind != 'person'][kind != 'cell']").map(n => n.style("shape"))).size === new Set(window.rollcallGraph.nodes("[kind != 'person'][kind != 'cell']").map(n => n.data("kind"))).size`) {
			t.Error("identifier kinds do not each have their own shape")
		}
		b.checkClean("cells")
		b.shoot("cells")
	})

	t.Run("cell_timeline", func(t *testing.T) {
		b.t = t
		b.run("open the cell", chromedp.Navigate(b.base+cellURL(top.Cluster)),
			chromedp.WaitVisible(chromedp.CSS(`#cell-graph[data-ready="true"]`)),
			chromedp.WaitVisible(chromedp.CSS("svg.celltimeline")))
		if !b.eval(`document.querySelectorAll("svg.celltimeline g.hire").length >= 2 && document.querySelectorAll("svg.celltimeline g.ident").length >= 1`) {
			t.Error("the cell timeline shows fewer than two hires or no shared identifier")
		}
		if !b.eval(`window.rollcallGraph.edges().every(e => e.data("label") !== "")`) {
			t.Error("an edge of the cell graph carries no label")
		}
		b.checkClean("cell page")
		b.shoot("cell")
		b.run("scroll to the cell timeline", chromedp.ScrollIntoView(chromedp.ID("cell-timeline")))
		b.shoot("cell-timeline")
	})
}

// topInCell is the highest-scored flagged person who is in a cell.
func topInCell(rep *report.Report) *report.Person {
	for i := range rep.People {
		if p := &rep.People[i]; p.Flagged && p.Cluster != "" {
			return p
		}
	}
	return nil
}
