package sim

import (
	"fmt"
	"io"
)

// eventsPerPersonDay is about how many Okta events a person produces per
// calendar day in the simulation (measured: 2.4 at the defaults).
const eventsPerPersonDay = 2.4

// WriteOktaNDJSON streams exactly n synthetic Okta System Log events as
// NDJSON, in published order, for scan benchmarks. It generates an
// organisation just large enough (one year of activity) and stops after n
// events; memory stays bounded by a few days of events whatever n is.
func WriteOktaNDJSON(w io.Writer, seed int64, n int) error {
	if n <= 0 {
		return fmt.Errorf("okta benchmark stream: event count must be positive, got %d", n)
	}
	days := 365
	people := int(float64(n)/(eventsPerPersonDay*float64(days))*1.3) + MinPeople
	if people > MaxPeople {
		days = MaxDays
		people = min(MaxPeople, int(float64(n)/(eventsPerPersonDay*float64(days))*1.3)+MinPeople)
	}
	o, err := Generate(Config{Seed: seed, People: people, Days: days})
	if err != nil {
		return fmt.Errorf("okta benchmark stream: %w", err)
	}
	written, err := o.writeOkta(w, n)
	if err != nil {
		return fmt.Errorf("okta benchmark stream: %w", err)
	}
	if written < n {
		return fmt.Errorf("okta benchmark stream: the organisation produced %d events, fewer than the %d asked for", written, n)
	}
	return nil
}
