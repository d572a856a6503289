package notify

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// sentRecord is one line of the sent log: the level a receiver was last
// told about for a person. ID is empty when the receiver had nothing to
// say about the change (an SSF receiver between high and critical, say)
// but the level still counts as known to it.
type sentRecord struct {
	Sink   string    `json:"sink"`
	Person string    `json:"person"`
	Level  string    `json:"level"`
	ID     string    `json:"id,omitempty"`
	At     time.Time `json:"at"`
}

// messageRef says which message a dead letter or a dry-run line is.
type messageRef struct {
	Sink     string `json:"sink"`
	Kind     string `json:"kind"`
	ID       string `json:"id"`
	Person   string `json:"person"`
	Previous string `json:"previous_level"`
	Level    string `json:"level"`
}

func refOf(s sink, c Change) messageRef {
	return messageRef{Sink: s.name(), Kind: s.kind(), ID: c.ID, Person: c.Person, Previous: c.Previous, Level: c.Current}
}

// deadRecord is one line of the dead-letter file.
type deadRecord struct {
	messageRef
	Attempts int       `json:"attempts"`
	Error    string    `json:"error"`
	At       time.Time `json:"at"`
	Payload  string    `json:"payload"` // what would have been sent, to replay by hand
}

// sentKey indexes the sent log by receiver and person.
type sentKey struct{ sink, person string }

// sentState is what the sent log says: the last level per receiver and
// person, and how many announcements each has had.
type sentState struct {
	last  map[sentKey]string
	count map[sentKey]int
}

// readSent reads the sent log; a missing file is an empty log.
func readSent(path string) (*sentState, error) {
	st := &sentState{last: map[sentKey]string{}, count: map[sentKey]int{}}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("notify sent log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r sentRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("notify sent log %q line %d: %w", path, line, err)
		}
		if r.Sink == "" || r.Person == "" || rank(r.Level) < 0 {
			return nil, fmt.Errorf("notify sent log %q line %d: want sink, person and a level name", path, line)
		}
		k := sentKey{r.Sink, r.Person}
		st.last[k] = r.Level
		st.count[k]++
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("notify sent log %q: %w", path, err)
	}
	return st, nil
}

// appendLine appends v as one JSON line to path (created 0600: the files
// name people).
func appendLine(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
