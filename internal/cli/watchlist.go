package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
	"github.com/rollcall/rollcall/internal/watchlist"
)

func newWatchlistCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "watchlist",
		Short: "Export or import the watchlist of burned identities (confirmed operatives' identifiers)",
		Long: `The watchlist holds the identifiers of people an analyst confirmed as
operatives: a confirmed verdict in the workbench (rollcall serve) adds the
person's phone numbers, mailboxes, payout account fingerprints, addresses,
device serials, locating IP addresses and GitHub handles. Every analysis
over the database (scan --db, serve, worker) flags anyone else who reuses
one (indicator APP-20), naming the burned case.

The CSV has the header kind,value,case,person,added; kind is one of
payout, device, phone, email, github, address, ip and value is the form
rollcall compares (E.164 phones, canonical mailboxes, lower-case account
fingerprints, rollcall's address keys). scan --watchlist FILE uses a list
without a database.

import also reads STIX 2.1 bundles (what scan --stix writes, or an ISAC's):
indicators whose pattern compares values ([ipv4-addr:value = '…'], joined
by OR) and observables of the types ipv4-addr, ipv6-addr, email-addr,
github.com profile url and rollcall's x-rollcall-payout-fingerprint,
-device-serial, -phone-number and -postal-address. A shortened payout
fingerprint ("9f2c6a1e…", as reports share it) matches every fingerprint
that starts so. The case is the grouping and the producer ("rollcall cell
C1 (STIX bundle from rollcall)"); what the watchlist cannot hold
(domain-name, résumé fingerprints, other patterns) is listed on stderr.`,
	}
	var db, out string
	export := &cobra.Command{
		Use:   "export --db DSN [--out FILE]",
		Short: "Write the database's watchlist as CSV",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			wl, closeStore, err := openWatchlist(cmd, db)
			if err != nil {
				return err
			}
			defer closeStore()
			entries, err := wl.Burned(cmd.Context())
			if err != nil {
				return err
			}
			if out == "" {
				return watchlist.WriteCSV(e.stdout, entries)
			}
			return writeFile(out, "watchlist", func(w io.Writer) error { return watchlist.WriteCSV(w, entries) })
		},
	}
	export.Flags().StringVar(&out, "out", "", "write to `FILE` instead of stdout")
	imp := &cobra.Command{
		Use:   "import --db DSN FILE...",
		Short: "Add watchlist CSV files or STIX 2.1 bundles to the database's watchlist (entries already listed are skipped)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var all []policy.Burned
			for _, path := range args {
				entries, err := readWatchlistFile(e.stderr, path)
				if err != nil {
					return usageError("%v", err)
				}
				all = append(all, entries...)
			}
			wl, closeStore, err := openWatchlist(cmd, db)
			if err != nil {
				return err
			}
			defer closeStore()
			n, err := wl.AddBurned(cmd.Context(), all)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%d added, %d already listed\n", n, len(all)-n)
			return nil
		},
	}
	for _, c := range []*cobra.Command{export, imp} {
		c.Flags().StringVar(&db, "db", os.Getenv("ROLLCALL_DB"), "SQLite database `FILE` or postgres:// URL; $ROLLCALL_DB sets the default")
	}
	cmd.AddCommand(export, imp)
	return cmd
}

func openWatchlist(cmd *cobra.Command, db string) (store.Watchlist, func(), error) {
	if db == "" {
		return nil, nil, usageError("watchlist needs --db FILE or a postgres:// URL (or $ROLLCALL_DB)")
	}
	st, err := storeopen.Store(cmd.Context(), db, store.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("opening database %s: %w", redactDSN(db), err)
	}
	wl, ok := st.(store.Watchlist)
	if !ok {
		st.Close()
		return nil, nil, fmt.Errorf("database %s keeps no watchlist", redactDSN(db))
	}
	return wl, func() { st.Close() }, nil
}
