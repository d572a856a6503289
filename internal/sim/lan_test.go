package sim

import (
	"strings"
	"testing"
	"time"
)

// arpMACs are the MAC addresses in the person's arp_cache rows, with the
// days each was seen on, read from the osquery file.
func (s *sourceIndex) arpMACs(id string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	local, _, _ := strings.Cut(s.email[id], "@")
	for _, e := range s.osq[local] {
		if e.Device.Table != "arp_cache" {
			continue
		}
		for _, r := range e.Device.Rows {
			m := strings.ReplaceAll(r.Get("mac"), ":", "")
			if out[m] == nil {
				out[m] = map[string]bool{}
			}
			out[m][e.Time.Format(time.DateOnly)] = true
		}
	}
	return out
}

// lanKVMInFiles is END-11 by the rule of tells_sources.go, from the files.
func lanKVMInFiles(x *index, s *sourceIndex, id string) bool {
	for m := range s.arpMACs(id) {
		if hasBlock(m, ipKVMBlocks) {
			return true
		}
		if !hasBlock(m, piBlocks) {
			continue
		}
		others := 0
		for other := range s.email {
			if other != id && x.home[other] != x.home[id] && s.arpMACs(other)[m] != nil {
				others++
			}
		}
		if others >= 2 {
			return true
		}
	}
	return false
}

// lanBoardInFiles is END-12's observable: a Raspberry Pi on two days.
func lanBoardInFiles(_ *index, s *sourceIndex, id string) bool {
	for m, days := range s.arpMACs(id) {
		if hasBlock(m, piBlocks) && len(days) >= 2 {
			return true
		}
	}
	return false
}

func init() {
	sourceTellChecks["END-11"] = lanKVMInFiles
	sourceTellChecks["END-12"] = lanBoardInFiles
	sourceBehaviourChecks[BehaviourHomeLabKVM] = lanKVMInFiles
	sourceBehaviourChecks[BehaviourHomePi] = lanBoardInFiles
	tellChecks["APP-21"] = func(x *index, _ string, cands []string) bool {
		return anyCand(x, cands, func(c *ghCandidateIn) bool {
			for _, p := range c.PhoneNumbers {
				if strings.HasPrefix(p.Value, "+44 56 ") || strings.HasPrefix(p.Value, "+31 85 ") {
					return true
				}
			}
			return false
		})
	}
	tellChecks["APP-22"] = func(x *index, _ string, cands []string) bool {
		return anyCand(x, cands, func(c *ghCandidateIn) bool {
			for _, e := range c.EmailAddresses {
				if isDisposableMail(e.Value) {
					return true
				}
			}
			return false
		})
	}
}

func TestMACs(t *testing.T) {
	r := newRand(1, streamLAN, 9, 9)
	for range 100 {
		if m := macIn(r, tinyPilotBlock); !strings.HasPrefix(strings.ReplaceAll(m, ":", ""), tinyPilotBlock) || len(m) != 17 {
			t.Fatalf("macIn(%s) = %s", tinyPilotBlock, m)
		}
		m := privateMAC(r)
		var first byte
		for _, c := range m[:2] {
			first <<= 4
			if c >= 'a' {
				first |= byte(c-'a') + 10
			} else {
				first |= byte(c - '0')
			}
		}
		if first&0x03 != 0x02 {
			t.Fatalf("privateMAC = %s: not a locally administered unicast address", m)
		}
	}
}

// TestLANTellsOccur: over a few organisations the LAN tells and hard
// negatives occur, and the contact tells too.
func TestLANTellsOccur(t *testing.T) {
	tells, behaviours := map[string]int{}, map[string]int{}
	for seed := int64(1); seed <= 3; seed++ {
		o, err := Generate(Config{Seed: seed, People: 300, Days: 30})
		if err != nil {
			t.Fatal(err)
		}
		tr := o.Truth()
		for _, op := range tr.Operatives {
			for _, tl := range op.Tells {
				tells[tl]++
			}
		}
		for _, l := range tr.Legitimate {
			for _, b := range l.Behaviours {
				behaviours[b]++
			}
		}
	}
	for _, want := range []string{"END-11", "APP-21", "APP-22"} {
		if tells[want] == 0 {
			t.Errorf("no operative shows %s (tells: %v)", want, tells)
		}
	}
	for _, want := range []string{BehaviourHomePi, BehaviourVoIPNumber, BehaviourDisposableMail} {
		if behaviours[want] == 0 {
			t.Errorf("no legitimate person shows %s (behaviours: %v)", want, behaviours)
		}
	}
}
