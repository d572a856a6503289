package source

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSniffJSONKeys(t *testing.T) {
	tests := []struct {
		name   string
		head   string
		wrap   []string
		want   []string
		wantOK bool
	}{
		{"ndjson", "{\"eventType\":\"x\",\"Published\":1}\n{\"z\":1}", nil, []string{"eventtype", "published"}, true},
		{"array", " [ {\"a\": {\"nested\": 1}, \"b\": [1]}, {\"c\":1}]", nil, []string{"a", "b"}, true},
		{"bom", "\ufeff{\"a\":1}", nil, []string{"a"}, true},
		{"truncated", "[{\"a\":1,\"b\":\"cut off", nil, []string{"a", "b"}, true},
		{"wrapper", "{\"schemas\":[\"x\"],\"Resources\":[{\"id\":1,\"userName\":\"u\"}]}", []string{"resources"}, []string{"id", "username"}, true},
		{"wrapper_empty_array", "{\"value\":[],\"n\":0}", []string{"value"}, []string{"n", "value"}, true},
		{"wrapper_not_asked", "{\"value\":[{\"id\":1}]}", nil, []string{"value"}, true},
		{"array_of_scalars", "[1,2]", nil, nil, false},
		{"csv", "a,b\n1,2\n", nil, nil, false},
		{"empty", "", nil, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys, ok := SniffJSONKeys([]byte(tc.head), tc.wrap...)
			var got []string
			for k := range keys {
				got = append(got, k)
			}
			slices.Sort(got)
			if ok != tc.wantOK {
				t.Errorf("ok = %v, want %v", ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
		})
	}
}
