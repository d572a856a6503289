package source

import "testing"

func TestDuplicateIdentityKey(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"top_level_actor_twice", `{"actor":"alice","action":"x","actor":"mallory"}`, "actor"},
		{"case_differs", `{"userName":"a","USERNAME":"b"}`, "USERNAME"},
		{"nested_object", `{"actor":{"id":"1","alternateId":"a","alternateId":"b"}}`, "alternateId"},
		{"same_key_in_sibling_objects", `{"target":[{"id":"1"},{"id":"2"}],"actor":{"id":"3"}}`, ""},
		{"key_text_inside_a_value", `{"actor":"x","note":"\"actor\":\"y\"","list":["actor","actor"]}`, ""},
		{"other_keys_may_repeat", `{"tag":"a","tag":"b"}`, ""},
		{"empty_and_long_keys", `{"":1,"":2,"employeenumberemployeenumberemployeenumber":1,"id":"1"}`, ""},
		{"identity_key_after_others", `{"":1,"x":{"y":[1,{"z":2}]},"ID":"1","Id":"2"}`, "Id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := duplicateIdentityKey([]byte(tc.raw)); got != tc.want {
				t.Errorf("duplicateIdentityKey(%s) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

func BenchmarkDuplicateIdentityKey(b *testing.B) {
	raw := []byte(`{"uuid":"u1","published":"2022-09-09T04:26:09.792Z","eventType":"user.session.start","actor":{"id":"00u1","type":"User","alternateId":"a@example.com","displayName":"A"},"client":{"ipAddress":"1.2.3.4","userAgent":{"rawUserAgent":"Mozilla/5.0"}},"outcome":{"result":"SUCCESS"},"target":[{"id":"1"},{"id":"2"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		duplicateIdentityKey(raw)
	}
}
