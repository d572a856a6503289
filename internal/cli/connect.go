package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
)

// connectFlags are scan's outputs for the tools a security team already
// runs: OCSF findings for a SIEM or security lake, a STIX bundle for an
// ISAC or a peer company.
type connectFlags struct {
	ocsf       string
	stix       string
	includePII bool
}

func (c *connectFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&c.ocsf, "ocsf", "", "also write OCSF 1.3.0 Detection Findings (flagged people, cell members) and Incident Findings (cells) as NDJSON to `FILE`")
	fl.StringVar(&c.stix, "stix", "", "also write a STIX 2.1 bundle of the shared infrastructure of cells with a flagged member to `FILE` (no names, mailboxes, phones or addresses unless --include-pii)")
	fl.BoolVar(&c.includePII, "include-pii", false, "put mailboxes, phone numbers and postal addresses in the --stix bundle")
}

// write writes every requested output file.
func (c *connectFlags) write(res *pipeline.Result) error {
	if c.includePII && c.stix == "" {
		return usageError("--include-pii only applies to the --stix bundle: add --stix FILE or leave it out")
	}
	if c.ocsf != "" {
		rep := report.OCSF{Time: res.Now, ProductVersion: versionString()}
		if err := writeFile(c.ocsf, "OCSF findings", func(w io.Writer) error { return rep.Write(w, res.Report) }); err != nil {
			return err
		}
	}
	if c.stix != "" {
		rep := report.STIX{Time: res.Now, IncludePII: c.includePII}
		if err := writeFile(c.stix, "STIX bundle", func(w io.Writer) error { return rep.Write(w, res.Report) }); err != nil {
			return err
		}
	}
	return nil
}

// writeFile creates path and fills it with write; what names the output in
// errors.
func writeFile(path, what string, write func(io.Writer) error) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	if err := write(out); err != nil {
		out.Close()
		return fmt.Errorf("writing %s %q: %w", what, path, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("writing %s %q: %w", what, path, err)
	}
	return nil
}
