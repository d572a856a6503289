package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File names written by WriteDir. The scanner sniffs content, not names.
const (
	FileOkta       = "okta.ndjson"
	FileRoster     = "roster.scim.json"
	FileCandidates = "candidates.greenhouse.json"
	FilePayroll    = "payroll.csv"
	FileShipments  = "shipments.csv"
	FileTruth      = "truth.json"
)

// WriteDir writes every file of the organisation into dir, creating it.
func (o *Org) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("simulation output: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{FileRoster, o.WriteSCIM},
		{FileCandidates, o.WriteGreenhouse},
		{FilePayroll, o.WritePayroll},
		{FileShipments, o.WriteShipments},
		{FileOkta, o.WriteOkta},
		{FileTruth, o.WriteTruth},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes path through a buffer, reporting close errors.
func writeFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("simulation output: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("simulation output %q: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return fmt.Errorf("simulation output %q: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("simulation output %q: %w", path, err)
	}
	return nil
}

// WriteTruth writes truth.json (indented: people read it).
func (o *Org) WriteTruth(w io.Writer) error {
	b, err := json.MarshalIndent(o.truth, "", "  ")
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	return nil
}
