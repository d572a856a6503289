package pipeline

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/report"
)

const payrollCSV = `employee_id,effective_date,method,account_fingerprint,bank_country,payee_name
E100,2026-06-01,bank,9f2c6a1e77d04b21,US,Jane Doe
E101,2026-13-40,bank,0000,US,Sam Lee
`

// failing is a reader that breaks after its content, like an upload cut off.
type failing struct{ r io.Reader }

func (f failing) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

func TestIngest_bodies(t *testing.T) {
	type outcome struct {
		Format              string
		Events, Rejected    int
		Skipped             bool
		Err, InputError     bool
		FirstRejectionField string
	}
	for _, tc := range []struct {
		name string
		body Body
		want outcome
	}{
		{"sniffed_upload", Body{Name: "upload/pay.csv", Reader: strings.NewReader(payrollCSV)},
			outcome{Format: "payroll", Events: 1, Rejected: 1, FirstRejectionField: "effective_date"}},
		{"forced_by_id", Body{Name: "upload/pay.txt", Reader: strings.NewReader(payrollCSV), FormatID: "payroll"},
			outcome{Format: "payroll", Events: 1, Rejected: 1, FirstRejectionField: "effective_date"}},
		{"unknown_forced_id_is_skipped", Body{Name: "upload/pay.csv", Reader: strings.NewReader(payrollCSV), FormatID: "nosuch"},
			outcome{Skipped: true}},
		{"unrecognised_upload_is_skipped", Body{Name: "upload/notes.txt", Reader: strings.NewReader("hello\n")},
			outcome{Skipped: true}},
		{"unrecognised_explicit_file_is_input_error", Body{Name: "../../examples/small/truth.json", Explicit: true},
			outcome{Err: true, InputError: true}},
		{"missing_file_is_input_error", Body{Name: "testdata/nope.json"},
			outcome{Err: true, InputError: true}},
		{"broken_body_fails", Body{Name: "upload/pay.csv", Reader: failing{strings.NewReader(payrollCSV)}, FormatID: "payroll"},
			outcome{Format: "payroll", Err: true}},
		{"file_on_disk", Body{Name: "../../examples/small/payroll.csv"},
			outcome{Format: "payroll", Events: 2, Rejected: 2, FirstRejectionField: "effective_date"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Ingest(context.Background(), tc.body, nil)
			var ie *InputError
			got := outcome{Format: res.Format, Events: len(res.Events), Rejected: len(res.Rejected),
				Skipped: res.Skipped != nil, Err: err != nil, InputError: errors.As(err, &ie)}
			if len(res.Rejected) > 0 {
				got.FirstRejectionField = res.Rejected[0].Field
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("outcome (-want +got):\n%s\nerr: %v", diff, err)
			}
		})
	}
}

func TestLedger_read_is_processed_plus_rejected(t *testing.T) {
	var l Ledger
	for _, b := range []Body{
		{Name: "a.csv", Reader: strings.NewReader(payrollCSV)},
		{Name: "b.txt", Reader: strings.NewReader("hello\n")},
		{Name: "../../examples/small/okta.ndjson"},
	} {
		res, err := Ingest(context.Background(), b, nil)
		if err != nil {
			t.Fatal(err)
		}
		l.Add(res)
	}
	read, processed, rejected := l.Totals()
	if read != processed+rejected || processed == 0 || rejected == 0 {
		t.Errorf("read %d, processed %d, rejected %d", read, processed, rejected)
	}
	var files []string
	for _, f := range l.Files {
		files = append(files, f.Name+":"+f.Format)
	}
	if diff := cmp.Diff([]string{"a.csv:payroll", "../../examples/small/okta.ndjson:okta"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(l.Skipped) != 1 || l.Skipped[0].File != "b.txt" {
		t.Errorf("skipped = %+v, want b.txt", l.Skipped)
	}
	if diff := cmp.Diff(map[string]int{"payroll": 1, "okta": 2}, l.BySource()); diff != "" {
		t.Errorf("by source (-want +got):\n%s", diff)
	}
}

// TestLedger_counts_fields_kept_as_unknown: a GitHub audit entry whose
// permission is a bool and whose user_agent is an object (issue 10) is kept; the
// object, a type GitHub never writes there, is counted as unknown.
func TestLedger_counts_fields_kept_as_unknown(t *testing.T) {
	const audit = `{"@timestamp":1686150672357,"action":"org.update_member_repository_invitation_permission","actor":"Admin","org":"Test-org","permission":false,"user_agent":{"raw":1}}
{"@timestamp":1686150672358,"action":"repo.create","actor":"Admin","org":"Test-org","repo":"Test-org/x"}
`
	res, err := Ingest(context.Background(), Body{Name: "audit.ndjson", Reader: strings.NewReader(audit)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var l Ledger
	l.Add(res)
	rep := &report.Report{}
	l.Stamp(rep)
	if rep.Stats.RecordsRead != 2 || rep.Stats.RecordsRejected != 0 {
		t.Errorf("stats = %+v, want 2 read, none rejected", rep.Stats)
	}
	if rep.Stats.RecordsWithUnknown != 1 {
		t.Errorf("records with unknown fields = %d, want 1 (the object user_agent)", rep.Stats.RecordsWithUnknown)
	}
}
