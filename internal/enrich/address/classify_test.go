package address

import (
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/event"
)

func TestRulesParse(t *testing.T) {
	rs, err := parseRules(patternsCSV)
	if err != nil {
		t.Fatalf("parseRules(patterns.csv): %v", err)
	}
	if len(rs) < 20 {
		t.Errorf("patterns.csv has %d rules, want the documented list (20+)", len(rs))
	}
	for _, r := range Rules() {
		if r.Reason == "" || r.Source == "" {
			t.Errorf("rule %q has no reason or source", r.Pattern)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{name: "bad_header", data: "kind,pattern,reason,source\n", want: "header"},
		{name: "bad_class", data: "class,pattern,reason,source\nhome,x,y,z\n", want: `class "home"`},
		{name: "bad_pattern", data: "class,pattern,reason,source\npo_box,(,y,z\n", want: "pattern"},
		{name: "no_source", data: "class,pattern,reason,source\npo_box,x,y, \n", want: "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseRules([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseRules error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   event.Address
		want Class
	}{
		{name: "house", in: event.Address{Street: "12 Main St", Locality: "Springfield", Country: "US"}, want: Residential},
		{name: "apartment_is_not_a_mailbox", in: event.Address{Street: "12 Main St Apt 4B"}, want: Residential},
		{name: "hash_apartment_is_not_a_mailbox", in: event.Address{Street: "480 Elm Ave #12"}, want: Residential},
		{name: "box_elder_street_is_not_a_po_box", in: event.Address{Street: "1450 Box Elder Street"}, want: Residential},
		{name: "suite_alone_is_not_a_mailbox", in: event.Address{Street: "500 Market St Suite 210"}, want: Residential},
		{name: "rural_route_box_is_a_home", in: event.Address{Street: "RR 2 Box 15"}, want: Residential},
		{name: "po_box", in: event.Address{Street: "P.O. Box 1234"}, want: POBox},
		{name: "po_box_spaced", in: event.Address{Street: "P O BOX 77"}, want: POBox},
		{name: "po_box_no_space", in: event.Address{Street: "POBox 77"}, want: POBox},
		{name: "post_office_box", in: event.Address{Street: "Post Office Box 9"}, want: POBox},
		{name: "postfach", in: event.Address{Street: "Postfach 10 01 01", Country: "DE"}, want: POBox},
		{name: "pmb", in: event.Address{Street: "2100 Main St Ste 104 PMB 331"}, want: MailForwarder},
		{name: "ups_store_in_formatted", in: event.Address{Formatted: "The UPS Store #4411, 9 Commerce Dr # 212, Austin TX 78701"}, want: MailForwarder},
		{name: "parcel_forwarder", in: event.Address{Street: "Shipito, 1 Harbor Way"}, want: MailForwarder},
		{name: "care_of", in: event.Address{Street: "c/o Pacific Freight, 88 Dock Rd"}, want: Commercial},
		{name: "warehouse", in: event.Address{Street: "Unit 5, Eastgate Warehouse, 3 Industrial Rd"}, want: Commercial},
		{name: "hold_for_pickup", in: event.Address{Street: "Hold for pickup at FedEx Office, 200 Pine St"}, want: Commercial},
		{name: "empty", in: event.Address{Locality: "Springfield"}, want: Unknown},
		{name: "no_house_number", in: event.Address{Street: "Main Street"}, want: Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.in); got != tt.want {
				r, _ := Match(tt.in)
				t.Errorf("Classify(%+v) = %q, want %q (rule %q)", tt.in, got, tt.want, r.Pattern)
			}
		})
	}
}

func TestMatchLine(t *testing.T) {
	tests := []struct {
		line string
		want Class
	}{
		{line: "Jane Doe c/o Acme Logistics", want: Commercial},
		{line: "Jane Doe c/o MyUS.com", want: MailForwarder},
		{line: "Jane Doe", want: ""},
		{line: "", want: ""},
	}
	for _, tt := range tests {
		r, _ := MatchLine(tt.line)
		if r.Class != tt.want {
			t.Errorf("MatchLine(%q) class = %q, want %q", tt.line, r.Class, tt.want)
		}
	}
}

func FuzzAddress(f *testing.F) {
	for _, s := range []string{"12 Main St, Apt 4B, Springfield, IL 62704, USA", "P.O. Box 12", "c/o x", "#", ",,", "Hauptstraße 5\n10115 Berlin"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Parse(s)
		_ = Classify(a)
		_, _ = MatchLine(s)
		if Key(a) != "" && !Same(a, a) {
			t.Errorf("Same(a, a) is false for %q (key %q)", s, Key(a))
		}
	})
}
