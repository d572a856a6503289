package identity

import "testing"

func TestNameVariant(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"Evelyn Park", "Evie Park", VariantNickname},
		{"William Hart", "Bill Hart", VariantNickname},
		{"Bill Hart", "Will Hart", VariantNickname},
		{"Patricia Kowalski", "Trish Kowalski", VariantNickname},
		{"Maria Lopez", "Maria Chen", VariantFamilyChange},
		{"Aleksandr Petrov", "Alexander Petrov", VariantSame},
		{"Mohammed Al-Sayed", "Muhammad Alsayed", VariantTransliteration},
		{"Yuri Ivanov", "Iouri Ivanov", VariantTransliteration},
		{"James Robert Lee", "Robert Lee", VariantMiddleName},
		{"Robert J. Lee", "Robert Lee", VariantSame},
		// Really different people: persona names of one operator.
		{"Daniel Brooks", "Kevin Tran", ""},
		{"Alex Park", "Brian Lee", ""},
		{"Kevin Tran", "Kevin", ""},
		{"Jo Smith", "Jo Brown", ""},
		{"Daniel Brooks", "Daniel Brooks", VariantSame},
		{"Chris Wong", "Chris Wang", VariantTransliteration},
		{"Sergei Volkov", "Dmitri Volkov", ""},
		{"Anna Kowalski", "Piotr Kowalski", ""},
	}
	for _, tt := range tests {
		if got := NameVariant(tt.a, tt.b); got != tt.want {
			t.Errorf("NameVariant(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}
