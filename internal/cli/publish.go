package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/store"
	"github.com/rollcall/rollcall/internal/stream"
)

// natsFlags are the flags publish and worker share to reach JetStream.
type natsFlags struct {
	url             string
	tenant          string
	stream          string
	prefix          string
	partitions      int
	replicas        int
	maxAge          time.Duration
	duplicateWindow time.Duration
}

func (f *natsFlags) register(fl *pflag.FlagSet) {
	def := os.Getenv("ROLLCALL_NATS")
	if def == "" {
		def = nats.DefaultURL
	}
	fl.StringVar(&f.url, "nats", def, "NATS server `URL`s, comma-separated; $ROLLCALL_NATS sets the default")
	fl.StringVar(&f.tenant, "tenant", store.DefaultTenant, "tenant the records belong to (letters, digits, '-', '_')")
	fl.StringVar(&f.stream, "stream", stream.DefaultStream, "JetStream stream `NAME`")
	fl.StringVar(&f.prefix, "subject-prefix", stream.DefaultPrefix, "subject `PREFIX`: records go to PREFIX.ingest.TENANT.PARTITION")
	fl.IntVar(&f.partitions, "partitions-per-tenant", stream.DefaultPartitions, "partitions of a stream this command creates (an existing stream keeps its own)")
	fl.IntVar(&f.replicas, "replicas", 1, "stream replicas, when this command creates the stream (clustered NATS)")
	fl.DurationVar(&f.maxAge, "max-age", stream.DefaultMaxAge, "how long a stream this command creates keeps records, for replays (negative: forever)")
	fl.DurationVar(&f.duplicateWindow, "duplicate-window", stream.DefaultDuplicateWindow, "how long a stream this command creates drops re-published records by id")
}

func (f *natsFlags) topology() stream.Topology {
	return stream.Topology{Stream: f.stream, Prefix: f.prefix, Partitions: f.partitions, Replicas: f.replicas,
		MaxAge: f.maxAge, DuplicateWindow: f.duplicateWindow}
}

func (f *natsFlags) validate() error {
	if err := stream.ValidTenant(f.tenant); err != nil {
		return usageError("--tenant: %v", err)
	}
	if err := f.topology().WithDefaults().Validate(); err != nil {
		return usageError("%v", err)
	}
	return nil
}

func (f *natsFlags) connect(name string) (*nats.Conn, error) {
	nc, err := nats.Connect(f.url, nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(time.Second))
	if err != nil {
		return nil, fmt.Errorf("connecting to NATS at %s: %w", f.url, err)
	}
	return nc, nil
}

type publishFlags struct {
	limits     inputLimitFlags
	nats       natsFlags
	inputs     []string
	maxPending int
	json       bool
	quiet      bool
}

func newPublishCmd(e *env) *cobra.Command {
	var f publishFlags
	cmd := &cobra.Command{
		Use:   "publish [flags] PATH...",
		Short: "Send the records of exports to a NATS JetStream stream for workers to analyse",
		Long: `publish reads files and directories of exports exactly as scan does (the
same files, format detection and framing) and sends every record, as the raw
bytes of the export with its provenance, to a NATS JetStream stream.
'rollcall worker' processes consume it, store the events and keep the
analysis up to date.

Records go to PREFIX.ingest.TENANT.PARTITION, the partition chosen by a hash
of the record's place in its file (no look at its content). Each record's
message id is its stable identity (tenant, format, file, record number,
content hash), so publishing
the same files again within the stream's duplicate window sends nothing new,
and workers never store a record twice in any case. The stream (file
storage), a dead-letter stream and two key-value buckets are created when
missing.

Publishing is asynchronous with at most --max-pending records awaiting the
stream's acknowledgement; a publish that fails is retried with the same id.
The counts go to stdout at the end (--json for JSON).

Exit codes: 0 every record acknowledged; 2 usage or input error, or records
that could not be published.`,
		Example: `  rollcall publish --nats nats://127.0.0.1:4222 --tenant acme ./exports
  rollcall publish --tenant acme --input okta=signins.log.gz roster.json`,
		RunE: func(cmd *cobra.Command, args []string) error { return runPublish(cmd, e, &f, args) },
	}
	fl := cmd.Flags()
	f.nats.register(fl)
	fl.StringArrayVar(&f.inputs, "input", nil, "read `FORMAT=PATH` as that format instead of sniffing (repeatable)")
	fl.IntVar(&f.maxPending, "max-pending", stream.DefaultMaxPending, "records awaiting acknowledgement at most (back-pressure)")
	fl.BoolVar(&f.json, "json", false, "print the counts as JSON")
	fl.BoolVar(&f.quiet, "quiet", false, "no progress on stderr")
	f.limits.register(fl, defaultFileBytes, defaultFileRecords, "one input file")
	return cmd
}

func runPublish(cmd *cobra.Command, e *env, f *publishFlags, args []string) error {
	if len(args) == 0 && len(f.inputs) == 0 {
		return usageError("publish needs at least one file or directory (see 'rollcall publish --help')")
	}
	if err := f.nats.validate(); err != nil {
		return err
	}
	opts := stream.PublishOptions{Topology: f.nats.topology(), Tenant: f.nats.tenant, MaxPending: f.maxPending}
	for _, a := range args {
		opts.Inputs = append(opts.Inputs, pipeline.Input{Path: a})
	}
	for _, a := range f.inputs {
		in, err := pipeline.ParseInput(a)
		if err != nil {
			return usageError("--input: %v", err)
		}
		opts.Inputs = append(opts.Inputs, in)
	}
	if !f.quiet && e.tty {
		opts.Progress = func(s stream.PublishStats) {
			fmt.Fprintf(e.stderr, "\r\033[Kpublishing: %d sent, %d acknowledged", s.Sent, s.Published+s.Duplicates)
		}
	}
	if _, err := pipeline.Plan(opts.Inputs); err != nil { // input errors before connecting
		return asExit(err)
	}
	nc, err := f.nats.connect("rollcall publish")
	if err != nil {
		return err
	}
	defer nc.Close()
	stats, err := stream.Publish(source.WithLimits(cmd.Context(), f.limits.limits()), nc, opts)
	if opts.Progress != nil {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if perr := printPublishStats(e, f, stats); perr != nil && err == nil {
		err = perr
	}
	if err != nil {
		return asExit(err)
	}
	return nil
}

func printPublishStats(e *env, f *publishFlags, s stream.PublishStats) error {
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	_, err := fmt.Fprintf(e.stdout, "%d files (%d skipped): %d messages sent, %d published, %d duplicates, %d errors\n",
		s.Files, s.Skipped, s.Sent, s.Published, s.Duplicates, s.Errors)
	return err
}
