# rollcall — make targets. Only Go is needed (see README.md).
GO       ?= go
PKGS     ?= ./...
BENCHPKG ?= ./internal/source/... ./internal/store/... ./internal/enrich/resume/

.PHONY: all build demo test bench lint fmt fuzz ipdb oui disposable loadtest loadtest-reduced clean precision

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
## then what is too slow under -race and skips itself there: the end-to-end detection-quality evaluation,
## the end-to-end drills and the PDF-bomb sandbox test
test:
	$(GO) vet $(PKGS)
	$(GO) test $(RACEFLAGS) -timeout 15m $(PKGS)
	$(GO) test -count 1 -run 'TestEndToEnd|TestDrill|TestPDFBombIsStopped' ./internal/eval/ ./internal/drill/ ./internal/source/resumes/

## precision: simulate five organisations (300 people, 60 days), scan each with and without the allow-list the simulator
## writes, and rewrite README.md's precision tables (recall, false-positive rate per legitimate class and per indicator)
precision:
	$(GO) run ./scripts/precision -readme README.md

## bench: on a simulated 1,500-person, 365-day organisation (1.3M Okta events; written once under $$TMPDIR/rollcall-bench):
## the parse floor (fastjson, four fields, one core), the Okta decode and the whole scan, with events/s, the scan's
## floor_ratio and decode_ratio, allocs/event and live_B/event; then adapters, store, résumé near-duplicates (100k)
bench:
	$(GO) test -run '^$$' -bench 'ParseFloorOkta|DecodeOkta|Scan' -benchmem -benchtime 1x -timeout 60m ./internal/pipeline/
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 60m $(BENCHPKG)
	$(GO) test -run '^$$' -bench Link1M -benchmem -benchtime 1x -timeout 30m ./internal/link/

## lint: gofmt + go vet + go.mod/go.sum tidy
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

fmt:
	gofmt -w $$(git ls-files '*.go')

## fuzz: run every adapter's FuzzDecode, then the JSON and CSV framers' targets, for FUZZTIME each
## (a new input is minimised for at most FUZZMINIMIZE, a count of runs, so that the time goes to fuzzing)
FUZZTIME ?= 30s
FUZZMINIMIZE ?= 100x
FUZZFLAGS ?=
fuzz:
	@for p in $$(grep -l 'func FuzzDecode(' $$(git ls-files 'internal/source/*_test.go') | xargs -n1 dirname | sort -u); do \
		echo "== $$p FuzzDecode"; \
		$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $(FUZZFLAGS) ./$$p || exit 1; done
	@for t in FuzzDecodeJSON FuzzDecodeCSV; do \
		echo "== internal/source $$t"; \
		$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $(FUZZFLAGS) ./internal/source || exit 1; done

## ipdb: fetch open IP databases from npm and build an ASN database (optional)
ipdb:
	bash scripts/ipdb/ipdb.sh $(IPDB_DIR)

## oui: rebuild internal/enrich/oui/kvm_oui.tsv (MAC blocks of IP-KVM makers) from the IEEE registry in npm oui-data,
## filtered by internal/enrich/oui/kvm_vendors.csv; offline, the committed file is kept
OUI_VERSION ?= 2.1.9
oui:
	bash scripts/npmdata/npmdata.sh oui $(OUI_VERSION)

## disposable: rebuild internal/enrich/email/disposable.txt.gz from npm disposable-email-domains;
## offline, the committed file is kept
DISPOSABLE_VERSION ?= 1.0.62
disposable:
	bash scripts/npmdata/npmdata.sh disposable $(DISPOSABLE_VERSION)

## loadtest: 5M simulated sign-ins (100k people) through JetStream into 2 workers and PostgreSQL (loopback, bounded)
loadtest:
	bash scripts/loadtest/loadtest.sh $(LOADTEST_ARGS)

## loadtest-reduced: the same in under 10 minutes: 300k events, 10k people, 10k events/s, analysis 1 s after the last;
## prints p99 publish → persisted finding, worker memory per person and analysis time at half and all of the history
loadtest-reduced:
	LOADTEST_TIMEOUT=10m bash scripts/loadtest/loadtest.sh -reduced $(LOADTEST_ARGS)

clean:
	rm -rf bin demo
