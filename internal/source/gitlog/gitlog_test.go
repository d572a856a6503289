package gitlog_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/gitlog"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func decode(t *testing.T, name string, content []byte) *sourcetest.Result {
	t.Helper()
	return sourcetest.DecodeOK(t, gitlog.New(), name, content)
}

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, gitlog.New())
}

func TestRejections(t *testing.T) {
	res := sourcetest.CheckRejections(t, gitlog.New(), "rejects.log", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "author_date", Reason: "not a strict ISO 8601 date"},
		{Line: 2, Record: 2, Field: "committer_name", Reason: "line has 4 field(s)"},
		{Line: 3, Record: 3, Field: "hash", Reason: "not a 40- or 64-digit hex commit hash"},
		{Line: 6, Record: 5, Field: "author_email", Reason: "neither author name nor email"},
		{Line: 7, Record: 6, Field: "committer_date", Reason: "not a strict ISO 8601 date"},
		{Line: 8, Record: 7, Field: "repo", Reason: "line has 9 field(s)"},
		{Line: 9, Record: 8, Field: "author_name", Reason: "line has 1 field(s)"},
	}, 5)
	if len(res.Events) == 1 && res.Events[0].Prov.Record != 4 {
		t.Errorf("the valid commit on line 5 is record %d, want 4 (after a blank line)", res.Events[0].Prov.Record)
	}
}

func TestMapping(t *testing.T) {
	const hash = "b9f85daa6f83cf02ce5c31913d1f64d3f5c8fade"
	line := strings.Join([]string{strings.ToUpper(hash), "Marcus Oyelaran", "Marcus.Oyelaran@Contoso.com", "2025-03-04T02:47:10+09:00",
		"GitHub", "noreply@github.com", "2025-03-03T17:50:00Z", "contoso/ledger-core"}, "\x1f")
	got := decode(t, "m.log", []byte(line))
	if len(got.Events) != 1 {
		t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
	}
	ev := got.Events[0]
	want := event.Commit{
		Hash: hash, AuthorName: "Marcus Oyelaran", AuthorEmail: "Marcus.Oyelaran@Contoso.com",
		AuthorTime:    time.Date(2025, 3, 4, 2, 47, 10, 0, time.FixedZone("", 9*3600)),
		CommitterName: "GitHub", CommitterEmail: "noreply@github.com",
		CommitterTime: time.Date(2025, 3, 3, 17, 50, 0, 0, time.UTC),
		Repo:          "contoso/ledger-core",
	}
	if diff := cmp.Diff(want, *ev.Commit); diff != "" {
		t.Errorf("Commit (-want +got):\n%s", diff)
	}
	if _, off := ev.Commit.AuthorTime.Zone(); off != 9*3600 {
		t.Errorf("author offset = %d s, want +09:00 kept", off)
	}
	if !ev.Time.Equal(want.AuthorTime) {
		t.Errorf("Time = %v, want the author time", ev.Time)
	}
	if diff := cmp.Diff(event.Actor{Email: "marcus.oyelaran@contoso.com", DisplayName: "Marcus Oyelaran"}, ev.Actor()); diff != "" {
		t.Errorf("Actor (-want +got):\n%s", diff)
	}
	if ev.Prov.ID != hash || ev.Prov.Line != 1 || ev.Prov.Source() != gitlog.ID {
		t.Errorf("Prov = %+v", ev.Prov)
	}
}

func TestInvalidUTF8Name(t *testing.T) {
	line := "f29bc91bbdab169fc0c0a326965953d11c7dff83\x1fJos\xe9\x1fjose@example.com\x1f2025-03-03T09:12:44-06:00\x1fJos\xe9\x1fjose@example.com\x1f2025-03-03T09:12:44-06:00\n"
	got := decode(t, "u.log", []byte(line))
	if len(got.Events) != 1 {
		t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
	}
	if name := got.Events[0].Commit.AuthorName; name != "Jos\uFFFD" {
		t.Errorf("AuthorName = %q, want the Latin-1 byte replaced", name)
	}
}

func TestSniff(t *testing.T) {
	history, err := os.ReadFile(filepath.Join("testdata", "history.log"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"history", string(history), true},
		{"leading_blank_lines", "\n\n" + string(history), true},
		{"truncated_first_line", string(history[:bytes.LastIndexByte(history[:bytes.IndexByte(history, '\n')], 0x1f)+5]), true},
		{"default_git_log", "commit f29bc91bbdab169fc0c0a326965953d11c7dff83\nAuthor: Dana <d@c.com>\n", false},
		{"short_hash", "f29bc91\x1fa\x1fb\x1fc\x1fd\x1fe\x1ff\n", false},
		{"csv", "employee_id,effective_date,method\n", false},
		{"json", `{"action":"git.clone"}`, false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gitlog.New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGzip(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(content)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		plain := sourcetest.DecodeBytes(t, gitlog.New(), "in", content)
		zipped := sourcetest.DecodeBytes(t, gitlog.New(), "in", buf.Bytes())
		if diff := cmp.Diff(plain, zipped, sourcetest.CmpOpts); diff != "" {
			t.Errorf("%s: gzip input decodes differently (-plain +gzip):\n%s", path, diff)
		}
		if len(plain.Events) == 0 {
			t.Errorf("%s: no events", path)
		}
	}
}

// TestZonesShared: commits with the same UTC offset share one zone (a zone
// per commit cost more than the commit), and each keeps its own offset.
func TestZonesShared(t *testing.T) {
	lines := strings.Join([]string{
		"f29bc91bbdab169fc0c0a326965953d11c7dff83\x1fA\x1fa@example.com\x1f2025-03-03T09:12:44-06:00\x1fA\x1fa@example.com\x1f2025-03-03T09:12:44-06:00",
		"b9f85daa6f83cf02ce5c31913d1f64d3f5c8fade\x1fB\x1fb@example.com\x1f2025-03-04T10:00:00-06:00\x1fB\x1fb@example.com\x1f2025-03-04T11:00:00+09:00",
	}, "\n")
	got := decode(t, "z.log", []byte(lines))
	if len(got.Events) != 2 {
		t.Fatalf("got %d events, rejections %+v; want 2", len(got.Events), got.Rejections)
	}
	a, b := got.Events[0].Commit, got.Events[1].Commit
	if a.AuthorTime.Location() != b.AuthorTime.Location() || a.AuthorTime.Location() != a.CommitterTime.Location() {
		t.Error("commits at -06:00 do not share one zone")
	}
	if _, off := b.CommitterTime.Zone(); off != 9*3600 || b.CommitterTime.Location() == b.AuthorTime.Location() {
		t.Errorf("committer offset = %d s, want +09:00 in a zone of its own", off)
	}
}
