package source

import (
	"testing"
	"unsafe"
)

// TestSlabBlocks: a Slab hands out distinct zero values, and its blocks
// grow to at most slabBytes (past it the allocator rounds a block up to
// whole pages).
func TestSlabBlocks(t *testing.T) {
	type value [528]byte // an Okta event with its sign-in
	var s Slab[value]
	seen := map[*value]bool{}
	for range 1000 {
		p := s.New()
		if seen[p] || *p != (value{}) {
			t.Fatalf("New returned a used or non-zero value")
		}
		seen[p] = true
		p[0] = 1
		if bytes := s.next * int(unsafe.Sizeof(value{})); bytes > slabBytes {
			t.Fatalf("block of %d values is %d bytes, more than %d", s.next, bytes, slabBytes)
		}
	}
	if want := slabBytes / 528; s.next != want {
		t.Errorf("grown block holds %d values, want %d", s.next, want)
	}
}
