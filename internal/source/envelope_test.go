package source

import (
	"testing"
)

func TestUnwrapMessage(t *testing.T) {
	const inner = `{"uuid":"u-1","message":"x"}`
	tests := []struct {
		name, raw, want string // want "" means not an envelope
	}{
		{name: "siem_envelope", raw: `{"@timestamp":"2026-01-01T00:00:00Z","message":"{\"uuid\":\"u-1\",\"message\":\"x\"}"}`, want: inner},
		{name: "message_first", raw: `{"message" : "{\"uuid\":\"u-1\",\"message\":\"x\"}", "host":{"name":"h"}}`, want: inner},
		{name: "white_space_around_the_record", raw: `{"message":" \n\t{\"uuid\":\"u-1\",\"message\":\"x\"}\n"}`, want: inner},
		{name: "last_message_member_wins", raw: `{"message":"text","message":"{\"uuid\":\"u-1\",\"message\":\"x\"}"}`, want: inner},
		{name: "osquery_status_line", raw: `{"hostIdentifier":"h","calendarTime":"Mon Jan  1 00:00:00 2026 UTC","severity":0,"filename":"scheduler.cpp","line":83,"message":"Executing scheduled query pack_it: {select 1}"}`},
		{name: "message_in_a_nested_object", raw: `{"event":{"message":"{\"uuid\":\"u-1\"}"}}`},
		{name: "message_as_a_value", raw: `{"kind":"message","body":"{\"uuid\":\"u-1\"}"}`},
		{name: "message_null", raw: `{"message":null}`},
		{name: "message_object", raw: `{"message":{"uuid":"u-1"}}`},
		{name: "message_not_json", raw: `{"message":"{not json}"}`},
		{name: "broken_envelope", raw: `{"message":"{\"uuid\":\"u-1\"}",`},
		{name: "array", raw: `[{"message":"{\"uuid\":\"u-1\"}"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := UnwrapMessage([]byte(tt.raw))
			if ok != (tt.want != "") {
				t.Fatalf("ok = %v, want %v (got %s)", ok, tt.want != "", got)
			}
			if want := tt.want; !ok {
				if want = tt.raw; string(got) != want {
					t.Errorf("not an envelope: got %s, want the record as it is", got)
				}
			} else if string(got) != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

// TestUnwrapMessage_status_line_not_decoded: a record whose message is
// text (an osquery status line) is left to its format without being
// decoded here.
func TestUnwrapMessage_status_line_not_decoded(t *testing.T) {
	raw := []byte(`{"hostIdentifier":"h","severity":0,"filename":"scheduler.cpp","line":83,"message":"Executing scheduled query pack_it"}`)
	if n := testing.AllocsPerRun(100, func() { UnwrapMessage(raw) }); n != 0 {
		t.Errorf("%v allocations per status line, want 0", n)
	}
}

// BenchmarkUnwrapMessage: an osquery status line (message is text) and a
// SIEM envelope. B/op and allocs/op do not depend on the machine's load.
func BenchmarkUnwrapMessage(b *testing.B) {
	for name, raw := range map[string]string{
		"status_line": `{"hostIdentifier":"host-17","calendarTime":"Mon Mar  3 09:00:00 2025 UTC","unixTime":"1740992400","severity":"0","filename":"scheduler.cpp","line":"83","message":"Executing scheduled query pack_it-compliance_usb_devices: SELECT * FROM usb_devices;","version":"5.12.1"}`,
		"envelope":    `{"@timestamp":"2025-03-03T09:00:00Z","host":{"name":"siem-1"},"message":"{\"uuid\":\"u-1\",\"published\":\"2025-03-03T09:00:00Z\",\"eventType\":\"user.session.start\",\"actor\":{\"alternateId\":\"ada@example.com\"}}"}`,
	} {
		b.Run(name, func(b *testing.B) {
			raw := []byte(raw)
			b.ReportAllocs()
			for b.Loop() {
				UnwrapMessage(raw)
			}
		})
	}
}
