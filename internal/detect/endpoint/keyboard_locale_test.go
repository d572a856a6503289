package endpoint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestKeyboardLocale(t *testing.T) {
	const preload = `HKEY_USERS\S-1-5-21-1004\Keyboard Layout\Preload\`
	reg := func(slot, klid string) map[string]string {
		return map[string]string{"path": preload + slot, "name": slot, "type": "REG_SZ", "data": klid}
	}
	locale := func(v string) map[string]string {
		return map[string]string{"path": `HKEY_USERS\S-1-5-21-1004\Control Panel\International\LocaleName`, "name": "LocaleName", "data": v}
	}
	src := func(n, field, v string) map[string]string {
		return map[string]string{"domain": "com.apple.HIToolbox", "key": "AppleSelectedInputSources", "subkey": n + "/" + field, "value": v}
	}
	us := func(id, name string) *event.Event { return rosterRecord(1, id, name, strings.ToLower(id), "US") }
	tests := []struct {
		name   string
		events []*event.Event
		want   []outcome
	}{
		{
			name:   "korean_primary_windows",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "00000412"), reg("2", "00000409"))},
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name: "evented_rows_korean_only",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "added", reg("1", "E0010412")),
				osq(2, "LT-1", "e1", at(1), tableProcesses, "snapshot", screenConnect)},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name: "mac_only_korean_input_method",
			events: []*event.Event{us("E1", "A B"), osq(1, "MBP-1", "e1", at(0), tableKeyboard, "snapshot",
				src("1", "Bundle ID", "com.apple.inputmethod.Korean"), src("1", "Input Mode", "com.apple.inputmethod.Korean.2SetKorean"),
				src("2", "Bundle ID", "com.apple.CharacterPaletteIM"))},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name:   "windows_locale_ru",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), "", "snapshot", locale("ru-RU"))},
			want:   []outcome{{Person: "E1", Confidence: 1, Records: []int{1}}},
		},
		{
			name: "switched_primary_later",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "00000409")),
				osq(2, "LT-1", "e1", at(5), tableKeyboard, "snapshot", reg("1", "00000804"), reg("2", "00000409"))},
			want: []outcome{{Person: "E1", Confidence: 1, Records: []int{2}}},
		},
		// Negative cases.
		{
			name: "bilingual_mac_us_and_korean",
			events: []*event.Event{us("E1", "A B"), osq(1, "MBP-1", "e1", at(0), tableKeyboard, "snapshot",
				src("1", "KeyboardLayout Name", "U.S."), src("2", "Input Mode", "com.apple.inputmethod.Korean.2SetKorean"))},
		},
		{
			name:   "windows_microsoft_us_layout",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "00000409"))},
		},
		{
			name:   "spanish_primary_in_the_us",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "0000080a"))},
		},
		{
			name:   "korean_layout_in_korea",
			events: []*event.Event{rosterRecord(1, "E1", "A B", "e1", "KR"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "00000412"))},
		},
		{
			name:   "unknown_country_no_judgement",
			events: []*event.Event{rosterRecord(1, "E1", "A B", "e1", "ZZ"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "00000412"))},
		},
		{
			name:   "no_claimed_residence",
			events: []*event.Event{rosterRecord(1, "E1", "A B", "e1", ""), osq(1, "LT-1", "e1", at(0), tableKeyboard, "snapshot", reg("1", "00000412"))},
		},
		{
			name: "neutral_abc_only",
			events: []*event.Event{rosterRecord(1, "E1", "A B", "e1", "DE"), osq(1, "MBP-1", "e1", at(0), tableKeyboard, "snapshot",
				src("1", "KeyboardLayout Name", "ABC"))},
		},
		{
			name: "unknown_mac_layout_keeps_quiet",
			events: []*event.Event{us("E1", "A B"), osq(1, "MBP-1", "e1", at(0), tableKeyboard, "snapshot",
				src("1", "Input Mode", "com.apple.inputmethod.Korean.2SetKorean"), src("2", "KeyboardLayout Name", "Hawaiian"))},
		},
		{
			name: "korean_primary_removed",
			events: []*event.Event{us("E1", "A B"), osq(1, "LT-1", "e1", at(0), tableKeyboard, "added", reg("1", "00000412")),
				osq(2, "LT-1", "e1", at(1), tableKeyboard, "removed", reg("1", "00000412")),
				osq(3, "LT-1", "e1", at(1), tableKeyboard, "added", reg("1", "00000409"))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := run(t, &KeyboardLocale{}, nil, tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKeyboardLocaleWording: the finding names the claimed residence and
// the layout, never a nationality.
func TestKeyboardLocaleWording(t *testing.T) {
	_, fs := run(t, &KeyboardLocale{}, nil, (&KeyboardLocale{}).Examples().Positive.Events)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	s := fs[0].Summary
	for _, want := range []string{"claimed residence US", "Korean", "00000412"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q does not contain %q", s, want)
		}
	}
	for _, bad := range []string{"North Korea", "national", "citizen", "DPRK", "ethnic"} {
		if strings.Contains(strings.ToLower(s), strings.ToLower(bad)) {
			t.Errorf("summary %q speaks of %q", s, bad)
		}
	}
	if got := (&KeyboardLocale{}).Strength(); got != "L" {
		t.Errorf("END-07 strength %q, want L: fairness-sensitive signals are always weak", got)
	}
}
