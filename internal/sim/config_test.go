package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConfigDefaults(t *testing.T) {
	var c Config
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := Config{Seed: 1, People: 500, Days: 90, Operatives: 11, End: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), IdP: IdPOkta}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" = valid
	}{
		{"defaults", Config{}, ""},
		{"smallest", Config{People: 20, Days: 7}, ""},
		{"too_few_people", Config{People: 19}, "--people must be between 20 and 200000, got 19"},
		{"too_many_people", Config{People: 200001}, "--people must be between 20 and 200000"},
		{"negative_seed", Config{Seed: -4}, "--seed must be positive"},
		{"too_few_days", Config{Days: 3}, "--days must be between 7 and 730, got 3"},
		{"too_many_operatives", Config{People: 100, Operatives: 21}, "--operatives must be between 2 and 20"},
		{"one_operative", Config{Operatives: 1}, "--operatives must be between 2"},
		{"entra", Config{IdP: IdPEntra}, ""},
		{"auto_idp", Config{IdP: IdPAuto}, ""},
		{"unknown_idp", Config{IdP: "onelogin"}, `--idp must be okta, entra or auto, got "onelogin"`},
		{"end_out_of_range", Config{End: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)}, "end date must be between 2000 and 2100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	if _, err := Generate(Config{People: 5}); err == nil || !strings.Contains(err.Error(), "--people") {
		t.Errorf("Generate(People: 5) = %v, want a --people error", err)
	}
}

func TestEndIsADate(t *testing.T) {
	c := Config{End: time.Date(2026, 3, 10, 17, 45, 0, 0, time.FixedZone("x", 3600))}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC); !c.End.Equal(want) {
		t.Errorf("End = %v, want %v", c.End, want)
	}
}

func TestAutoIdPPicksBySeed(t *testing.T) {
	seen := map[string]int{}
	for seed := int64(1); seed <= 60; seed++ {
		c := Config{Seed: seed, IdP: IdPAuto}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		again := Config{Seed: seed, IdP: IdPAuto}
		if err := again.Validate(); err != nil || again.IdP != c.IdP {
			t.Fatalf("seed %d: auto picked %q, then %q", seed, c.IdP, again.IdP)
		}
		seen[c.IdP]++
	}
	if seen[IdPOkta] == 0 || seen[IdPEntra] == 0 || len(seen) != 2 {
		t.Errorf("auto over 60 seeds picked %v, want both okta and entra", seen)
	}
}
