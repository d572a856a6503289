package resumes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"
)

// PDF and .docx parsing runs in a child process: the rollcall binary
// itself, re-executed with childEnv set, under a memory and a CPU rlimit, and killed when it overruns its time. A hostile document (a
// content-stream bomb that decompresses to gigabytes of glyphs, a parse
// that loops) then costs at most ChildMemory and ChildCPU and is rejected
// with the reason; the scan or the server goes on. The PDF library has no
// way to stop a parse, so bounding it inside the process is not possible.
//
// Isolation needs an executable that calls ExtractorMain first thing in
// main (cmd/rollcall does). Elsewhere (the unit tests of other packages)
// extraction runs in process with the structural checks and the timeout
// only.
const (
	childEnv = "ROLLCALL_RESUME_EXTRACTOR"
	// ChildMemory is the child's data-segment limit (RLIMIT_DATA: private
	// writable memory, which is what the Go heap is; the address space the
	// runtime only reserves is not counted, unlike RLIMIT_AS).
	ChildMemory = 768 << 20
	// ChildCPU is the child's CPU-time limit in seconds (RLIMIT_CPU).
	ChildCPU = 20
	// maxChildOutput bounds the text a child may return.
	maxChildOutput = 8 << 20
	// maxChildren bounds the extractions running at once.
	maxChildren = 2
)

// isolated is set by ExtractorMain: this executable can be re-executed as
// the extractor.
var isolated atomic.Bool

// children bounds concurrent child processes.
var children = make(chan struct{}, maxChildren)

// ExtractorMain must be called first in main. In a process started as an
// extractor child it extracts the document on stdin, writes the result on
// stdout and exits; in any other process it enables isolated extraction
// and returns.
func ExtractorMain() {
	if os.Getenv(childEnv) != "1" {
		isolated.Store(true)
		return
	}
	os.Exit(runChild(os.Stdin, os.Stdout))
}

// childResult is what a child writes on stdout.
type childResult struct {
	Text  string    `json:"text"`
	Date  time.Time `json:"date"`
	Error string    `json:"error,omitempty"`
}

// runChild limits its own process, extracts the document read from in and
// writes a childResult to out. It returns the exit code.
func runChild(in io.Reader, out io.Writer) int {
	// Limits first, before the document is read. A limit that cannot be
	// set is fatal: an unbounded child is what isolation is for.
	for _, l := range []struct {
		res int
		max uint64
	}{{syscall.RLIMIT_DATA, ChildMemory}, {syscall.RLIMIT_CPU, ChildCPU}} {
		if err := syscall.Setrlimit(l.res, &syscall.Rlimit{Cur: l.max, Max: l.max}); err != nil {
			fmt.Fprintf(os.Stderr, "résumé extractor: setting limits: %v\n", err)
			return 3
		}
	}
	debug.SetMemoryLimit(ChildMemory / 2)
	data, err := io.ReadAll(io.LimitReader(in, MaxDocumentSize+1))
	if err != nil {
		fmt.Fprintf(os.Stderr, "résumé extractor: reading: %v\n", err)
		return 3
	}
	var res childResult
	doc, err := extractInProcess(data)
	if err != nil {
		res.Error = err.Error()
	} else {
		res.Text, res.Date = doc.Text, doc.Date
	}
	if err := json.NewEncoder(out).Encode(res); err != nil {
		return 3
	}
	return 0
}

// extractInProcess parses a PDF or .docx in this process.
func extractInProcess(data []byte) (Document, error) {
	if kindOf(data) == kindPDF {
		return pdfText(data)
	}
	return docxText(data)
}

// extractBinary extracts a PDF or .docx, in a child process when this
// executable allows it (see ExtractorMain).
func extractBinary(data []byte) (Document, error) {
	if !isolated.Load() {
		return extractInProcess(data)
	}
	exe, err := os.Executable()
	if err != nil {
		return extractInProcess(data)
	}
	children <- struct{}{}
	defer func() { <-children }()
	ctx, cancel := context.WithTimeout(context.Background(), pdfTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin = bytes.NewReader(data)
	var stdout, stderr capped
	stdout.limit, stderr.limit = maxChildOutput, 4<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	switch {
	case ctx.Err() != nil:
		return Document{}, fmt.Errorf("document too complex or malformed: no text after %v (extraction stopped)", pdfTimeout)
	case stdout.over:
		return Document{}, fmt.Errorf("document text larger than %d bytes: not a résumé", maxChildOutput)
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL) {
				return Document{}, fmt.Errorf("document too complex: extraction used more than %d s of CPU (stopped)", ChildCPU)
			}
			// The Go runtime says "out of memory" or "cannot allocate
			// memory"; a race-enabled build "failed to allocate".
			if msg := bytes.ToLower(stderr.Bytes()); bytes.Contains(msg, []byte("memory")) || bytes.Contains(msg, []byte("failed to allocate")) {
				return Document{}, fmt.Errorf("document too complex: extraction needed more than %d MiB (stopped); a résumé never does", ChildMemory>>20)
			}
		}
		first, _, _ := bytes.Cut(bytes.TrimSpace(stderr.Bytes()), []byte("\n"))
		return Document{}, fmt.Errorf("document could not be read: extraction failed (%v: %s)", err, clip(string(first)))
	}
	var res childResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return Document{}, fmt.Errorf("document could not be read: extractor output: %w", err)
	}
	if res.Error != "" {
		return Document{}, errors.New(res.Error)
	}
	return Document{Text: res.Text, Date: res.Date}, nil
}

// capped is a buffer that keeps at most limit bytes and remembers being
// over; writes never fail, so that the child is not blocked on a pipe.
type capped struct {
	bytes.Buffer
	limit int
	over  bool
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.limit - c.Len(); len(p) > room {
		c.over = true
		c.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.Buffer.Write(p)
}
