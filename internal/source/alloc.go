package source

import (
	"encoding/hex"
	"unsafe"

	"github.com/rollcall/rollcall/internal/event"
)

// Events are kept by the thousand for the length of a scan, so the few
// values every event of a format allocates are carved out of larger
// blocks: one allocation per block instead of one per value, and no
// size-class rounding per value. A block stays alive while any value in it
// does, which suits events that live and die together (a scan, a stream
// batch). Each parsing goroutine has its own blocks.

// slabBytes bounds the block a Slab allocates at once, once it has grown:
// its first block holds one value and each next one twice as many, so that
// decoding a single record (a stream message) does not carve a block of
// values that the one event would keep alive. 32 KiB is the largest size
// the allocator serves from its size classes; a larger block is rounded up
// to whole 8 KiB pages, which wasted a fifth of a block of 64 Okta
// sign-ins (33,792 bytes on 40,960).
const slabBytes = 32 << 10

// Slab hands out zeroed values of T, allocated a block at a time.
type Slab[T any] struct {
	free []T
	next int // size of the next block
}

// New returns a pointer to a new zero T.
func (s *Slab[T]) New() *T {
	if len(s.free) == 0 {
		most := max(1, slabBytes/int(unsafe.Sizeof(*new(T))))
		s.next = min(max(1, 2*s.next), most)
		s.free = make([]T, s.next)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// SignInRecord and AuditRecord are an event and its payload as one value,
// for adapters to carve from a Slab: the event's SignIn (Audit) points at
// the payload beside it.
type SignInRecord struct {
	Event  event.Event
	SignIn event.SignIn
}

// AuditRecord: see SignInRecord.
type AuditRecord struct {
	Event event.Event
	Audit event.Audit
}

// arenaSize is the block size of a StringArena, once it has grown: its
// first block holds 256 bytes and each next one twice as many (see
// slabBytes).
const arenaSize = 32 << 10

// StringArena copies strings into shared blocks: for values that identify
// one record (event ids, content hashes, session ids), which interning
// cannot share. Strings it returns are never modified.
type StringArena struct{ block []byte }

// Bytes returns a string holding a copy of b.
func (a *StringArena) Bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaSize/8 {
		return string(b)
	}
	if cap(a.block)-len(a.block) < len(b) {
		a.block = make([]byte, 0, min(max(256, 2*cap(a.block), len(b)), arenaSize))
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[start], len(b))
}

// Hash returns RecordHash(raw), its text in the arena.
func (a *StringArena) Hash(raw []byte) string {
	var sum [hashBytes]byte
	recordSum(raw, &sum)
	var text [2 * hashBytes]byte
	hex.Encode(text[:], sum[:])
	return a.Bytes(text[:])
}
