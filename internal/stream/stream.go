// Package stream ingests records through NATS JetStream: `rollcall
// publish` sends every raw record of a set of exports to a stream, and
// `rollcall worker` processes decode them with the same adapters as
// `rollcall scan` (through the engine, internal/pipeline), store them, and
// keep the tenant's analysis current with the same engine, over state kept
// in memory between analyses. This package is transport only.
//
// Subjects are <prefix>.ingest.<tenant>.<partition>, the partition being a
// hash of the record's place (file and record number) modulo the stream's
// partition count; one durable pull consumer per tenant and partition carries the
// work, and any number of workers pull from it. A record has a stable
// identity (tenant, format, file, record number, content hash) that is its
// Nats-Msg-Id, so that re-publishing within the stream's duplicate window
// stores nothing new, and its event's store key, so that storing it again
// inserts nothing. Workers acknowledge a message only after its event is
// committed: delivery is at least once, the effect exactly once.
//
// Records the adapters reject, files in no known format and the list of
// files read are kept in a JetStream key-value bucket (<stream>_NOTES), so
// that the report's rejected records and statistics survive restarts. A
// record whose processing keeps failing goes to <prefix>.dead.<tenant>
// (stream <stream>_DEAD) with the reason. The analysis is serialized per
// tenant by a lease in the <stream>_LOCKS bucket.
package stream

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Defaults of Topology.
const (
	DefaultStream     = "ROLLCALL"
	DefaultPrefix     = "rollcall"
	DefaultPartitions = 8
	// DefaultMaxAge is how long the ingest stream keeps records, so that
	// history can be replayed (a new adapter version, a lost database).
	DefaultMaxAge = 7 * 24 * time.Hour
	// DefaultDuplicateWindow is how long JetStream remembers message ids
	// to drop re-published records. Longer windows cost server memory per
	// record; the store's idempotence covers re-publishes after it.
	DefaultDuplicateWindow = 2 * time.Minute
	// DefaultLeaseTTL is how long an analysis lease outlives a worker that
	// died holding it.
	DefaultLeaseTTL = 30 * time.Second
)

// partitionsKey is the stream metadata key holding the partition count.
const partitionsKey = "rollcall_partitions"

var (
	tenantRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	nameRE   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
	prefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)
)

// Topology names the JetStream objects of one deployment. Publishers and
// workers must agree on it; the partition count is recorded in the stream
// when it is created, and later read from there.
type Topology struct {
	Stream          string        // ingest stream name; dead letters go to Stream+"_DEAD"
	Prefix          string        // subject prefix
	Partitions      int           // partitions per tenant, used when creating the stream
	Replicas        int           // stream replicas (clustered servers); 0 means 1
	MaxAge          time.Duration // how long records are kept; 0 means DefaultMaxAge, negative forever
	DuplicateWindow time.Duration // 0 means DefaultDuplicateWindow
	// LeaseTTL is how long an analysis lease outlives a worker that died
	// holding it; 0 means DefaultLeaseTTL. Set when the locks bucket is
	// created.
	LeaseTTL time.Duration
}

// WithDefaults returns t with zero fields set to their defaults.
func (t Topology) WithDefaults() Topology {
	if t.Stream == "" {
		t.Stream = DefaultStream
	}
	if t.Prefix == "" {
		t.Prefix = DefaultPrefix
	}
	if t.Partitions == 0 {
		t.Partitions = DefaultPartitions
	}
	if t.Replicas == 0 {
		t.Replicas = 1
	}
	if t.MaxAge == 0 {
		t.MaxAge = DefaultMaxAge
	}
	if t.DuplicateWindow == 0 {
		t.DuplicateWindow = DefaultDuplicateWindow
	}
	if t.LeaseTTL == 0 {
		t.LeaseTTL = DefaultLeaseTTL
	}
	return t
}

// Validate reports a topology that cannot work, saying how to fix it.
func (t Topology) Validate() error {
	switch {
	case !nameRE.MatchString(t.Stream):
		return fmt.Errorf("stream name %q: use 1 to 32 letters, digits, '-' or '_'", t.Stream)
	case !prefixRE.MatchString(t.Prefix):
		return fmt.Errorf("subject prefix %q: use dot-separated tokens of letters, digits, '-' or '_'", t.Prefix)
	case t.Partitions < 1 || t.Partitions > 1024:
		return fmt.Errorf("partitions %d: want 1 to 1024", t.Partitions)
	case t.Replicas < 1 || t.Replicas > 5:
		return fmt.Errorf("replicas %d: want 1 to 5", t.Replicas)
	case t.DuplicateWindow < 0:
		return fmt.Errorf("duplicate window %s is negative", t.DuplicateWindow)
	case t.LeaseTTL < time.Second:
		return fmt.Errorf("lease TTL %s: want at least 1s", t.LeaseTTL)
	}
	return nil
}

// ValidTenant reports a tenant name that cannot be a subject token.
func ValidTenant(tenant string) error {
	if !tenantRE.MatchString(tenant) {
		return fmt.Errorf("tenant %q: use 1 to 64 letters, digits, '-' or '_'", tenant)
	}
	return nil
}

// IngestSubject is the subject of one tenant's partition.
func (t Topology) IngestSubject(tenant string, partition int) string {
	return t.Prefix + ".ingest." + tenant + "." + strconv.Itoa(partition)
}

// DeadSubject is the dead-letter subject of a tenant.
func (t Topology) DeadSubject(tenant string) string { return t.Prefix + ".dead." + tenant }

// DeadStream is the name of the dead-letter stream.
func (t Topology) DeadStream() string { return t.Stream + "_DEAD" }

// NotesBucket is the key-value bucket of rejections, skipped files and
// files read.
func (t Topology) NotesBucket() string { return t.Stream + "_NOTES" }

// LocksBucket is the key-value bucket of analysis leases.
func (t Topology) LocksBucket() string { return t.Stream + "_LOCKS" }

// Consumer is the durable consumer name of one tenant's partition.
func (t Topology) Consumer(tenant string, partition int) string {
	return "worker-" + tenant + "-p" + strconv.Itoa(partition)
}

// Partition maps a record's partition key onto a partition.
func Partition(key string, partitions int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(partitions))
}

// Ensure creates the ingest and dead-letter streams and the key-value
// buckets when they do not exist, and returns the topology with the
// partition count the existing stream was created with. An existing
// stream is never changed: its limits are the operator's.
func Ensure(ctx context.Context, js jetstream.JetStream, t Topology) (Topology, error) {
	t = t.WithDefaults()
	if err := t.Validate(); err != nil {
		return t, err
	}
	maxAge := max(t.MaxAge, 0)
	s, err := js.Stream(ctx, t.Stream)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		s, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name:        t.Stream,
			Description: fmt.Sprintf("rollcall ingest (partitions=%d)", t.Partitions),
			Subjects:    []string{t.Prefix + ".ingest.>"},
			Retention:   jetstream.LimitsPolicy,
			Storage:     jetstream.FileStorage,
			Replicas:    t.Replicas,
			MaxAge:      maxAge,
			Duplicates:  t.DuplicateWindow,
			Discard:     jetstream.DiscardOld,
			Metadata:    map[string]string{partitionsKey: strconv.Itoa(t.Partitions)},
		})
		if err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			return t, fmt.Errorf("creating stream %q: %w", t.Stream, err)
		}
		if err != nil { // created meanwhile by another process
			s, err = js.Stream(ctx, t.Stream)
		}
	}
	if err != nil {
		return t, fmt.Errorf("stream %q: %w", t.Stream, err)
	}
	cfg := s.CachedInfo().Config
	if n, ok := recordedPartitions(cfg); ok {
		t.Partitions = n
	} else {
		return t, fmt.Errorf("stream %q was not created by rollcall (no partition count); choose another --stream", t.Stream)
	}
	want := t.Prefix + ".ingest.>"
	if len(cfg.Subjects) != 1 || cfg.Subjects[0] != want {
		return t, fmt.Errorf("stream %q holds subjects %v, not %q; use its prefix or another --stream", t.Stream, cfg.Subjects, want)
	}
	if err := ensureStream(ctx, js, jetstream.StreamConfig{
		Name:        t.DeadStream(),
		Description: "rollcall dead letters: records whose processing kept failing, with the reason",
		Subjects:    []string{t.Prefix + ".dead.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    t.Replicas,
		Duplicates:  t.DuplicateWindow,
	}); err != nil {
		return t, fmt.Errorf("dead-letter stream %q: %w", t.DeadStream(), err)
	}
	for _, kv := range []jetstream.KeyValueConfig{
		{Bucket: t.NotesBucket(), Description: "rollcall rejected records, skipped files and files read, per tenant",
			Storage: jetstream.FileStorage, Replicas: t.Replicas},
		{Bucket: t.LocksBucket(), Description: "rollcall analysis leases, one per tenant",
			Storage: jetstream.FileStorage, Replicas: t.Replicas, TTL: t.LeaseTTL},
	} {
		if err := ensureBucket(ctx, js, kv); err != nil {
			return t, fmt.Errorf("bucket %q: %w", kv.Bucket, err)
		}
	}
	return t, nil
}

// ensureStream creates a stream unless it exists; an existing stream is
// left as the operator configured it.
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) error {
	_, err := js.Stream(ctx, cfg.Name)
	if !errors.Is(err, jetstream.ErrStreamNotFound) {
		return err
	}
	_, err = js.CreateStream(ctx, cfg)
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return nil
	}
	return err
}

// ensureBucket creates a key-value bucket unless it exists.
func ensureBucket(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig) error {
	_, err := js.KeyValue(ctx, cfg.Bucket)
	if !errors.Is(err, jetstream.ErrBucketNotFound) {
		return err
	}
	_, err = js.CreateKeyValue(ctx, cfg)
	if errors.Is(err, jetstream.ErrBucketExists) {
		return nil
	}
	return err
}

// recordedPartitions reads the partition count from the stream metadata
// (servers 2.10 and later) or from its description (older servers drop
// metadata).
func recordedPartitions(cfg jetstream.StreamConfig) (int, bool) {
	s, ok := cfg.Metadata[partitionsKey]
	if !ok {
		_, rest, found := strings.Cut(cfg.Description, "(partitions=")
		if !found {
			return 0, false
		}
		s, _, _ = strings.Cut(rest, ")")
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}
