package sim

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// writeTo generates the organisation cfg describes and writes it to a
// directory of the test's own, which it returns.
func writeTo(t *testing.T, cfg Config) string {
	t.Helper()
	_, dir := generated(t, cfg)
	return dir
}

// generated is writeTo that also returns the organisation.
func generated(t *testing.T, cfg Config) (*Org, string) {
	t.Helper()
	o, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := o.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	return o, dir
}

func TestDeterministic(t *testing.T) {
	cfg := Config{Seed: 11, People: 60, Days: 14}
	a, b := writeTo(t, cfg), writeTo(t, cfg)
	other := writeTo(t, Config{Seed: 12, People: 60, Days: 14})
	for _, name := range []string{FileOkta, FileRoster, FileCandidates, FilePayroll, FileShipments, FileTruth} {
		t.Run(name, func(t *testing.T) {
			x, err := os.ReadFile(filepath.Join(a, name))
			if err != nil {
				t.Fatal(err)
			}
			y, err := os.ReadFile(filepath.Join(b, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("%s differs between two runs with the same seed (%d vs %d bytes)", name, len(x), len(y))
			}
			z, err := os.ReadFile(filepath.Join(other, name))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(x, z) {
				t.Errorf("%s is the same for seeds 11 and 12", name)
			}
		})
	}
}

// TestWritersIndependent: writing one file does not change another (no
// writer consumes shared randomness).
func TestWritersIndependent(t *testing.T) {
	o, err := Generate(Config{Seed: 5, People: 40, Days: 10})
	if err != nil {
		t.Fatal(err)
	}
	var first, second bytes.Buffer
	if err := o.WriteOkta(&first); err != nil {
		t.Fatal(err)
	}
	var scratch bytes.Buffer
	if err := o.WriteGreenhouse(&scratch); err != nil {
		t.Fatal(err)
	}
	if err := o.WriteOkta(&second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("WriteOkta output changed after other writers ran")
	}
}
