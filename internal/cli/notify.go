package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rollcall/rollcall/internal/notify"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/report"
)

// notifyFlags announce level changes to the receivers of a notify
// configuration (SSF/CAEP, webhooks, syslog).
type notifyFlags struct {
	config string
	dryRun bool
}

func (n *notifyFlags) register(fl *pflag.FlagSet) {
	n.registerConfig(fl)
	fl.BoolVar(&n.dryRun, "notify-dry-run", false, "with --notify: print the messages that would be sent (one JSON line each, SETs signed and decoded) instead of the report, and send nothing")
}

// registerConfig registers --notify alone (serve and worker announce
// after every analysis; they have no dry run).
func (n *notifyFlags) registerConfig(fl *pflag.FlagSet) {
	fl.StringVar(&n.config, "notify", "", "announce level changes to the receivers of the notify configuration `FILE` (Shared Signals/CAEP, webhooks, syslog; see README \"Connecting rollcall\")")
}

// open loads the configuration and its keys and secrets, before any
// analysis, so a bad file fails fast; nil without --notify.
func (n *notifyFlags) open() (*notify.Notifier, error) {
	if n.config == "" {
		if n.dryRun {
			return nil, usageError("--notify-dry-run needs --notify FILE")
		}
		return nil, nil
	}
	cfg, err := notify.Load(n.config)
	if err != nil {
		return nil, usageError("--notify: %v", err)
	}
	nt, err := notify.New(cfg, n.dryRun)
	if err != nil {
		return nil, usageError("--notify: %v", err)
	}
	return nt, nil
}

// run announces res's level changes; with --notify-dry-run it prints them
// to stdout instead. The summary goes to stderr.
func (n *notifyFlags) run(ctx context.Context, e *env, nt *notify.Notifier, res *pipeline.Result) error {
	in := notify.Input{Report: res.Report, Logins: notify.Logins(res.Pop), Now: res.Now}
	if n.dryRun {
		in.DryRun = e.stdout
	}
	sum, err := nt.Run(ctx, in)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if !n.dryRun {
		fmt.Fprintf(e.stderr, "notify: %s\n", sum)
	}
	return nil
}

// afterAnalysis is the worker's hook: it announces each saved analysis's
// level changes and logs the outcome.
func afterAnalysis(nt *notify.Notifier, log *slog.Logger) func(context.Context, *report.Report, *pipeline.Result) {
	return func(ctx context.Context, rep *report.Report, res *pipeline.Result) {
		sum, err := nt.Run(ctx, notify.Input{Report: rep, Logins: notify.Logins(res.Pop), Now: time.Now()})
		notify.Log(log, sum, err)
	}
}

func newNotifyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Keys for the Shared Signals receivers of --notify",
		Long: `scan --notify FILE and serve --notify FILE announce level changes to an
identity provider as signed Security Event Tokens (CAEP risk-level-change,
session-revoked), to webhooks and to syslog. The receiver verifies the
tokens with rollcall's public key: 'notify keygen' makes a signing key and
prints its JWKS for the receiver; 'notify jwks' prints the JWKS of an
existing key.`,
	}
	var out, kid string
	keygen := &cobra.Command{
		Use:   "keygen --out FILE",
		Short: "Write a new EC P-256 signing key (PEM, mode 0600) and print its public JWKS",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError("keygen needs --out FILE")
			}
			if err := notify.GenerateKey(out); err != nil {
				return err
			}
			return printJWKS(e.stdout, out, kid)
		},
	}
	keygen.Flags().StringVar(&out, "out", "", "private key `FILE` to create (refuses to overwrite)")
	keygen.Flags().StringVar(&kid, "kid", "", "key id to print (default: the key's RFC 7638 thumbprint, as --notify uses without key_id)")
	var key string
	jwks := &cobra.Command{
		Use:   "jwks --key FILE",
		Short: "Print the public JWKS of a signing key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if key == "" {
				return usageError("jwks needs --key FILE")
			}
			return printJWKS(e.stdout, key, kid)
		},
	}
	jwks.Flags().StringVar(&key, "key", "", "PEM private key `FILE`")
	jwks.Flags().StringVar(&kid, "kid", "", "key id (the key_id of the notify configuration, if it sets one)")
	cmd.AddCommand(keygen, jwks)
	return cmd
}

func printJWKS(w io.Writer, path, kid string) error {
	k, err := notify.ReadSigningKey(path, kid)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(notify.PublicJWKS(k), "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
