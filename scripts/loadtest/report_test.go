package main

import (
	"math"
	"testing"
	"time"
)

func TestWindows(t *testing.T) {
	start := time.Unix(1000, 0)
	var samples []sample
	for i := range 30 {
		samples = append(samples, sample{at: start.Add(time.Duration(i) * time.Second), inserted: float64(max(0, i-5) * 100)})
	}
	t0, t1, rates := windows(samples, 2000)
	if !t0.Equal(start.Add(5*time.Second)) || !t1.Equal(start.Add(25*time.Second)) {
		t.Errorf("first %v, last %v", t0.Sub(start), t1.Sub(start))
	}
	if len(rates) == 0 || rates[0] != 100 {
		t.Errorf("rates %v, want 100/s windows", rates)
	}
}

func TestQuantile(t *testing.T) {
	// 100 observations: 50 under 1s, 40 more under 2s, 10 more under 4s.
	b := map[float64]float64{1: 50, 2: 90, 4: 100, math.Inf(1): 100}
	for q, want := range map[float64]float64{0.5: 1, 0.7: 1.5, 0.95: 3} {
		if got := quantile(b, 100, q); math.Abs(got-want) > 1e-9 {
			t.Errorf("quantile %v = %v, want %v", q, got, want)
		}
	}
}
