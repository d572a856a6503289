# rollcall — make targets. Only Go is needed (see README.md).
GO       ?= go
PKGS     ?= ./...
BENCHPKG ?= ./internal/pipeline/ ./internal/source/... ./internal/store/... ./internal/enrich/resume/

.PHONY: all build demo test bench lint fmt fuzz ipdb loadtest clean

all: build

build:
	$(GO) build -o bin/rollcall ./cmd/rollcall

## demo: simulate an organisation with hidden operatives, scan it, write demo/report.html
demo:
	$(GO) run ./cmd/rollcall demo --out demo

# RACEFLAGS: the pure-Go SQLite (modernc.org, C translated to Go) is compiled
# without -race's unsafe-pointer checks (checkptr), which took about a third of
# every store-backed test's CPU time while checking code that is not ours. It
# stays race-instrumented: without that, a run reported races inside
# encoding/json in the stream worker that plain -race did not.
RACEFLAGS ?= -race -gcflags='modernc.org/...=-d=checkptr=0'

## test: vet + race-enabled tests (integration tests run when ROLLCALL_TEST_* are set),
## then the end-to-end detection-quality evaluation, which is too slow under -race
test:
	$(GO) vet $(PKGS)
	$(GO) test $(RACEFLAGS) -timeout 15m $(PKGS)
	$(GO) test -count 1 -run TestEndToEnd ./internal/eval/

## bench: scan throughput (1M Okta events) beside the decode-only floor, adapters, store, résumé near-duplicates (100k)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 60m $(BENCHPKG)

## lint: gofmt + go vet + go.mod/go.sum tidy
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

fmt:
	gofmt -w $$(git ls-files '*.go')

## fuzz: run every adapter's fuzz target for FUZZTIME each
FUZZTIME ?= 30s
fuzz:
	@for p in $$(grep -l 'func FuzzDecode' $$(git ls-files 'internal/source/*_test.go') | xargs -n1 dirname | sort -u); do \
		echo "== $$p"; $(GO) test -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME) ./$$p || exit 1; done

## ipdb: fetch open IP databases from npm and build an ASN database (optional)
ipdb:
	bash scripts/ipdb/ipdb.sh $(IPDB_DIR)

## loadtest: 5M simulated sign-ins (100k people) through JetStream into 2 workers and PostgreSQL (loopback, bounded)
loadtest:
	bash scripts/loadtest/loadtest.sh $(LOADTEST_ARGS)

clean:
	rm -rf bin demo
