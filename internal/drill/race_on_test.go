//go:build race

package drill

// raceEnabled: the race detector slows the pipeline five- to tenfold, so
// the end-to-end drills run in `make test`'s race-free step.
const raceEnabled = true
