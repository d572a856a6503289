package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
	storeopen "github.com/rollcall/rollcall/internal/store/open"
	"github.com/rollcall/rollcall/internal/stream"
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
payout, device, phone, email, github, address, ip; values are read into
the form rollcall compares (a phone number's last ten digits, canonical
mailboxes, device-serial keys, lower-case account fingerprints, rollcall's
address keys). scan --watchlist FILE uses a list without a database;
export --stix writes the list as a STIX 2.1 bundle.

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
	var (
		db, out, tenant    string
		asSTIX, includePII bool
	)
	export := &cobra.Command{
		Use:   "export --db DSN [--out FILE] [--stix [--include-pii]]",
		Short: "Write the database's watchlist as CSV, or as a STIX 2.1 bundle",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			wl, closeStore, err := openWatchlist(cmd, db, tenant)
			if err != nil {
				return err
			}
			defer closeStore()
			entries, err := wl.Burned(cmd.Context())
			if err != nil {
				return err
			}
			write := func(w io.Writer) error { return watchlist.WriteCSV(w, entries) }
			if asSTIX {
				rep := report.STIXWatchlist{Time: time.Now(), IncludePII: includePII}
				write = func(w io.Writer) error { return rep.Write(w, entries) }
			} else if includePII {
				return usageError("--include-pii only applies to --stix (the CSV always holds every entry)")
			}
			if out == "" {
				return write(e.stdout)
			}
			return writeFile(out, "watchlist", write)
		},
	}
	export.Flags().StringVar(&out, "out", "", "write to `FILE` instead of stdout")
	export.Flags().BoolVar(&asSTIX, "stix", false, "write a STIX 2.1 bundle (an indicator and an observable per entry, a grouping per case; payout fingerprints shortened; no operative ids) instead of CSV")
	export.Flags().BoolVar(&includePII, "include-pii", false, "put mailboxes, phone numbers and postal addresses in the --stix bundle")
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
			wl, closeStore, err := openWatchlist(cmd, db, tenant)
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
	share := &cobra.Command{
		Use:   "share --db DSN [--tenant T] on|off|status",
		Short: "Opt the tenant in to (or out of) sharing its watchlist with the other tenants that opted in",
		Long: `Tenants of one database keep their watchlists apart. A tenant that opts in
reads the entries of every other tenant that opted in, and theirs read its
own: a new hire of tenant B who reuses an identifier burned in tenant A is
flagged (APP-20, naming "case N of tenant A") only when both A and B opted
in. Off by default; "off" withdraws the tenant's list at once.`,
		Example: `  rollcall watchlist share --db rollcall.db --tenant acme on`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var on bool
			switch args[0] {
			case "on":
				on = true
			case "off":
			case "status":
			default:
				return usageError("watchlist share: %q, want on, off or status", args[0])
			}
			wl, closeStore, err := openWatchlist(cmd, db, tenant)
			if err != nil {
				return err
			}
			defer closeStore()
			sh, ok := wl.(store.WatchlistSharing)
			if !ok {
				return fmt.Errorf("database %s cannot share watchlists between tenants", redactDSN(db))
			}
			if args[0] != "status" {
				if err := sh.ShareWatchlist(cmd.Context(), on); err != nil {
					return err
				}
			}
			if on, err = sh.SharesWatchlist(cmd.Context()); err != nil {
				return err
			}
			state := "does not share its watchlist"
			if on {
				state = "shares its watchlist with the other tenants that opted in"
			}
			fmt.Fprintf(e.stdout, "tenant %s %s\n", store.Options{Tenant: tenant}.TenantOrDefault(), state)
			return nil
		},
	}
	for _, c := range []*cobra.Command{export, imp, share} {
		c.Flags().StringVar(&db, "db", os.Getenv("ROLLCALL_DB"), "SQLite database `FILE` or postgres:// URL; $ROLLCALL_DB sets the default")
		c.Flags().StringVar(&tenant, "tenant", store.DefaultTenant, "the tenant whose watchlist to use")
	}
	cmd.AddCommand(export, imp, share)
	return cmd
}

func openWatchlist(cmd *cobra.Command, db, tenant string) (store.Watchlist, func(), error) {
	if db == "" {
		return nil, nil, usageError("watchlist needs --db FILE or a postgres:// URL (or $ROLLCALL_DB)")
	}
	if err := stream.ValidTenant(tenant); err != nil {
		return nil, nil, usageError("--tenant: %v", err)
	}
	st, err := storeopen.Store(cmd.Context(), db, store.Options{Tenant: tenant})
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
