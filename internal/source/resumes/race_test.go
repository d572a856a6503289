//go:build race

package resumes

// raceEnabled reports a race-enabled test binary, whose extractor children
// are race-enabled too (and slow to grind a bomb up to their memory limit).
const raceEnabled = true
