package sim

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/entra"
	"github.com/rollcall/rollcall/internal/source/github"
	"github.com/rollcall/rollcall/internal/source/gitlog"
	"github.com/rollcall/rollcall/internal/source/gworkspace"
	"github.com/rollcall/rollcall/internal/source/list"
	"github.com/rollcall/rollcall/internal/source/osquery"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

// entraConfig is a small organisation that signs in through Entra ID.
var entraConfig = Config{Seed: 7, People: 80, Days: 21, IdP: IdPEntra}

var entraDir = sync.OnceValues(func() (string, error) {
	o, err := Generate(entraConfig)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "rollcall-sim-entra-")
	if err != nil {
		return "", err
	}
	tempDirs.Store(dir, true)
	return dir, o.WriteDir(dir)
})

// tempDirs are directories shared by tests, removed by TestMain.
var tempDirs sync.Map

// sourceFormats are the new files and the adapter that reads each.
var sourceFormats = []struct {
	file   string
	format source.Format
	kind   event.Kind
}{
	{FileWorkspace, gworkspace.New(), event.KindSignIn},
	{FileGitHub, github.New(), event.KindAudit},
	{FileGitLog, gitlog.New(), event.KindCommit},
	{FileOsquery, osquery.New(), event.KindDevice},
}

// decoded caches the adapters' output for the fixture's files.
var decoded sync.Map // path -> *sourcetest.Result

func decode(t *testing.T, f source.Format, path string) *sourcetest.Result {
	t.Helper()
	if r, ok := decoded.Load(path); ok {
		return r.(*sourcetest.Result)
	}
	r := sourcetest.DecodeFile(t, f, path)
	decoded.Store(path, r)
	return r
}

// checkParses asserts that the adapter reads every record of path as an
// event of the expected kind, and that content sniffing picks the adapter.
func checkParses(t *testing.T, path string, f source.Format, kind event.Kind) *sourcetest.Result {
	t.Helper()
	head, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := list.Detect(head[:min(len(head), source.SniffSize)]); err != nil || got.ID() != f.ID() {
		t.Errorf("%s sniffed as %v (%v), want %s", filepath.Base(path), got, err, f.ID())
	}
	r := decode(t, f, path)
	if r.Err != "" || len(r.Rejections) > 0 {
		t.Fatalf("%s: error %q, %d rejections, first %+v", filepath.Base(path), r.Err, len(r.Rejections), first(r.Rejections))
	}
	if len(r.Events) < 100 {
		t.Fatalf("%s: only %d events", filepath.Base(path), len(r.Events))
	}
	sourcetest.CheckInvariants(t, f.ID(), r)
	for _, e := range r.Events {
		if e.Kind != kind {
			t.Fatalf("%s record %d: kind %s, want %s", filepath.Base(path), e.Prov.Record, e.Kind, kind)
		}
	}
	return r
}

func first[T any](xs []T) any {
	if len(xs) == 0 {
		return nil
	}
	return xs[0]
}

func TestSourceFilesParse(t *testing.T) {
	f := getFixture(t)
	for _, sf := range sourceFormats {
		t.Run(sf.file, func(t *testing.T) {
			r := checkParses(t, filepath.Join(f.dir, sf.file), sf.format, sf.kind)
			for _, e := range r.Events {
				switch {
				case e.Actor().Empty() && sf.kind != event.KindDevice:
					t.Fatalf("record %d: no actor", e.Prov.Record)
				case e.Device != nil && e.Device.Table == "":
					t.Fatalf("record %d: osquery table of query %q not recognised", e.Prov.Record, e.Device.Query)
				case e.SignIn != nil && !e.Net().IP.IsValid(), e.Audit != nil && !e.Net().IP.IsValid():
					t.Fatalf("record %d: no IP address", e.Prov.Record)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(f.dir, FileEntra)); !os.IsNotExist(err) {
		t.Errorf("an Okta organisation also wrote %s", FileEntra)
	}
}

func TestEntraFileParses(t *testing.T) {
	dir, err := entraDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileOkta)); !os.IsNotExist(err) {
		t.Errorf("an Entra organisation also wrote %s", FileOkta)
	}
	r := checkParses(t, filepath.Join(dir, FileEntra), entra.New(), event.KindSignIn)
	var roster scimListIn
	if err := readJSON(filepath.Join(dir, FileRoster), &roster); err != nil {
		t.Fatal(err)
	}
	users := map[string]bool{}
	for _, u := range roster.Resources {
		users[u.UserName] = true
	}
	outcomes := map[string]int{}
	for _, e := range r.Events {
		s := e.SignIn
		outcomes[s.Outcome]++
		if !users[e.Actor().Login] || !s.Net.IP.IsValid() || s.Net.Country == "" || s.Net.ASN == 0 || s.Managed == "" {
			t.Fatalf("record %d: actor %+v, net %+v, managed %q", e.Prov.Record, e.Actor(), s.Net, s.Managed)
		}
	}
	if outcomes["success"] == 0 || outcomes["failure"] == 0 {
		t.Errorf("outcomes %v, want successes and failures", outcomes)
	}
	for _, sf := range sourceFormats {
		checkParses(t, filepath.Join(dir, sf.file), sf.format, sf.kind)
	}
}

// TestSourcesDeterministic: the same seed gives byte-identical files of
// every format, for both identity providers.
func TestSourcesDeterministic(t *testing.T) {
	for _, cfg := range []Config{{Seed: 21, People: 50, Days: 12}, {Seed: 21, People: 50, Days: 12, IdP: IdPEntra}} {
		a, b := writeTo(t, cfg), writeTo(t, cfg)
		o, err := Generate(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range o.Files() {
			x, err := os.ReadFile(filepath.Join(a, name))
			if err != nil {
				t.Fatal(err)
			}
			y, err := os.ReadFile(filepath.Join(b, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("%s (%s): differs between two runs with the same seed (%d vs %d bytes)", name, cfg.IdP, len(x), len(y))
			}
		}
	}
}

// TestSourceWritersIndependent: no writer consumes randomness another
// writer or the truth depends on.
func TestSourceWritersIndependent(t *testing.T) {
	o, err := Generate(Config{Seed: 5, People: 40, Days: 10, IdP: IdPEntra})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{FileEntra, FileWorkspace, FileGitHub, FileGitLog, FileOsquery}
	firstRun := map[string][]byte{}
	for _, n := range names {
		var buf bytes.Buffer
		if err := o.WriteFile(n, &buf); err != nil {
			t.Fatal(err)
		}
		firstRun[n] = buf.Bytes()
	}
	for _, n := range slices.Backward(names) {
		var buf bytes.Buffer
		if err := o.WriteFile(n, &buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), firstRun[n]) {
			t.Errorf("%s changed when written after the other files", n)
		}
	}
	if err := o.WriteFile("nope.json", io.Discard); err == nil {
		t.Error("WriteFile of an unknown name = nil error")
	}
}

// newSourceTells and newBehaviours are what the code-host, git and
// endpoint data add to the truth.
var (
	newSourceTells = []string{"END-01", "END-02", "END-03", "END-05", "END-08", "END-09", "ONB-06", "COL-01", "COL-02", "IAM-09", "IAM-10", "NET-05", "OFF-04"}
	newBehaviours  = []string{BehaviourRemoteSupport, BehaviourUSBGadget, BehaviourMouseJiggler, BehaviourVPNClient, BehaviourReplacementLaptop,
		BehaviourTravelCommits, BehaviourOnboardingClones, BehaviourPersonalCommitMail, BehaviourGitHubAdmin}
)

// TestSourceTellsOccur: over a few organisations every new tell and hard
// negative occurs, and careful operatives show none of the new tells.
func TestSourceTellsOccur(t *testing.T) {
	tells, behaviours := map[string]int{}, map[string]int{}
	operatives := 0
	for seed := int64(1); seed <= 4; seed++ {
		o, err := Generate(Config{Seed: seed, People: 300, Days: 60})
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range o.Truth().Operatives {
			if op.Kind != "employee" {
				continue
			}
			operatives++
			for _, tell := range op.Tells {
				if slices.Contains(newSourceTells, tell) {
					tells[tell]++
					if op.Careful {
						t.Errorf("seed %d: careful operative %s shows %s", seed, op.ID, tell)
					}
				}
			}
		}
		for _, l := range o.Truth().Legitimate {
			for _, b := range l.Behaviours {
				behaviours[b]++
			}
		}
	}
	for _, tell := range newSourceTells {
		if tells[tell] == 0 {
			t.Errorf("no operative shows %s (seen: %v)", tell, tells)
		}
		if tells[tell] == operatives {
			t.Errorf("every operative shows %s: tells must be on some only", tell)
		}
	}
	for _, b := range newBehaviours {
		if behaviours[b] == 0 {
			t.Errorf("no legitimate person shows %s (seen: %v)", b, behaviours)
		}
	}
}

// BenchmarkDefaultOrg generates the default organisation and writes every
// format (make demo's first half). Timing belongs in benchmarks, not in
// tests that a busy machine makes fail.
func BenchmarkDefaultOrg(b *testing.B) {
	for _, idp := range []string{IdPOkta, IdPEntra} {
		b.Run(idp, func(b *testing.B) {
			for b.Loop() {
				o, err := Generate(Config{IdP: idp})
				if err != nil {
					b.Fatal(err)
				}
				for _, name := range o.Files() {
					if err := o.WriteFile(name, io.Discard); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestEntraSignInTells checks the sign-in tells an Entra organisation's
// truth claims against entra.json.
func TestEntraSignInTells(t *testing.T) {
	dir, err := entraDir()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := LoadTruth(filepath.Join(dir, FileTruth))
	if err != nil {
		t.Fatal(err)
	}
	if tr.IdP != IdPEntra {
		t.Errorf("truth idp = %q, want %q", tr.IdP, IdPEntra)
	}
	var roster scimListIn
	if err := readJSON(filepath.Join(dir, FileRoster), &roster); err != nil {
		t.Fatal(err)
	}
	login := map[string]string{} // employee -> UPN
	for _, u := range roster.Resources {
		login[u.Enterprise.EmployeeNumber] = u.UserName
	}
	r := decode(t, entra.New(), filepath.Join(dir, FileEntra))
	byUser := map[string][]*event.SignIn{}
	mfaUsers := map[string]map[string]bool{}
	for _, e := range r.Events {
		byUser[e.Actor().Login] = append(byUser[e.Actor().Login], e.SignIn)
		if d := e.SignIn.MFADevice; d != "" {
			addSet(mfaUsers, d, e.Actor().Login)
		}
	}
	checks := map[string]func(ss []*event.SignIn) bool{
		"IAM-01": func(ss []*event.SignIn) bool {
			return slices.ContainsFunc(ss, func(s *event.SignIn) bool { return hostingASN(int(s.Net.ASN)) || s.RiskLevel == "medium" })
		},
		"IAM-02": func(ss []*event.SignIn) bool {
			return slices.ContainsFunc(ss, func(s *event.SignIn) bool { return len(mfaUsers[s.MFADevice]) > 1 })
		},
		"IAM-07": func(ss []*event.SignIn) bool {
			return slices.ContainsFunc(ss, func(s *event.SignIn) bool { return s.Managed == "unmanaged" && s.OS != "Ios" && s.OS != "Android" })
		},
	}
	seen := 0
	for _, op := range tr.Operatives {
		for _, tell := range op.Tells {
			if check, ok := checks[tell]; ok {
				seen++
				if !check(byUser[login[op.ID]]) {
					t.Errorf("%s claims %s, entra.json does not show it", op.ID, tell)
				}
			}
		}
	}
	if seen == 0 {
		t.Error("no operative of the Entra organisation shows IAM-01, IAM-02 or IAM-07")
	}
}
