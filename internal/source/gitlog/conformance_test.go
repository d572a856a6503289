package gitlog_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/source/gitlog"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// gitFormat is the documented export command's format string.
const gitFormat = "%H%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI"

// TestRealGit runs git itself on a throw-away repository in a temporary
// directory, so that the adapter is checked against what git really
// writes, not against fixtures written by hand.
func TestRealGit(t *testing.T) {
	gitBin, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed: cannot check real git log output")
	}
	dir := t.TempDir()
	run := func(env []string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = dir
		cmd.Env = append([]string{"HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull, "PATH=" + os.Getenv("PATH")}, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run(nil, "init", "--quiet")
	commits := []struct {
		name, email, date string
	}{
		{"Dana Whitfield", "dana.whitfield@contoso.com", "2025-03-03T09:12:44-06:00"},
		{"José Álvarez", "jose.alvarez@contoso.com", "2025-03-04T16:05:00+05:30"},
		{"Marcus Oyelaran", "Marcus.Oyelaran@Contoso.com", "2025-03-04T02:47:10+09:00"},
	}
	for i, c := range commits {
		run([]string{
			"GIT_AUTHOR_NAME=" + c.name, "GIT_AUTHOR_EMAIL=" + c.email, "GIT_AUTHOR_DATE=" + c.date,
			"GIT_COMMITTER_NAME=CI Bot", "GIT_COMMITTER_EMAIL=ci@contoso.com", "GIT_COMMITTER_DATE=2025-03-05T00:00:00Z",
		}, "commit", "--quiet", "--allow-empty", "-m", "commit "+string(rune('a'+i)))
	}
	out := run(nil, "log", "--format="+gitFormat)
	if !gitlog.New().Sniff(out) {
		t.Fatalf("Sniff does not claim real git log output:\n%q", out)
	}
	c := sourcetest.DecodeBytes(t, gitlog.New(), "git.log", out)
	sourcetest.CheckInvariants(t, gitlog.ID, c)
	if c.Err != "" {
		t.Fatalf("Decode: %s", c.Err)
	}
	if len(c.Rejections) != 0 || len(c.Events) != len(commits) {
		t.Fatalf("got %d events, rejections %+v; want %d events", len(c.Events), c.Rejections, len(commits))
	}
	hashes := strings.Fields(string(run(nil, "log", "--format=%H")))
	for i, ev := range c.Events {
		want := commits[len(commits)-1-i] // git log lists newest first
		wantTime, err := time.Parse(time.RFC3339, want.date)
		if err != nil {
			t.Fatal(err)
		}
		type view struct {
			Hash, Name, Email, Time string
		}
		got := view{ev.Commit.Hash, ev.Commit.AuthorName, ev.Commit.AuthorEmail, ev.Commit.AuthorTime.Format(time.RFC3339)}
		if diff := cmp.Diff(view{hashes[i], want.name, want.email, wantTime.Format(time.RFC3339)}, got); diff != "" {
			t.Errorf("commit %d (-want +got):\n%s", i, diff)
		}
	}
}

// TestSamples reads shared/samples/gitlog when present. No public git log
// sample is collected yet, so it usually skips; TestRealGit covers real
// output.
func TestSamples(t *testing.T) {
	for _, path := range sourcetest.Samples(t, "gitlog") {
		t.Run(strings.NewReplacer(".", "_", "-", "_").Replace(filepath.Base(path)), func(t *testing.T) {
			c := sourcetest.DecodeFile(t, gitlog.New(), path)
			sourcetest.CheckInvariants(t, gitlog.ID, c)
			for _, ev := range c.Events {
				if ev.Time.IsZero() || ev.Actor().Empty() && ev.Actor().DisplayName == "" || ev.Commit.Hash == "" {
					t.Errorf("%s:%d: incomplete commit event", path, ev.Prov.Line)
				}
			}
		})
	}
}
