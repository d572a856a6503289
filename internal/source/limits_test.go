package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
)

func TestLimits(t *testing.T) {
	// A gzip bomb: 64 MiB of one repeated record compresses to about 100 KiB.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	line := []byte(`{"k":"` + strings.Repeat("a", 100) + `"}` + "\n")
	for n := 0; n < 64<<20; n += len(line) {
		zw.Write(line)
	}
	zw.Close()
	csvRows := "a,b\n" + strings.Repeat("1,2\n", 10)

	tests := []struct {
		name    string
		in      []byte
		csv     bool
		limits  Limits
		events  int
		wantErr string // "" for no error
	}{
		{name: "gzip_bomb_stops_at_the_byte_limit", in: bomb.Bytes(), limits: Limits{Bytes: 1 << 20}, events: (1 << 20) / len(line), wantErr: FlagMaxInputBytes},
		{name: "records_stop_at_the_record_limit", in: bytes.Repeat(line, 10), limits: Limits{Records: 3}, events: 3, wantErr: FlagMaxInputRecords},
		{name: "csv_records_stop_at_the_record_limit", in: []byte(csvRows), csv: true, limits: Limits{Records: 4}, events: 4, wantErr: FlagMaxInputRecords},
		{name: "within_limits", in: bytes.Repeat(line, 10), limits: Limits{Bytes: 1 << 20, Records: 10}, events: 10},
		{name: "no_limits", in: bytes.Repeat(line, 10), events: 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFile(tc.name, bytes.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			ctx := WithLimits(context.Background(), tc.limits)
			c := &collect{}
			if tc.csv {
				err = DecodeCSV(ctx, f, tc.name, "t", []string{"a"}, c, func(Row) (*event.Event, error) {
					return &event.Event{Kind: event.KindAudit, Audit: &event.Audit{Action: "x"}}, nil
				})
			} else {
				err = DecodeJSON(ctx, f, tc.name, "t", nil, c, func([]byte) (*event.Event, error) {
					return &event.Event{Kind: event.KindAudit, Audit: &event.Audit{Action: "x"}}, nil
				})
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
			} else if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want ErrLimit naming %s", err, tc.wantErr)
			}
			// A record cut by the byte limit may be rejected; none is lost silently.
			if got := len(c.events); got < tc.events-1 || got > tc.events+1 {
				t.Errorf("%d events (+%d rejected), want about %d", got, len(c.rejs), tc.events)
			}
			checkNumbering(t, c)
		})
	}
}

// TestBudgetIsShared: the files of one upload draw from one budget, so
// that many small bombs in one request are refused like one big one.
func TestBudgetIsShared(t *testing.T) {
	ctx := WithBudget(context.Background(), Limits{Records: 5})
	line := []byte(`{"k":1}` + "\n")
	parse := func([]byte) (*event.Event, error) {
		return &event.Event{Kind: event.KindAudit, Audit: &event.Audit{Action: "x"}}, nil
	}
	c := &collect{}
	if err := DecodeJSON(ctx, bytes.NewReader(bytes.Repeat(line, 3)), "a", "t", nil, c, parse); err != nil {
		t.Fatalf("first file: %v", err)
	}
	err := DecodeJSON(ctx, bytes.NewReader(bytes.Repeat(line, 3)), "b", "t", nil, c, parse)
	if !errors.Is(err, ErrLimit) || len(c.events) != 5 {
		t.Fatalf("second file: err %v, %d events in all; want ErrLimit after 5", err, len(c.events))
	}
}
