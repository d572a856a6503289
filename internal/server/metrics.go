package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus collectors. Labels are route
// patterns and source format ids, never values from requests or data.
type metrics struct {
	handler       http.Handler
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	ingested      *prometheus.CounterVec
	analyses      *prometheus.CounterVec
	analysisTime  prometheus.Histogram
	loginFailures prometheus.Counter
	events        prometheus.Gauge
	people        *prometheus.GaugeVec
}

// newMetrics registers the server's collectors. The people-by-risk-level
// gauge says how many people are flagged, which an unauthenticated scraper
// should not learn: it is exported only when riskLevels is set
// (--metrics-risk-levels); otherwise it is kept but not registered.
func newMetrics(reg *prometheus.Registry, riskLevels bool) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rollcall_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rollcall_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rollcall_ingest_records_total", Help: "Records ingested by source format and outcome (accepted, rejected).",
		}, []string{"source", "outcome"}),
		analyses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rollcall_analyses_total", Help: "Analysis runs by outcome (ok, error).",
		}, []string{"outcome"}),
		analysisTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "rollcall_analysis_duration_seconds", Help: "Duration of analysis runs (load, analyse, save).",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 14),
		}),
		loginFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rollcall_login_failures_total", Help: "Failed or refused sign-ins.",
		}),
		events: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rollcall_events", Help: "Events in the store after the last analysis.",
		}),
		people: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "rollcall_people", Help: "People by risk level after the last analysis.",
		}, []string{"level"}),
	}
	reg.MustRegister(m.requests, m.duration, m.ingested, m.analyses, m.analysisTime, m.loginFailures, m.events,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if riskLevels {
		reg.MustRegister(m.people)
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) serve(w http.ResponseWriter, r *http.Request) { m.handler.ServeHTTP(w, r) }

func (m *metrics) observe(route, method string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}
