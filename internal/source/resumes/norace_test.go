//go:build !race

package resumes

const raceEnabled = false
