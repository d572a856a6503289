package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/link"
	"github.com/rollcall/rollcall/internal/source"
)

func newLinkCmd(e *env) *cobra.Command {
	opt := link.DefaultOptions()
	var mapping, format string
	var asCSV, withModel bool
	cmd := &cobra.Command{
		Use:   "link [flags] FILE...",
		Short: "Link applicant records that name one person or one operator's personas",
		Long: `link resolves applicant records at platform scale: it finds the records that
name one person (typos, nicknames, transliterations, a new mailbox or address)
and the personas one operator runs (different names sharing phones, payout
accounts, a résumé template).

Input: Greenhouse Harvest candidates (GET /v1/candidates JSON, NDJSON or one
candidate), or CSV with a header row. CSV columns are mapped to fields with
--map field=column,…; without --map, columns named like a field (or rec_id,
first_name, surname, date_of_birth, suburb, state, soc_sec_id, zip…) are used.
A multi-valued field (email, phone, url, payout) may be mapped from several
columns and may hold several values separated by ';'.

Fields: id (required, unique), given_name, family_name, birth_date (YYYYMMDD,
YYYY-MM-DD or DD/MM/YYYY), email, phone (E.164 or national, read in --region
or the record's country), street_number, address, address2, city, postcode,
region, country, national_id, url, payout (an account fingerprint), resume
(résumé text).

How: records are blocked on phonetic names (Soundex) with birth year or date,
canonical phone, mailbox and distinctive email handle, address, national id,
URL and payout account, plus MinHash LSH over résumé text; candidate pairs are
graded field by field (exact, Jaro-Winkler bands, nickname, date typos, values
many records share such as an agency's switchboard); a Fellegi-Sunter model
with m estimated by EM and u from random pairs (as Splink does) scores them.
Pairs at or above --match-probability are "person" links; pairs that differ by
name but share two or more kinds of identifier are "shared" links (one
operator's personas). Clusters never over-merge: weak bridges between two
groups are cut, and no cluster grows past --max-cluster.

Output: JSON {"clusters":[{"id","members","links":[{"a","b","kind","weight",
"probability","matched"}]}],"stats":{…}} on stdout, or CSV with --csv (one
row per link). Only clusters of two or more records are listed. A summary
goes to stderr. Exit 2 on unreadable input, naming the file, line and column.`,
		Example: `  rollcall link --map id=candidate,given_name=first,family_name=last,email=mail,phone=mobile applicants.csv
  rollcall link --csv dataset4a.csv dataset4b.csv > links.csv
  rollcall link candidates.json
  rollcall link synth --records 1000000 --out pool.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var m link.Mapping
			if mapping != "" {
				var err error
				if m, err = link.ParseMapping(mapping); err != nil {
					return usageError("--map: %v", err)
				}
			}
			if err := opt.Validate(); err != nil {
				return usageError("%v", err)
			}
			var recs []link.Record
			for _, path := range args {
				rs, err := readApplicants(cmd, path, format, m)
				if err != nil {
					return &exitError{code: ExitUsage, err: err}
				}
				recs = append(recs, rs...)
			}
			if len(recs) == 0 {
				return usageError("no records read from %d file(s)", len(args))
			}
			start := time.Now()
			res, err := link.Link(cmd.Context(), recs, opt)
			if err != nil {
				return &exitError{code: ExitUsage, err: err}
			}
			out := bufio.NewWriter(e.stdout)
			if asCSV {
				err = link.WriteCSV(out, res)
			} else {
				err = link.WriteJSON(out, res, withModel)
			}
			if err == nil {
				err = out.Flush()
			}
			if err != nil {
				return err
			}
			st := res.Stats
			fmt.Fprintf(e.stderr, "linked %d records in %v: %d clusters hold %d records; %d pairs compared, %d links, %d weak bridges cut\n",
				st.Records, time.Since(start).Round(time.Millisecond), st.Clusters, st.LinkedRecords, st.PairsCompared, st.Links, st.CutBridges)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&mapping, "map", "", "CSV column `mapping`: field=column,… (fields above)")
	f.StringVar(&format, "format", "auto", "input format: auto, csv or greenhouse")
	f.BoolVar(&asCSV, "csv", false, "write CSV (one row per link) instead of JSON")
	f.BoolVar(&withModel, "model", false, "include the fitted model (m, u and weight of every level) in the JSON")
	f.Float64Var(&opt.MatchProbability, "match-probability", opt.MatchProbability, "least match probability of a person link")
	f.Float64Var(&opt.SharedWeight, "shared-weight", opt.SharedWeight, "least weight of shared identifiers (two or more kinds) for a shared link")
	f.IntVar(&opt.MaxCluster, "max-cluster", opt.MaxCluster, "largest cluster")
	f.IntVar(&opt.FrequentValue, "frequent", opt.FrequentValue, "records above which a phone, mailbox, URL or account is a shared switchboard, not a person's own")
	f.StringVar(&opt.DefaultRegion, "region", opt.DefaultRegion, "region (ISO 3166-1 alpha-2) for phone numbers without a country code")
	cmd.AddCommand(newLinkSynthCmd(e))
	return cmd
}

// readApplicants reads one file of applicant records in format (auto:
// JSON content is Greenhouse, anything else CSV).
func readApplicants(cmd *cobra.Command, path, format string, m link.Mapping) ([]link.Record, error) {
	f, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	if format == "auto" {
		head, _ := br.Peek(512)
		format = "csv"
		if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '[' || t[0] == '{') {
			format = "greenhouse"
		}
	}
	switch format {
	case "csv":
		return link.ReadCSV(br, path, m)
	case "greenhouse":
		if m != nil {
			return nil, fmt.Errorf("%s: --map applies to CSV input; Greenhouse candidates are read by their own field names", path)
		}
		return link.ReadGreenhouse(cmd.Context(), br, path)
	}
	return nil, fmt.Errorf("--format %q: want auto, csv or greenhouse", format)
}

func newLinkSynthCmd(e *env) *cobra.Command {
	var out string
	var n int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "synth --records N --out FILE",
		Short: "Write a synthetic applicant pool (CSV) to try or benchmark link",
		Long: `synth writes N synthetic applicant records as CSV with field-named columns:
people applying more than once (typos, nicknames, transliterations, reformatted
mailboxes and phones, moves), agency applicants giving their agency's
switchboard as phone, and facilitator rings of personas sharing phones, a
payout account and a résumé template.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" || n < 1 {
				return usageError("synth needs --out FILE and --records N (at least 1)")
			}
			so := link.DefaultSynthOptions(n)
			so.Seed = seed
			recs, _ := link.Synthesize(so)
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(f)
			if err := link.WriteRecordsCSV(w, recs); err != nil {
				f.Close()
				return err
			}
			if err := w.Flush(); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "wrote %d applicant records to %s\n", len(recs), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output CSV `FILE`")
	cmd.Flags().IntVar(&n, "records", 10_000, "number of records")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed (the same seed writes the same records)")
	return cmd
}
