//go:build race

package eval_test

// raceEnabled: the race detector slows the pipeline five- to tenfold, so
// the end-to-end evaluation runs in `make test`'s second, race-free step.
const raceEnabled = true
