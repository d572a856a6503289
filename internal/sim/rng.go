package sim

import (
	"encoding/hex"
	"math"
	"math/rand/v2"
	"time"
)

// Stream tags: every independent purpose draws from its own PCG stream
// derived from the seed, so that adding a draw in one place does not shift
// the output of another.
const (
	streamOrg uint64 = iota + 1
	streamPeople
	streamLegit
	streamOperatives
	streamCandidates
	streamRecords
	streamActivity
	streamOktaIDs
	streamBench
	streamSources   // per-person plans for the code host, git, Workspace and the endpoint agent
	streamEndpoint  // osquery results, per host and day
	streamGitHub    // GitHub audit entries, per session
	streamGitlog    // commits, per session
	streamWorkspace // Google Workspace login activities, per session
	streamEntra     // Entra ID sign-ins, per session
	streamContacts  // throw-away contact details on candidate records (APP-21, APP-22)
	streamLAN       // the machines on each laptop's network (END-11, END-12)
	streamMeetings  // interviews (Zoom), per candidate
	streamClasses   // later legitimate classes: name and mailbox variants, care-of shipping, CI runners
	streamTeams     // which interviews of an Entra organisation are Teams calls, and their call records
	streamFace      // whether an operative hired inside the window sends a "face" to every interview (ONB-08)
	streamEnrolment // the Entra sign-in that registers a new hire's Authenticator (ONB-08)
)

// mix is the SplitMix64 finaliser.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// seeds derives the two PCG seed words for (seed, stream, a, b).
func seeds(seed int64, stream, a, b uint64) (uint64, uint64) {
	s1 := mix(uint64(seed) ^ mix(stream))
	s2 := mix(s1 ^ mix(a+0x1234567) ^ mix(b<<1|1))
	return s1, s2
}

// newRand returns a generator for one stream and key.
func newRand(seed int64, stream, a, b uint64) *rand.Rand {
	s1, s2 := seeds(seed, stream, a, b)
	return rand.New(rand.NewPCG(s1, s2))
}

// reseeder is one reusable generator re-seeded per key, to avoid an
// allocation per person-day.
type reseeder struct {
	pcg *rand.PCG
	r   *rand.Rand
}

func newReseeder() *reseeder {
	p := rand.NewPCG(0, 0)
	return &reseeder{pcg: p, r: rand.New(p)}
}

func (s *reseeder) at(seed int64, stream, a, b uint64) *rand.Rand {
	s.pcg.Seed(seeds(seed, stream, a, b))
	return s.r
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns an int in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickWeighted returns an index drawn with the given weights.
func pickWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	if total <= 0 {
		return 0
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// normal returns a normally distributed value clamped to [lo, hi].
func normal(r *rand.Rand, mean, sd, lo, hi float64) float64 {
	v := mean + sd*r.NormFloat64()
	return math.Max(lo, math.Min(hi, v))
}

// minutes returns d minutes as a Duration.
func minutes(m float64) time.Duration { return time.Duration(m * float64(time.Minute)) }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func randBase62(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = base62[r.IntN(len(base62))]
	}
	return string(b)
}

// appendRandHex appends 2*nbytes random hex digits.
func appendRandHex(b []byte, r *rand.Rand, nbytes int) []byte {
	for i := 0; i < nbytes; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < nbytes; j++ {
			c := byte(v >> (8 * j))
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return b
}

func randHex(r *rand.Rand, nbytes int) string {
	b := make([]byte, nbytes)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return hex.EncodeToString(b)
}

const upperAlnum = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"

func randUpperAlnum(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = upperAlnum[r.IntN(len(upperAlnum))]
	}
	return string(b)
}

// uuid4 returns a random (version 4) UUID.
func uuid4(r *rand.Rand) string {
	var u [16]byte
	for i := range u {
		u[i] = byte(r.Uint32())
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

// appendUUID1 appends a time-based (version 1) UUID for t, as Okta uses for
// System Log event ids; clockSeq and node come from the caller.
func appendUUID1(b []byte, t time.Time, clockSeq uint16, node [6]byte) []byte {
	// 100-ns intervals since 1582-10-15.
	const gregorianOffset = 122192928000000000
	ts := uint64(t.UnixNano()/100) + gregorianOffset
	var u [16]byte
	tl := uint32(ts)
	tm := uint16(ts >> 32)
	th := uint16(ts>>48)&0x0fff | 0x1000
	u[0], u[1], u[2], u[3] = byte(tl>>24), byte(tl>>16), byte(tl>>8), byte(tl)
	u[4], u[5] = byte(tm>>8), byte(tm)
	u[6], u[7] = byte(th>>8), byte(th)
	cs := clockSeq&0x3fff | 0x8000
	u[8], u[9] = byte(cs>>8), byte(cs)
	copy(u[10:], node[:])
	var out [36]byte
	formatUUIDInto(&out, u)
	return append(b, out[:]...)
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	formatUUIDInto(&b, u)
	return string(b[:])
}

func formatUUIDInto(b *[36]byte, u [16]byte) {
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
}
