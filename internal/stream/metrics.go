package stream

import (
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of an ingest message, the values of the outcome label. Every
// message a worker acknowledges has exactly one, so that
// received = processed + rejected + dead_lettered + note (+ those still in
// flight or handed back for redelivery, counted under retried).
const (
	OutcomeProcessed    = "processed"     // its event is stored
	OutcomeRejected     = "rejected"      // the adapter rejected it; the rejection is stored
	OutcomeDeadLettered = "dead_lettered" // processing kept failing; sent to the dead-letter subject
	OutcomeNote         = "note"          // a note about a file (read, skipped)
)

// Metrics are a worker's Prometheus metrics. One set may serve several
// workers (labelled by tenant).
type Metrics struct {
	Received       *prometheus.CounterVec
	Messages       *prometheus.CounterVec
	Retried        *prometheus.CounterVec
	Inserted       *prometheus.CounterVec
	AlreadyStored  *prometheus.CounterVec
	StoreRetries   *prometheus.CounterVec
	BatchSeconds   *prometheus.HistogramVec
	LatencySeconds *prometheus.HistogramVec
	Analyses       *prometheus.CounterVec
	AnalysisSecs   *prometheus.HistogramVec
	AnalysedEvents *prometheus.GaugeVec
	AnalysedPeople *prometheus.GaugeVec
	LastAnalysis   *prometheus.GaugeVec

	latency latencySample
}

// NewMetrics creates the metrics and registers them with reg (nil: not
// registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	tenant := []string{"tenant"}
	m := &Metrics{
		Received: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_ingest_received_total",
			Help: "Ingest messages received by the worker (redeliveries included)."}, tenant),
		Messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_ingest_messages_total",
			Help: "Ingest messages acknowledged, by outcome: processed, rejected, dead_lettered, note."},
			[]string{"tenant", "outcome"}),
		Retried: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_ingest_retried_total",
			Help: "Ingest messages handed back for redelivery after a processing failure."}, tenant),
		Inserted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_ingest_events_inserted_total",
			Help: "Events newly stored."}, tenant),
		AlreadyStored: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_ingest_events_already_stored_total",
			Help: "Events received again (redelivered or re-published) and left as stored."}, tenant),
		StoreRetries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_ingest_store_retries_total",
			Help: "Batches whose commit failed and was tried again."}, tenant),
		BatchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rollcall_ingest_batch_seconds",
			Help: "Time to decode, store and acknowledge one batch.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 16)}, tenant),
		LatencySeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rollcall_ingest_latency_seconds",
			Help:    "Time from publishing a record to its event being committed.",
			Buckets: prometheus.ExponentialBuckets(0.001, 1.5, 30)}, tenant),
		Analyses: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rollcall_analysis_runs_total",
			Help: "Analyses of the tenant's stored events, by result: saved, skipped (nothing new), failed."},
			[]string{"tenant", "result"}),
		AnalysisSecs: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rollcall_analysis_seconds",
			Help: "Time to load, analyse and save results.", Buckets: prometheus.ExponentialBuckets(0.01, 2, 16)}, tenant),
		AnalysedEvents: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "rollcall_analysis_events",
			Help: "Events in the last saved analysis."}, tenant),
		AnalysedPeople: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "rollcall_analysis_people",
			Help: "People in the last saved analysis."}, tenant),
		LastAnalysis: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "rollcall_analysis_last_timestamp_seconds",
			Help: "When the last analysis was saved (Unix time)."}, tenant),
	}
	if reg != nil {
		reg.MustRegister(m.Received, m.Messages, m.Retried, m.Inserted, m.AlreadyStored, m.StoreRetries,
			m.BatchSeconds, m.LatencySeconds, m.Analyses, m.AnalysisSecs, m.AnalysedEvents, m.AnalysedPeople, m.LastAnalysis)
	}
	return m
}

// latencySample keeps the most recent end-to-end latencies, for the
// quantiles the worker logs (the histogram serves Prometheus).
type latencySample struct {
	mu   sync.Mutex
	ring []time.Duration
	next int
	full bool
}

const latencySampleSize = 1 << 16

func (s *latencySample) add(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ring == nil {
		s.ring = make([]time.Duration, latencySampleSize)
	}
	s.ring[s.next] = d
	s.next++
	if s.next == len(s.ring) {
		s.next, s.full = 0, true
	}
}

// quantiles returns the requested quantiles of the sample (zero when
// empty).
func (s *latencySample) quantiles(qs ...float64) []time.Duration {
	s.mu.Lock()
	n := s.next
	if s.full {
		n = len(s.ring)
	}
	c := slices.Clone(s.ring[:n])
	s.mu.Unlock()
	out := make([]time.Duration, len(qs))
	if len(c) == 0 {
		return out
	}
	slices.Sort(c)
	for i, q := range qs {
		out[i] = c[min(len(c)-1, int(q*float64(len(c))))]
	}
	return out
}
