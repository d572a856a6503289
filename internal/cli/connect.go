package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sigma"
	"github.com/rollcall/rollcall/internal/watchlist"
)

// connectFlags are scan's outputs for the tools a security team already
// runs: OCSF findings for a SIEM or security lake, a STIX bundle for an
// ISAC or a peer company.
type connectFlags struct {
	ocsf       string
	stix       string
	includePII bool
	watchlists []string
	sigma      []string
}

func (c *connectFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&c.ocsf, "ocsf", "", "also write OCSF 1.4.0 Detection Findings (flagged people, cell members) and Incident Findings (cells) as NDJSON to `FILE`")
	fl.StringVar(&c.stix, "stix", "", "also write a STIX 2.1 bundle of the shared infrastructure of cells with a flagged member to `FILE` (no names, mailboxes, phones or addresses unless --include-pii)")
	fl.BoolVar(&c.includePII, "include-pii", false, "put mailboxes, phone numbers and postal addresses in the --stix bundle")
	fl.StringArrayVar(&c.sigma, "sigma", nil, "Sigma rule `FILE` or directory of .yml rules (okta, azure signinlogs, google_workspace, github logsources); matches are SIG-01 findings, weak unless the policy sets sigma.strong (repeatable)")
	fl.StringArrayVar(&c.watchlists, "watchlist", nil, "watchlist `FILE` of burned identifiers, CSV (kind,value,case,person,added) or a STIX 2.1 bundle (see 'rollcall watchlist'); anyone reusing one is flagged (APP-20; repeatable)")
}

// readPolicyInputs adds the --sigma rules and the --watchlist files'
// entries to the scan's policy, which it replaces rather than modifies.
func (c *connectFlags) readPolicyInputs(stderr io.Writer, opts *pipeline.Options) error {
	if len(c.watchlists) == 0 && len(c.sigma) == 0 {
		return nil
	}
	pol := policy.Default()
	if opts.Policy != nil {
		pol = opts.Policy
	}
	cp := *pol
	if len(c.sigma) > 0 {
		rules, err := sigma.Load(c.sigma...)
		if err != nil {
			return usageError("--sigma: %v", err)
		}
		for _, r := range rules {
			for _, have := range pol.Sigma.Loaded {
				if r.ID != "" && strings.EqualFold(r.ID, have.ID) {
					return usageError("--sigma: rule %s (%s) is also in the policy's sigma.rules (%s): load it once", r.ID, r.File, have.File)
				}
			}
		}
		cp.Sigma.Loaded = append(slices.Clone(pol.Sigma.Loaded), rules...)
	}
	cp.Watchlist = slices.Clone(pol.Watchlist)
	for _, path := range c.watchlists {
		entries, err := readWatchlistFile(stderr, path)
		if err != nil {
			return usageError("--watchlist: %v", err)
		}
		cp.Watchlist = append(cp.Watchlist, entries...)
	}
	opts.Policy = &cp
	return nil
}

// readWatchlistFile reads a watchlist CSV or STIX bundle; what a bundle
// held that the watchlist cannot use is said on stderr.
func readWatchlistFile(stderr io.Writer, path string) ([]policy.Burned, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := watchlist.Read(f, path)
	if err != nil {
		return nil, err
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(stderr, "watchlist %s: left out %s\n", path, s)
	}
	return res.Entries, nil
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
