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
	FileOkta       = "okta.ndjson" // written when the organisation's IdP is Okta
	FileEntra      = "entra.json"  // … or Entra ID
	FileRoster     = "roster.scim.json"
	FileCandidates = "candidates.greenhouse.json"
	FilePayroll    = "payroll.csv"
	FileShipments  = "shipments.csv"
	FileWorkspace  = "workspace.ndjson"
	FileGitHub     = "github-audit.ndjson"
	FileGitLog     = "gitlog.txt"
	FileOsquery    = "osquery.ndjson"
	FileTruth      = "truth.json"
	// FileZoom (interviews.go), FileOktaMFA (mfa_enrolment.go) and
	// FileTeams (teams.go) are written too.
)

// Files returns the names of the files WriteDir writes, in order.
func (o *Org) Files() []string {
	switch {
	case o.cfg.IdP == IdPEntra:
		return []string{FileRoster, FileCandidates, FilePayroll, FileShipments, FileEntra, FileWorkspace, FileGitHub, FileGitLog, FileOsquery, FileZoom, FileTeams, FileAllowList, FileTruth}
	case len(o.enrolments) == 0: // nobody starts inside the window: no empty file to skip
		return []string{FileRoster, FileCandidates, FilePayroll, FileShipments, FileOkta, FileWorkspace, FileGitHub, FileGitLog, FileOsquery, FileZoom, FileAllowList, FileTruth}
	}
	return []string{FileRoster, FileCandidates, FilePayroll, FileShipments, FileOkta, FileOktaMFA, FileWorkspace, FileGitHub, FileGitLog, FileOsquery, FileZoom, FileAllowList, FileTruth}
}

// WriteDir writes every file of the organisation into dir, creating it.
func (o *Org) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("simulation output: %w", err)
	}
	for _, name := range o.Files() {
		if err := writeFile(filepath.Join(dir, name), o.writerOf(name)); err != nil {
			return err
		}
	}
	return nil
}

// writerOf returns the writer of a file named in Files.
func (o *Org) writerOf(name string) func(io.Writer) error {
	return map[string]func(io.Writer) error{
		FileOkta: o.WriteOkta, FileEntra: o.WriteEntra, FileRoster: o.WriteSCIM, FileCandidates: o.WriteGreenhouse,
		FilePayroll: o.WritePayroll, FileShipments: o.WriteShipments, FileWorkspace: o.WriteWorkspace,
		FileGitHub: o.WriteGitHubAudit, FileGitLog: o.WriteGitLog, FileOsquery: o.WriteOsquery, FileZoom: o.WriteZoom, FileTeams: o.WriteTeams, FileOktaMFA: o.WriteOktaMFA, FileAllowList: o.WriteAllowList, FileTruth: o.WriteTruth,
	}[name]
}

// WriteFile writes one of the files named in Files to w.
func (o *Org) WriteFile(name string, w io.Writer) error {
	f := o.writerOf(name)
	if f == nil {
		return fmt.Errorf("simulation output: no file named %q", name)
	}
	return f(w)
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
