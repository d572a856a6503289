package source

import (
	"bytes"
	"context"
	"testing"
)

// checkNumbering fails when records are not numbered 1..n without gaps.
func checkNumbering(t *testing.T, c *collect) {
	t.Helper()
	seen := map[int]bool{}
	for _, e := range c.events {
		seen[e.Prov.Record] = true
	}
	for _, r := range c.rejs {
		if r.Reason == "" {
			t.Errorf("record %d rejected without a reason", r.Record)
		}
		seen[r.Record] = true
	}
	n := len(c.events) + len(c.rejs)
	for i := 1; i <= n; i++ {
		if !seen[i] {
			t.Fatalf("record %d of %d missing or duplicated", i, n)
		}
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`[{"id":1},{"id":2}]`,
		"{\"id\":1}\n{\"id\":2,,}\n{\"id\":3}\n",
		"{\n \"Resources\": [{\"id\": 1}],\n \"x\": {\"value\": [2]}\n}\n{\"value\":[{\"id\":3}]}",
		"\ufeff[\n{\"id\":\"a\\\"]\"}\n,]",
		"{\"a\":\"\xff\"}\n[1,{\"id\":2}]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c collect
		_ = DecodeJSON(context.Background(), bytes.NewReader(data), "f", "t", []string{"Resources", "value"}, &c, testParse)
		checkNumbering(t, &c)
		SniffJSONKeys(data, "value")
	})
}

func FuzzDecodeCSV(f *testing.F) {
	for _, s := range []string{
		"id,name\n1,a\n2,b\n",
		"id,name\nx\"y,z\n\"q\nw\",r\n1\n",
		"\ufeffname,ID,extra\r\n\"a,b\",1,\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c collect
		_ = DecodeCSV(context.Background(), bytes.NewReader(data), "f", "t", []string{"id", "name"}, &c, csvParse)
		checkNumbering(t, &c)
		SniffCSVHeader(data, []string{"id", "name"})
	})
}
