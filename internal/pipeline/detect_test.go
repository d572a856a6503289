package pipeline

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/detect"
	"github.com/rollcall/rollcall/internal/report"
)

// TestAnalyse_report_does_not_depend_on_workers analyses the seeded
// simulation with one indicator at a time and with several at once: the
// JSON reports must be byte-identical.
func TestAnalyse_report_does_not_depend_on_workers(t *testing.T) {
	dir := seededSim(t)
	var reports []string
	for _, workers := range []int{1, 8} {
		res, err := Scan(context.Background(), Options{Inputs: []Input{{Path: dir}}, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) == 0 {
			t.Fatal("no findings: the comparison would prove nothing")
		}
		var b bytes.Buffer
		if err := (report.JSON{}).Write(&b, res.Report); err != nil {
			t.Fatal(err)
		}
		reports = append(reports, b.String())
	}
	if diff := cmp.Diff(reports[0], reports[1]); diff != "" {
		t.Errorf("report with 8 workers differs from 1 worker (-1 +8):\n%s", diff)
	}
}

// stub is an indicator that returns fixed findings, or an error.
type stub struct {
	detect.Indicator
	id  string
	n   int
	err error
}

func (s stub) ID() string { return s.id }
func (s stub) Detect(context.Context, *detect.Input) ([]detect.Finding, error) {
	if s.err != nil {
		return nil, s.err
	}
	fs := make([]detect.Finding, s.n)
	for i := range fs {
		fs[i].Person = s.id
	}
	return fs, nil
}

func anyInput(int) *detect.Input { return &detect.Input{} }

func TestRun_orders_findings_by_indicator(t *testing.T) {
	inds := []detect.Indicator{stub{id: "A-01", n: 2}, stub{id: "B-01", n: 0}, stub{id: "C-01", n: 3}, stub{id: "D-01", n: 1}}
	want := []string{"A-01", "A-01", "C-01", "C-01", "C-01", "D-01"}
	for _, workers := range []int{1, 2, 16} {
		var prog Progress
		prog.Begin("indicators", UnitItems, int64(len(inds)))
		out, err := run(context.Background(), inds, anyInput, workers, &prog)
		if err != nil {
			t.Fatal(err)
		}
		if s := prog.Snapshot(); s.Done != int64(len(inds)) {
			t.Errorf("workers=%d: progress counted %d indicators done, want %d", workers, s.Done, len(inds))
		}
		var got []string
		for _, f := range concat(out) {
			if f.Indicator != f.Person {
				t.Errorf("finding of %s stamped %s", f.Person, f.Indicator)
			}
			got = append(got, f.Indicator)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("workers=%d: findings (-want +got):\n%s", workers, diff)
		}
	}
}

func TestRun_reports_the_first_failing_indicator(t *testing.T) {
	boom := errors.New("boom")
	inds := []detect.Indicator{stub{id: "A-01", n: 1}, stub{id: "B-01", err: boom}, stub{id: "C-01", err: errors.New("later")}}
	_, err := run(context.Background(), inds, anyInput, 3, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want B-01's", err)
	}
}
