package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/store/postgres"
	"github.com/rollcall/rollcall/internal/stream"
)

// TestSuppressionSurvivesWorkerAnalysis gives a benign verdict through
// serve's API on PostgreSQL, then lets a JetStream worker analyse the same
// database: the worker's results, which replace serve's, must keep the
// finding suppressed with the analyst's reason (the worker reads the
// workbench's suppressions through the engine, as serve and scan --db do).
func TestSuppressionSurvivesWorkerAnalysis(t *testing.T) {
	dsn := replicaSchema(t)
	ctx := t.Context()
	f := newReplica(t, dsn, "192.0.2.1")
	f.addUser(t, store.RoleAnalyst, store.RoleAnalyst)
	f.seed(t)
	rep, err := f.srv.savedReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	person, ind := scoringIndicator(t, rep)
	analyst := f.client(t).mustLogin(store.RoleAnalyst)
	var opened caseJSON
	if code, text := analyst.call("POST", "/api/v1/cases", newCaseJSON{Subject: store.SubjectPerson, SubjectID: person.ID}, &opened); code != http.StatusCreated {
		t.Fatalf("open a case: %d %s", code, text)
	}
	const reason = "approved contractor arrangement"
	verdict := verdictJSON{Verdict: store.VerdictBenign, Reason: reason, Suppress: []suppressRequest{{person.ID, ind}}}
	if code, text := analyst.call("POST", "/api/v1/cases/"+strconv.FormatInt(opened.ID, 10)+"/verdict", verdict, nil); code != http.StatusOK {
		t.Fatalf("verdict: %d %s", code, text)
	}
	if err := f.srv.Analyse(ctx); err != nil {
		t.Fatal(err)
	}

	// A worker on the same database, another process's store.
	ns, err := natsserver.NewServer(&natsserver.Options{Host: "127.0.0.1", Port: -1, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server did not start")
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	wst, err := postgres.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wst.Close() })
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	w, err := stream.NewWorker(wctx, nc, stream.WorkerOptions{Store: wst, ExitWhenIdle: true,
		AnalyseDelay: 10 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Run(wctx); err != nil {
		t.Fatal(err)
	}
	if w.Stats().Analyses == 0 {
		t.Fatal("the worker saved no analysis: the test would prove nothing")
	}
	got, err := wst.Person(ctx, person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ri := indicatorOf(report.PersonFromStore(got), ind); !strings.Contains(ri.Suppressed, reason) || ri.Points != 0 {
		t.Errorf("%s of %s after the worker's analysis = %+v, want suppressed with the analyst's reason", ind, person.ID, ri)
	}
	// A person nobody gave a verdict on keeps their points.
	for _, p := range rep.People {
		if p.ID == person.ID {
			continue
		}
		for _, ri := range p.Indicators {
			if ri.Points > 0 && ri.Suppressed == "" {
				after, err := wst.Person(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if a := indicatorOf(report.PersonFromStore(after), ri.ID); a.Suppressed != "" || a.Points != ri.Points {
					t.Errorf("%s of %s = %+v after the worker, want %g points unsuppressed", ri.ID, p.ID, a, ri.Points)
				}
				return
			}
		}
	}
}
