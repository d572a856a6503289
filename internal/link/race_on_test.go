//go:build race

package link

// raceEnabled shrinks the largest test populations under the race
// detector, which makes them many times slower.
const raceEnabled = true
