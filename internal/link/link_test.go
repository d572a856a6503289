package link

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// background is a synthetic applicant pool for the tests that need a
// realistic population around the records they plant (the model's u
// probabilities come from it).
func background(t *testing.T, n int) []Record {
	t.Helper()
	opt := DefaultSynthOptions(n)
	opt.Facilitators, opt.AgencyShare = 0, 0
	recs, _ := Synthesize(opt)
	return recs
}

// TestAgencyVersusFacilitator is issue 16's acceptance case: 500
// applicants from one recruiting agency, who all give the agency's phone,
// must not become one cluster; a facilitator's 10 personas, with their own
// names but sharing phones, a résumé template and a payout account, must.
func TestAgencyVersusFacilitator(t *testing.T) {
	// A platform-sized pool, so that the ring's own records are not
	// most of the payout accounts and résumés u is estimated from.
	recs := background(t, 10_000)
	g := &synth{rng: rand.New(rand.NewPCG(7, 7)), taken: map[string]bool{}}
	agencyPhone := "+1 (415) 555-0100"
	for i := range 500 {
		r := g.person()
		r.ID = "agency-" + strconv.Itoa(i)
		r.Phones = []string{agencyPhone}
		recs = append(recs, r)
	}
	phones := []string{"+1 646 555 0142", "+16465550199"}
	template := g.resume()
	var personas []string
	for i := range 10 {
		r := g.person()
		r.ID = "persona-" + strconv.Itoa(i)
		r.Phones = []string{phones[i%2]}
		r.Payouts = []string{"acct-7f3a9c0e11d2"}
		r.Resume = strings.Replace(template, "Summary", r.GivenName+" "+r.FamilyName+"\nSummary", 1)
		recs = append(recs, r)
		personas = append(personas, r.ID)
	}
	res, err := Link(context.Background(), recs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var ring []string
	for _, c := range res.Clusters {
		agency := 0
		for _, m := range c.Members {
			if strings.HasPrefix(m, "agency-") {
				agency++
			}
		}
		if agency > 1 {
			t.Errorf("cluster %s links %d agency applicants: %v", c.ID, agency, c.Links)
		}
		if slices.Contains(c.Members, "persona-0") {
			ring = c.Members
			t.Logf("facilitator cluster: %d members, strongest link %+v", len(c.Members), c.Links[0])
		}
	}
	slices.Sort(personas)
	if diff := cmp.Diff(personas, ring); diff != "" {
		t.Errorf("facilitator's personas (-want +got):\n%s", diff)
		for _, c := range res.Model.Comparisons {
			t.Logf("%s: %+v", c.Field, c.Levels)
		}
	}
}

// TestSynthAccuracy links a synthetic pool with duplicates (typos,
// nicknames, transliterations, reformatted contacts, moves), agency
// applicants and facilitator rings, and scores pairs against the truth:
// a person's records belong together, and so do a ring's personas.
func TestSynthAccuracy(t *testing.T) {
	n := 20_000
	if raceEnabled {
		n = 5_000
	}
	opt := DefaultSynthOptions(n)
	recs, truth := Synthesize(opt)
	entity := map[string]string{}
	for i, r := range recs {
		entity[r.ID] = "p" + strconv.Itoa(int(truth.Person[i]))
		if truth.Ring[i] >= 0 {
			entity[r.ID] = "r" + strconv.Itoa(int(truth.Ring[i]))
		}
	}
	res, err := Link(context.Background(), recs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := evaluate(recs, res.Clusters, func(id string) string { return entity[id] })
	s.log(t, fmt.Sprintf("synthetic %d", n))
	t.Logf("stats: %+v", res.Stats)
	if s.pairPrecision < 0.98 || s.pairRecall < 0.95 {
		t.Errorf("pair precision %.4f recall %.4f; want at least 0.98 and 0.95", s.pairPrecision, s.pairRecall)
	}
}

func TestLinkExplainsMatches(t *testing.T) {
	recs := background(t, 2000)
	recs = append(recs,
		Record{ID: "x1", GivenName: "Robert", FamilyName: "Kowalski", BirthDate: "1988-04-12", Emails: []string{"Rob.Kowalski+jobs@gmail.com"}, Phones: []string{"(312) 555-0187"}},
		Record{ID: "x2", GivenName: "Bob", FamilyName: "Kowalsky", BirthDate: "19880412", Emails: []string{"robkowalski@gmail.com"}, Phones: []string{"+13125550187"}},
	)
	res, err := Link(context.Background(), recs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Clusters {
		if slices.Contains(c.Members, "x1") {
			if diff := cmp.Diff([]string{"x1", "x2"}, c.Members); diff != "" {
				t.Fatalf("members (-want +got):\n%s", diff)
			}
			want := []Field{FieldGivenName, FieldFamilyName, FieldBirthDate, FieldEmail, FieldPhone}
			if diff := cmp.Diff(want, c.Links[0].Matched); diff != "" {
				t.Errorf("matched fields (-want +got):\n%s", diff)
			}
			return
		}
	}
	t.Fatal("x1 and x2 (one person: nickname, typo, reformatted mailbox and phone) were not linked")
}

func TestLinkRefusesRepeatedIDs(t *testing.T) {
	_, err := Link(context.Background(), []Record{{ID: "a", Ref: "f.csv:2"}, {ID: "a", Ref: "f.csv:3"}}, DefaultOptions())
	if err == nil || err.Error() != `f.csv:3: id "a" is also the id of f.csv:2; ids must be unique` {
		t.Errorf("error = %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	recs := background(t, 3000)
	a, err := Link(context.Background(), recs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	opt.Workers = 1
	b, err := Link(context.Background(), recs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.Clusters, b.Clusters); diff != "" {
		t.Errorf("clusters differ between 1 and %d workers:\n%s", a.Stats.Records, diff)
	}
	if len(a.Clusters) == 0 {
		t.Error("no clusters in a pool with duplicates")
	}
}

func ExampleParseMapping() {
	m, err := ParseMapping("id=rec_id,given_name=first,family_name=last,phone=mobile,phone=work_phone")
	fmt.Println(m[FieldPhone], err)
	_, err = ParseMapping("id=rec_id,nickname=nick")
	fmt.Println(err)
	// Output:
	// [mobile work_phone] <nil>
	// mapping "nickname=nick": unknown field "nickname" (fields: id, given_name, family_name, birth_date, email, phone, street_number, address, address2, city, postcode, region, country, national_id, url, payout, resume)
}
