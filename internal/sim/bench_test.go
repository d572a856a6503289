package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"testing"
)

func TestWriteOktaNDJSON(t *testing.T) {
	var buf bytes.Buffer
	const n = 3000
	if err := WriteOktaNDJSON(&buf, 9, n); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lines, prev := 0, ""
	for sc.Scan() {
		var e struct {
			Published string `json:"published"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d: %v", lines+1, err)
		}
		if e.Published < prev {
			t.Fatalf("line %d out of order", lines+1)
		}
		prev = e.Published
		lines++
	}
	if lines != n {
		t.Errorf("%d events, want %d", lines, n)
	}
	if err := WriteOktaNDJSON(io.Discard, 9, 0); err == nil {
		t.Error("WriteOktaNDJSON(n=0) = nil error")
	}
}

// BenchmarkGenerateAndWrite is the default organisation (500 people, 90
// days), generated and written to memory in every format.
func BenchmarkGenerateAndWrite(b *testing.B) {
	for b.Loop() {
		o, err := Generate(Config{})
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range o.Files() {
			if err := o.WriteFile(name, io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkOktaStream streams Okta events for scan benchmarks.
func BenchmarkOktaStream(b *testing.B) {
	for b.Loop() {
		cw := &byteCounter{}
		if err := WriteOktaNDJSON(cw, 1, 100000); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(cw.n)
	}
}

type byteCounter struct{ n int64 }

func (c *byteCounter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
