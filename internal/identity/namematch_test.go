package identity

import (
	"testing"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/profile"
)

func namedPerson(name string, emails ...string) *profile.Person {
	return &profile.Person{ID: "E1", Kind: profile.KindEmployee, Name: name, Accounts: []string{"jroe-gh"},
		Roster: &event.Event{Kind: event.KindPerson, Person: &event.Person{EmployeeID: "E1", Name: name, Emails: emails}}}
}

func TestCompareName(t *testing.T) {
	p := namedPerson("Robert Roe", "robert.roe@acme.example")
	tests := []struct {
		name string
		want NameVerdict
	}{
		{"Robert Roe", NameMatches},
		{"ROE, Robert", NameMatches},
		{"Bob Roe", NameMatches},
		{"R. Roe", NameMatches},
		{"Robert A. Roe", NameMatches},
		{"rroe", NameMatches},
		{"robert-roe92", NameMatches},
		{"robert.roe", NameMatches},
		{"devmaster", NameUnknown},
		{"王伟", NameUnknown},
		{"", NameUnknown},
		{"Wei Zhang", NameDiffers},
		{"Robert Smith", NameDiffers},
		{"Kim Roe", NameDiffers},
	}
	for _, tc := range tests {
		if got := CompareName(p, tc.name); got != tc.want {
			t.Errorf("CompareName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := CompareName(&profile.Person{ID: "x"}, "Wei Zhang"); got != NameUnknown {
		t.Errorf("nameless person: %v", got)
	}
}

func TestEmailOfPerson(t *testing.T) {
	p := namedPerson("Robert Roe", "robert.roe@acme.example")
	for _, tc := range []struct {
		email string
		want  bool
	}{
		{"Robert.Roe@acme.example", true},
		{"bobroe.dev@mail.example", true},
		{"12345+jroe-gh@users.noreply.github.com", true},
		{"wei.zhang@mail.example", false},
		{"12345+someone@users.noreply.github.com", false},
		{"", false},
	} {
		if got := EmailOfPerson(p, tc.email); got != tc.want {
			t.Errorf("EmailOfPerson(%q) = %v, want %v", tc.email, got, tc.want)
		}
	}
}

func TestDefaultAuthorName(t *testing.T) {
	for _, n := range []string{"root", "Your Name", "ec2-user", "GitHub Actions"} {
		if !DefaultAuthorName(n) {
			t.Errorf("DefaultAuthorName(%q) = false", n)
		}
	}
	if DefaultAuthorName("logicmaker646") {
		t.Error("a personal handle is not a default")
	}
}
