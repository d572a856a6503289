#!/usr/bin/env bash
# make loadtest: publish simulated Okta sign-ins for simulated people through
# NATS JetStream (in process, loopback) into `rollcall worker` processes and
# PostgreSQL, and report throughput, latencies, database size, memory and CPU
# profiles. Bounded in events (-events, default 5M) and time (LOADTEST_TIMEOUT,
# default 60m; -timeout inside). Needs PostgreSQL on this machine:
# ROLLCALL_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test).
# Extra arguments go to the load test, e.g.
#   make loadtest LOADTEST_ARGS='-events 1000000 -rate 12000 -analyse-interval 60s'
# measures the latency to persisted findings (the analysis re-runs over every
# stored event: about 3 KB of worker memory per event).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"
: "${ROLLCALL_TEST_POSTGRES:=postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
mkdir -p bin
go build -o bin/rollcall ./cmd/rollcall
go build -o bin/loadtest ./scripts/loadtest
exec timeout --signal=INT --kill-after=2m "${LOADTEST_TIMEOUT:-60m}" \
	bin/loadtest -bin bin/rollcall -pg "$ROLLCALL_TEST_POSTGRES" "$@"
