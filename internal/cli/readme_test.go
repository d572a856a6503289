package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/pipeline"
)

// readmeCommands returns every line starting with "rollcall " inside the
// README's ```sh blocks, in order.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "```sh"):
			in = true
		case strings.HasPrefix(line, "```"):
			in = false
		case in && strings.HasPrefix(line, "rollcall "):
			cmds = append(cmds, line)
		}
	}
	return cmds
}

// TestReadmeCommands runs every rollcall command the README shows, in
// order, in a scratch directory, so the README cannot rot. Commands that
// start a server are left to the server's own tests.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("README commands skipped in -short mode")
	}
	cmds := readmeCommands(t)
	if len(cmds) < 5 {
		t.Fatalf("found only %d rollcall commands in README.md", len(cmds))
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "configs"), os.DirFS(filepath.Join(root, "configs"))); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "rules"), os.DirFS(filepath.Join(root, "rules"))); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS(filepath.Join(root, "examples"))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	shareAnalyses(t)
	for _, line := range cmds {
		args, redirect := splitCommand(t, line)
		if len(args) > 1 && (args[1] == "serve" || args[1] == "demo") {
			continue // long-running or covered by TestDemo
		}
		var stdout, stderr bytes.Buffer
		stdin := ""
		if len(args) > 2 && args[1] == "user" && (args[2] == "add" || args[2] == "passwd") {
			stdin = "a long test passphrase for the readme\n"
		}
		code := Main(args[1:], strings.NewReader(stdin), &stdout, &stderr)
		want := ExitOK
		if strings.Contains(line, "--fail-on") {
			want = -1 // 0 or 1: depends on the data
		}
		if (want == ExitOK && code != ExitOK) || (want == -1 && code != ExitOK && code != ExitFindings) {
			t.Errorf("%s: exit %d\nstderr: %s", line, code, stderr.String())
			continue
		}
		if stdout.Len() == 0 {
			t.Errorf("%s: printed nothing", line)
		}
		if redirect != "" {
			if err := os.WriteFile(redirect, stdout.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// shareAnalyses makes commands that analyse the same inputs under the same
// policy and time share one analysis while t runs: the README scans one
// simulated organisation many ways (table, JSON, HTML, database, --fail-on,
// a policy file), and analysing it once instead of six times is most of
// this package's test time under the race detector. Only the analysis is
// shared; every command still renders, writes and exits on its own.
func shareAnalyses(t *testing.T) {
	t.Helper()
	type entry struct {
		opts pipeline.Options
		res  *pipeline.Result
	}
	var done []entry
	same := func(a, b pipeline.Options) bool {
		return reflect.DeepEqual(a.Inputs, b.Inputs) && a.Now.Equal(b.Now) && reflect.DeepEqual(a.Notes, b.Notes) &&
			reflect.DeepEqual(a.Policy, b.Policy) && a.Indicators == nil && b.Indicators == nil
	}
	real := analyse
	t.Cleanup(func() { analyse = real })
	analyse = func(ctx context.Context, opts pipeline.Options) (*pipeline.Result, error) {
		for _, e := range done {
			if same(e.opts, opts) {
				return e.res, nil
			}
		}
		res, err := real(ctx, opts)
		if err == nil {
			done = append(done, entry{opts, res})
		}
		return res, err
	}
}

// splitCommand splits a README command into words and an optional
// "> FILE" redirection. The README uses no quoting.
func splitCommand(t *testing.T, line string) ([]string, string) {
	t.Helper()
	if i := strings.Index(line, "#"); i >= 0 {
		line = line[:i]
	}
	redirect := ""
	if i := strings.Index(line, ">"); i >= 0 {
		redirect = strings.TrimSpace(line[i+1:])
		line = line[:i]
	}
	if strings.ContainsAny(line, `"'|&;$`) {
		t.Fatalf("README command %q uses shell syntax the test cannot run", line)
	}
	return strings.Fields(line), redirect
}
