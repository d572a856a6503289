package link

import (
	"context"
	"fmt"
	"slices"
)

// Blocking-key tags: a key is the hash of its tag and its value, so that
// equal values of different kinds never meet.
const (
	tagName byte = iota + 1
	tagFamilyBirth
	tagGivenBirth
	tagEmail
	tagLocal
	tagPhone
	tagAddress
	tagNationalID
	tagURL
	tagPayout
)

// identifierTag reports whether keys of tag are identifiers (one person's
// own phone, mailbox…), whose blocks are capped by Options.FrequentValue.
func identifierTag(tag byte) bool {
	switch tag {
	case tagEmail, tagLocal, tagPhone, tagNationalID, tagURL, tagPayout:
		return true
	}
	return false
}

// recordBits is how many low bits of a packed key hold the record index.
const recordBits = 28

// MaxRecords is the most records one Link call takes.
const MaxRecords = 1<<recordBits - 1

// keyHash hashes a blocking-key value with its tag (FNV-1a, 64 bits,
// finished with a mixer so that the top bits are well spread).
func keyHash(tag byte, parts ...string) uint64 {
	h := uint64(14695981039346656037)
	h = (h ^ uint64(tag)) * 1099511628211
	for i, s := range parts {
		if i > 0 {
			h = (h ^ '|') * 1099511628211
		}
		for j := 0; j < len(s); j++ {
			h = (h ^ uint64(s[j])) * 1099511628211
		}
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// keyed is one blocking key of one record, packed: the key's hash in the
// high bits, its tag's identifier flag in bit recordBits, the record index
// in the low bits.
func keyed(h uint64, tag byte, rec int) uint64 {
	v := h &^ (1<<(recordBits+1) - 1)
	if identifierTag(tag) {
		v |= 1 << recordBits
	}
	return v | uint64(rec)
}

// keys appends the blocking keys of record i to dst.
func (p *prepared) keys(i int, dst []uint64) []uint64 {
	add := func(tag byte, parts ...string) {
		dst = append(dst, keyed(keyHash(tag, parts...), tag, i))
	}
	if p.gsx != "" && p.fsx != "" {
		// Order-free, so that swapped given and family names still meet.
		a, b := p.gsx, p.fsx
		if b < a {
			a, b = b, a
		}
		// With a birth year the key is narrow enough on its own; without
		// one, a common name would make a block of namesakes, so the
		// postcode's first three characters narrow it (a person who moved
		// meets their old records through phone, mailbox or handle).
		switch {
		case p.dob != "":
			add(tagName, a, b, p.dob[:4])
		case p.postcode != "":
			add(tagName, a, b, "", p.postcode[:min(3, len(p.postcode))])
		default:
			add(tagName, a, b)
		}
	}
	if p.dob != "" {
		if p.fsx != "" {
			add(tagFamilyBirth, p.fsx, p.dob)
		}
		if p.gsx != "" {
			add(tagGivenBirth, p.gsx, p.dob)
		}
	}
	for _, m := range p.mailboxes {
		add(tagEmail, m)
	}
	for _, l := range p.locals {
		if len(l) >= 6 {
			add(tagLocal, l)
		}
	}
	for _, ph := range p.phones {
		add(tagPhone, ph)
	}
	switch {
	case p.streetNo != "" && p.postcode != "":
		add(tagAddress, p.streetNo, p.postcode)
	case p.streetNo != "" && p.street != "" && p.city != "":
		add(tagAddress, p.streetNo, p.street, p.city)
	}
	if len(p.nid) >= 4 {
		add(tagNationalID, p.nid)
	}
	for _, u := range p.urls {
		add(tagURL, u)
	}
	for _, a := range p.payouts {
		add(tagPayout, a)
	}
	return dst
}

// frequentValues returns the hashes of identifier values in more than
// limit records: the values whose blocks are not expanded and whose
// agreement is graded "frequent". keys must be sorted.
func frequentValues(keys []uint64, limit int) map[uint64]bool {
	out := map[uint64]bool{}
	forEachBlock(keys, func(block []uint64) {
		if len(block) > limit && block[0]&(1<<recordBits) != 0 {
			out[block[0]>>(recordBits+1)] = true
		}
	})
	return out
}

// isFrequent reports whether the identifier value with key hash h is in
// the frequent set (which holds the hashes' high bits).
func isFrequent(set map[uint64]bool, h uint64) bool {
	return set[h>>(recordBits+1)]
}

// forEachBlock calls fn with every run of sorted keys that share a hash.
func forEachBlock(keys []uint64, fn func(block []uint64)) {
	const hashMask = ^uint64(1<<recordBits - 1)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j]&hashMask == keys[i]&hashMask {
			j++
		}
		fn(keys[i:j])
		i = j
	}
}

// blockStats count what blocking did.
type blockStats struct {
	keys, blocks, skippedBlocks, skippedRecords int
}

// candidatePairs expands the blocks of sorted keys into record pairs
// (pairKey form, unsorted, with repeats). Identifier blocks larger than
// frequent and other blocks larger than maxBlock are skipped.
func candidatePairs(ctx context.Context, keys []uint64, frequent, maxBlock int) ([]uint64, blockStats, error) {
	st := blockStats{keys: len(keys)}
	var pairs []uint64
	n := 0
	var err error
	forEachBlock(keys, func(block []uint64) {
		if len(block) < 2 || err != nil {
			return
		}
		limit := maxBlock
		if block[0]&(1<<recordBits) != 0 {
			limit = frequent
		}
		if len(block) > limit {
			st.skippedBlocks++
			st.skippedRecords += len(block)
			return
		}
		st.blocks++
		for i := range block {
			a := int32(block[i] & (1<<recordBits - 1))
			for _, y := range block[i+1:] {
				b := int32(y & (1<<recordBits - 1))
				if a != b {
					pairs = append(pairs, pairKey(a, b))
				}
			}
		}
		if n++; n%4096 == 0 {
			err = ctx.Err()
		}
	})
	if err != nil {
		return nil, st, fmt.Errorf("blocking: %w", err)
	}
	return pairs, st, nil
}

// pairKey packs a pair of record indexes, smaller first.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

func unpair(k uint64) (a, b int32) { return int32(k >> 32), int32(k & 0xffffffff) }

// radixSort sorts s in place (LSD, 16-bit digits), using tmp (grown as
// needed) as scratch; it returns the scratch for reuse.
func radixSort(s, tmp []uint64) []uint64 {
	if len(s) < 256 {
		slices.Sort(s)
		return tmp
	}
	if cap(tmp) < len(s) {
		tmp = make([]uint64, len(s))
	}
	tmp = tmp[:len(s)]
	src, dst := s, tmp
	var count [1 << 16]int
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count[:])
		for _, v := range src {
			count[(v>>shift)&0xffff]++
		}
		if count[(src[0]>>shift)&0xffff] == len(src) {
			continue // every value has this digit
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, v := range src {
			d := (v >> shift) & 0xffff
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &s[0] {
		copy(s, src)
	}
	return tmp
}

// uniqueSorted removes repeats from sorted s in place.
func uniqueSorted(s []uint64) []uint64 {
	if len(s) == 0 {
		return s
	}
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}
