package list

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

var validID = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

func TestFormats(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Formats() {
		id := f.ID()
		if !validID.MatchString(id) {
			t.Errorf("format id %q is not lower-case letters, digits and dashes", id)
		}
		if seen[id] {
			t.Errorf("format id %q registered twice", id)
		}
		seen[id] = true
		if strings.TrimSpace(f.Description()) == "" {
			t.Errorf("format %q has no description", id)
		}
		if got, ok := ByID(id); !ok || got.ID() != id {
			t.Errorf("ByID(%q) = %v, %v", id, got, ok)
		}
	}
	if _, ok := ByID("nope"); ok {
		t.Error(`ByID("nope") found a format`)
	}
}

// fixtures returns, for every registered format, the input fixtures in its
// package's testdata folder (../<id>/testdata).
func fixtures(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, f := range Formats() {
		dir := filepath.Join("..", strings.ReplaceAll(f.ID(), "-", ""), "testdata") // github-users lives in githubusers
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("format %q has no fixtures: %v", f.ID(), err)
			continue
		}
		files := sourcetest.Testdata(t, dir)
		if len(files) == 0 {
			t.Errorf("format %q has no fixtures in %s", f.ID(), dir)
		}
		out[f.ID()] = files
	}
	return out
}

// TestSniffMatrix checks every format against every format's fixtures: a
// format claims its own fixtures and no other's, so Detect is never
// ambiguous on them.
func TestSniffMatrix(t *testing.T) {
	for owner, files := range fixtures(t) {
		for _, path := range files {
			h := sourcetest.Head(t, path)
			for _, f := range Formats() {
				if got, want := f.Sniff(h), f.ID() == owner; got != want {
					t.Errorf("%s.Sniff(%s) = %v, want %v", f.ID(), path, got, want)
				}
			}
			if f, err := Detect(h); err != nil || f.ID() != owner {
				t.Errorf("Detect(%s) = %v, %v; want %s", path, f, err, owner)
			}
		}
	}
}

// TestDecodeFixtures decodes every fixture through DecodeFile: every record
// read is an event or a rejection, numbered without gaps.
func TestDecodeFixtures(t *testing.T) {
	for owner, files := range fixtures(t) {
		for _, path := range files {
			res := &sourcetest.Result{}
			f, err := DecodeFile(context.Background(), path, nil, res)
			if err != nil {
				t.Errorf("DecodeFile(%s): %v", path, err)
				continue
			}
			if f.ID() != owner {
				t.Errorf("DecodeFile(%s) used %s, want %s", path, f.ID(), owner)
			}
			if res.Records() == 0 {
				t.Errorf("%s: no records", path)
			}
			sourcetest.CheckInvariants(t, owner, res)
		}
	}
}

func TestDetect(t *testing.T) {
	_, err := Detect([]byte("hello, world\n"))
	if !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("Detect(text) error = %v, want ErrUnknownFormat", err)
	}
	for _, want := range append(IDs(), "--input FORMAT=PATH") {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	both := "employee_id,effective_date,method,account_fingerprint,bank_country,payee_name,asset_tag,asset_serial,shipped_on,ship_to_name,ship_to_address,ship_to_city,ship_to_region,ship_to_postal,ship_to_country\n"
	_, err = Detect([]byte(both))
	if !errors.Is(err, ErrAmbiguousFormat) || !strings.Contains(err.Error(), "payroll, shipments") {
		t.Errorf("Detect(both headers) error = %v, want ErrAmbiguousFormat naming payroll, shipments", err)
	}
}

func TestDecodeFile(t *testing.T) {
	dir := t.TempDir()
	plain, err := os.ReadFile(filepath.Join("..", "okta", "testdata", "system_log.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	gzPath := filepath.Join(dir, "export.bin") // gzip is found by content, not name
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	textPath := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(textPath, []byte("not data\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	res := &sourcetest.Result{}
	f, err := DecodeFile(context.Background(), gzPath, nil, res)
	if err != nil || f.ID() != "okta" || len(res.Events) != 8 {
		t.Errorf("DecodeFile(gzip okta) = %v, %v, %d events; want okta, nil, 8", f, err, len(res.Events))
	}

	res = &sourcetest.Result{}
	_, err = DecodeFile(context.Background(), textPath, nil, res)
	if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), textPath) {
		t.Errorf("DecodeFile(text) error = %v, want ErrUnknownFormat naming the file", err)
	}

	forced, _ := ByID("payroll")
	_, err = DecodeFile(context.Background(), gzPath, forced, res)
	if err == nil || !strings.Contains(err.Error(), "decoding payroll") {
		t.Errorf("DecodeFile(okta forced as payroll) error = %v, want a payroll decoding error", err)
	}

	if _, err := DecodeFile(context.Background(), filepath.Join(dir, "missing"), nil, res); err == nil {
		t.Error("DecodeFile(missing file) succeeded")
	}
}

// TestSamples checks the shared public samples: a folder named after a
// registered format is detected as that format; any other folder must not
// be claimed by a format it does not belong to.
func TestSamples(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "shared", "samples")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("shared samples not available (%v); they live outside the repository", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			t.Fatal(err)
		}
		_, registered := ByID(d.Name())
		for _, fe := range files {
			path := filepath.Join(root, d.Name(), fe.Name())
			f, err := Detect(sourcetest.Head(t, path))
			switch {
			case registered && (err != nil || f.ID() != d.Name()):
				t.Errorf("Detect(%s) = %v, %v; want %s", path, f, err, d.Name())
			case !registered && !errors.Is(err, ErrUnknownFormat):
				t.Errorf("Detect(%s) = %v, %v; want no format to claim it", path, f, err)
			}
		}
	}
}
