package link

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSoundex(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"robert", "R163"}, {"rupert", "R163"}, {"rubin", "R150"}, {"ashcraft", "A261"},
		{"tymczak", "T522"}, {"pfister", "P236"}, {"honeyman", "H555"}, {"lee", "L000"},
		{"o brien", "O165"}, {"", ""}, {"123", ""},
	} {
		if got := soundex(tc.in); got != tc.want {
			t.Errorf("soundex(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Michaela", "michaela"}, {"  Mary-Jane  O'Neil ", "mary jane o neil"}, {"José Müller", "jose muller"},
		{"Nguyễn", "nguyen"}, {"", ""},
	} {
		if got := foldName(tc.in); got != tc.want {
			t.Errorf("foldName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalContacts(t *testing.T) {
	mailboxes := []struct{ in, mailbox, local string }{
		{"Rob.Kowalski+jobs@GMail.com", "robkowalski@gmail.com", "robkowalski"},
		{"r.k@googlemail.com", "rk@gmail.com", "rk"},
		{"first.last+x@corp.io", "first.last@corp.io", "first.last"},
		{"not an address", "", ""},
		{"a@b@c", "", ""},
	}
	for _, tc := range mailboxes {
		mb, local := canonicalMailbox(tc.in)
		if mb != tc.mailbox || local != tc.local {
			t.Errorf("canonicalMailbox(%q) = %q, %q; want %q, %q", tc.in, mb, local, tc.mailbox, tc.local)
		}
	}
	urls := []struct{ in, want string }{
		{"https://www.GitHub.com/Foo/", "github.com/foo"},
		{"github.com/foo?tab=repositories#top", "github.com/foo"},
		{"http://user@jinpark.dev:8080/", "jinpark.dev"},
		{"   ", ""},
		{"http://dbrooks.dev/?utm_source=x#top", "dbrooks.dev"},
		{"https://linkedin.com/in/dbrooks", "linkedin.com/in/dbrooks"},
		// A shared platform's bare home page, or a host without a dot,
		// identifies nobody.
		{"github.com", ""},
		{" https://www.linkedin.com/ ", ""},
		{"https://github.io/", ""},
		{"https://dbrooks.github.io", "dbrooks.github.io"}, // a user site is theirs
		{"http://localhost/foo", ""},
	}
	for _, tc := range urls {
		if got := canonicalURL(tc.in); got != tc.want {
			t.Errorf("canonicalURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	phones := []struct{ in, region, want string }{
		{"(312) 555-0187", "US", "+13125550187"},
		{"+1 312-555-0187", "US", "+13125550187"},
		{"+13125550187", "GB", "+13125550187"},
		{"020 7946 0958", "GB", "+442079460958"},
		{"0044 20 7946 0958", "US", ""}, // 011 is the US exit code, not 00
		{"call me", "US", ""},
		{"12", "US", ""},
	}
	for _, tc := range phones {
		if got := canonicalPhone(tc.in, tc.region); got != tc.want {
			t.Errorf("canonicalPhone(%q, %s) = %q, want %q", tc.in, tc.region, got, tc.want)
		}
	}
}

func TestDistinctiveLocal(t *testing.T) {
	for _, tc := range []struct {
		local, given, family string
		want                 bool
	}{
		{"william.chen", "william", "chen", false},
		{"wchen", "william", "chen", false},
		{"chenw", "william", "chen", false},
		{"wchen1987", "william", "chen", true},
		{"darkstar", "william", "chen", true},
		{"maryjane.oneil", "mary jane", "oneil", false},
		{"joseph.rodriguez", "josph", "rodrfguez", false}, // typos in the record's own name
		{"ab", "", "", false},
	} {
		if got := distinctiveLocal(tc.local, tc.given, tc.family); got != tc.want {
			t.Errorf("distinctiveLocal(%q, %q, %q) = %v, want %v", tc.local, tc.given, tc.family, got, tc.want)
		}
	}
}

func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  int
		want int
	}{
		{"date_exact", dateLevel("19880412", "19880412"), 0},
		{"date_digit_typo", dateLevel("19880412", "19880413"), 1},
		{"date_day_month_swap", dateLevel("19880412", "19881204"), 1},
		{"date_same_year", dateLevel("19880412", "19880901"), 2},
		{"date_different", dateLevel("19880412", "19790101"), 3},
		{"date_unknown", dateLevel("", "19790101"), null},
		{"name_nickname", nameLevel("bob", "robert", "robert", "robert"), 1},
		{"name_typo", nameLevel("kowalski", "kowalsky", "kowalski", "kowalsky"), 1},
		{"name_different", nameLevel("maria", "kevin", "maria", "kevin"), 3},
		{"postcode_transposed", typoLevel("60611", "60161"), 1},
		{"postcode_different", typoLevel("60611", "94105"), 2},
		{"street_similar", similarLevel("lake shore dr", "lake shroe dr", 0.90, 0.75), 1},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: level %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}

func TestOneEdit(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"1234", "1234", true}, {"1234", "1284", true}, {"1234", "1324", true}, {"1234", "124", true},
		{"1234", "12345", true}, {"1234", "4321", false}, {"1234", "1299", false}, {"12", "1234", false},
	} {
		if got := oneEdit(tc.a, tc.b); got != tc.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestRadixSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 5, 255, 256, 10_000} {
		s := make([]uint64, n)
		for i := range s {
			s[i] = rng.Uint64()
			if i%3 == 0 {
				s[i] &= 0xffff // values sharing high digits
			}
		}
		want := slices.Clone(s)
		slices.Sort(want)
		radixSort(s, nil)
		if !slices.Equal(s, want) {
			t.Errorf("n=%d: not sorted", n)
		}
	}
}

func TestReadCSVFEBRLShape(t *testing.T) {
	in := "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id\n" +
		"rec-1070-org, michaela, neumann, 8, stanley street, miami, winston hills, 4223, nsw, 19151111, 5304218\n" +
		"rec-561-dup-0, elton, , 3, light setreet, pinehill, windermere, 3212, vic, 19651013, 1551941\n"
	recs, err := ReadCSV(strings.NewReader(in), "f.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{ID: "rec-1070-org", GivenName: "michaela", FamilyName: "neumann", StreetNumber: "8", Address: "stanley street", Address2: "miami",
			City: "winston hills", Postcode: "4223", Region: "nsw", BirthDate: "19151111", NationalID: "5304218", Ref: "f.csv:2"},
		{ID: "rec-561-dup-0", GivenName: "elton", StreetNumber: "3", Address: "light setreet", Address2: "pinehill",
			City: "windermere", Postcode: "3212", Region: "vic", BirthDate: "19651013", NationalID: "1551941", Ref: "f.csv:3"},
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestWriteRecordsCSVRoundTrip(t *testing.T) {
	recs, _ := Synthesize(DefaultSynthOptions(300))
	var b strings.Builder
	if err := WriteRecordsCSV(&b, recs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCSV(strings.NewReader(b.String()), "pool.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		back[i].Ref = ""
	}
	if diff := cmp.Diff(recs, back); diff != "" {
		t.Errorf("round trip (-wrote +read):\n%s", diff)
	}
}

// TestReadCSVMappingWithoutID: a mapping built by a caller without an id
// column is an error naming the file, not a panic on the first empty id.
func TestReadCSVMappingWithoutID(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("name\nAda\n"), "f.csv", Mapping{FieldGivenName: {"name"}})
	if err == nil || !strings.HasPrefix(err.Error(), "f.csv: ") || !strings.Contains(err.Error(), "id=COLUMN") {
		t.Fatalf("err = %v, want f.csv: … id=COLUMN", err)
	}
}
