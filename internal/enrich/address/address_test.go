package address

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
)

func TestKey(t *testing.T) {
	tests := []struct {
		name string
		a, b event.Address
		same bool
	}{
		{
			name: "abbreviations_and_zip4",
			a:    event.Address{Street: "12 North Main Street", Locality: "Springfield", PostalCode: "62704-1234", Country: "US"},
			b:    event.Address{Street: "12 N. Main St", Locality: "SPRINGFIELD", PostalCode: "62704", Country: "USA"},
			same: true,
		},
		{
			name: "unit_written_three_ways",
			a:    event.Address{Street: "12 Main St Apt 4B", PostalCode: "62704", Country: "US"},
			b:    event.Address{Street: "Apartment 4-B, 12 Main Street", PostalCode: "62704", Country: "US"},
			same: true,
		},
		{
			name: "hash_unit",
			a:    event.Address{Street: "12 Main St #4b", PostalCode: "62704", Country: "US"},
			b:    event.Address{Street: "12 Main St Unit 4B", PostalCode: "62704", Country: "US"},
			same: true,
		},
		{
			name: "ordinal_words",
			a:    event.Address{Street: "300 Fifth Avenue", PostalCode: "10001", Country: "US"},
			b:    event.Address{Street: "300 5th Ave", PostalCode: "10001", Country: "US"},
			same: true,
		},
		{
			name: "formatted_only_against_structured",
			a:    event.Address{Formatted: "12 Main St, Apt 4B, Springfield, IL 62704, United States"},
			b:    event.Address{Street: "12 Main Street Apt 4B", Locality: "Springfield", Region: "IL", PostalCode: "62704", Country: "US"},
			same: true,
		},
		{
			name: "locality_when_no_postal",
			a:    event.Address{Street: "Hauptstraße 5", Locality: "Berlin", Country: "DE"},
			b:    event.Address{Street: "Hauptstrasse 5", Locality: "berlin", Country: "Germany"},
			same: true,
		},
		{
			name: "saint_spelled_out",
			a:    event.Address{Street: "9 Market St", Locality: "St. Louis", PostalCode: "63101", Country: "US"},
			b:    event.Address{Street: "9 Market Street", Locality: "Saint Louis", PostalCode: "63101", Country: "US"},
			same: true,
		},
		{
			name: "different_unit",
			a:    event.Address{Street: "12 Main St Apt 4", PostalCode: "62704", Country: "US"},
			b:    event.Address{Street: "12 Main St Apt 5", PostalCode: "62704", Country: "US"},
		},
		{
			name: "different_house_number",
			a:    event.Address{Street: "12 Main St", PostalCode: "62704", Country: "US"},
			b:    event.Address{Street: "14 Main St", PostalCode: "62704", Country: "US"},
		},
		{
			name: "different_country",
			a:    event.Address{Street: "12 Main St", PostalCode: "62704", Country: "US"},
			b:    event.Address{Street: "12 Main St", PostalCode: "62704", Country: "CA"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := Key(tt.a), Key(tt.b)
			if ka == "" || kb == "" {
				t.Fatalf("Key gave an empty key: %q, %q", ka, kb)
			}
			if got := ka == kb; got != tt.same {
				t.Errorf("Key(a) == Key(b) is %v, want %v (%q vs %q)", got, tt.same, ka, kb)
			}
			if got := Same(tt.a, tt.b); got != tt.same {
				t.Errorf("Same(a, b) = %v, want %v", got, tt.same)
			}
		})
	}
}

func TestKeyLayout(t *testing.T) {
	got := Key(event.Address{Street: "Apt 4B, 12 North Main Street", Locality: "Springfield", PostalCode: "62704-1234", Country: "usa"})
	if want := "12 n main st unit 4b|62704|springfield|US"; got != want {
		t.Errorf("Key = %q, want %q (street|postal|locality|country, read by internal/graph)", got, want)
	}
}

func TestKeyEmpty(t *testing.T) {
	if k := Key(event.Address{Locality: "Springfield", Country: "US"}); k != "" {
		t.Errorf("Key without a street = %q, want \"\"", k)
	}
}

func TestSameTolerant(t *testing.T) {
	tests := []struct {
		name string
		a, b event.Address
		want bool
	}{
		{
			name: "postal_missing_on_one_side",
			a:    event.Address{Street: "12 Main St", Locality: "Springfield", Country: "US"},
			b:    event.Address{Street: "12 Main Street", Locality: "Springfield", PostalCode: "62704", Country: "US"},
			want: true,
		},
		{
			name: "unit_missing_on_one_side",
			a:    event.Address{Street: "12 Main St", PostalCode: "62704"},
			b:    event.Address{Street: "12 Main St Apt 4", PostalCode: "62704", Country: "US"},
			want: true,
		},
		{
			name: "postal_differs",
			a:    event.Address{Street: "12 Main St", PostalCode: "62704", Country: "US"},
			b:    event.Address{Street: "12 Main St", PostalCode: "10001", Country: "US"},
		},
		{
			name: "locality_differs_without_postal",
			a:    event.Address{Street: "12 Main St", Locality: "Springfield", Country: "US"},
			b:    event.Address{Street: "12 Main St", Locality: "Shelbyville", Country: "US"},
		},
		{
			name: "empty_street",
			a:    event.Address{Locality: "Springfield"},
			b:    event.Address{Locality: "Springfield"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Same(tt.a, tt.b); got != tt.want {
				t.Errorf("Same = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want event.Address
	}{
		{
			name: "us_one_line",
			in:   "12 Main St, Apt 4B, Springfield, IL 62704, USA",
			want: event.Address{Street: "12 Main St Apt 4B", Locality: "Springfield", Region: "IL", PostalCode: "62704", Country: "USA",
				Formatted: "12 Main St, Apt 4B, Springfield, IL 62704, USA"},
		},
		{
			name: "german_multi_line",
			in:   "Hauptstraße 5\n10115 Berlin\nGermany",
			want: event.Address{Street: "Hauptstraße 5", Locality: "Berlin", PostalCode: "10115", Country: "Germany",
				Formatted: "Hauptstraße 5, 10115 Berlin, Germany"},
		},
		{
			name: "uk_postcode",
			in:   "221B Baker Street, London, NW1 6XE, United Kingdom",
			want: event.Address{Street: "221B Baker Street", Locality: "London", PostalCode: "NW1 6XE", Country: "United Kingdom",
				Formatted: "221B Baker Street, London, NW1 6XE, United Kingdom"},
		},
		{
			name: "no_postal",
			in:   "1 Infinite Loop, Cupertino, CA",
			want: event.Address{Street: "1 Infinite Loop", Locality: "Cupertino", Region: "CA", Formatted: "1 Infinite Loop, Cupertino, CA"},
		},
		{
			name: "empty",
			in:   " , ",
			want: event.Address{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Parse(tt.in)); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCountryCode(t *testing.T) {
	tests := map[string]string{
		"us": "US", "USA": "US", "United States of America": "US", "uk": "GB", "Great Britain": "GB",
		"Deutschland": "DE", "People's Republic of China": "CN", "Hong Kong": "HK", "UAE": "AE",
		"Narnia": "NARNIA", "": "", " pl ": "PL",
	}
	for in, want := range tests {
		if got := CountryCode(in); got != want {
			t.Errorf("CountryCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShort(t *testing.T) {
	tests := []struct {
		name string
		in   event.Address
		want string
	}{
		{name: "structured", in: event.Address{Street: "12  Main St", Locality: "Springfield", PostalCode: "62704", Country: "US"}, want: "12 Main St, Springfield, US"},
		{name: "formatted_only", in: event.Address{Formatted: "12 Main St\nSpringfield"}, want: "12 Main St Springfield"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Short(tt.in); got != tt.want {
				t.Errorf("Short = %q, want %q", got, tt.want)
			}
		})
	}
}
