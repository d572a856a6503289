// Package oui recognises the network hardware of IP-KVM makers by the
// IEEE-assigned prefix of a MAC address (OUI): the MA-L (24-bit), MA-M
// (28-bit) and MA-S (36-bit) blocks of the makers listed in
// kvm_vendors.csv, taken from the IEEE registry (npm oui-data) by
// `make oui` into kvm_oui.tsv, which is committed and embedded. Nothing is
// fetched at run time.
//
// A MAC address names the maker of a network interface, not what the box
// does: a Raspberry Pi is a hobby computer far more often than a PiKVM, and
// GL.iNet sells mostly travel routers. Classes and confidences say how much
// a prefix alone is worth; the endpoint indicators decide.
package oui

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// Class says what a prefix's maker is evidence of.
type Class string

// Classes (kvm_vendors.csv).
const (
	// IPKVM: the maker's products on a home network are, in practice,
	// IP-KVMs or KVM/console gear (TinyPilot, Raritan, ATEN, Sipeed's
	// NanoKVM…).
	IPKVM Class = "ip_kvm"
	// KVMBoard: a maker of boards or routers that DIY and small IP-KVMs run
	// on (Raspberry Pi: PiKVM, TinyPilot, BliKVM; GL.iNet: Comet), whose
	// products are mostly something else.
	KVMBoard Class = "kvm_board"
)

// Entry is one registry block.
type Entry struct {
	Prefix       string // upper-case hex, 6, 7 or 9 digits
	Class        Class
	Product      string // what the maker's box on a LAN most likely is
	Confidence   string // high, medium or low (kvm_vendors.csv)
	Organisation string // the IEEE registrant's name
}

//go:embed kvm_oui.tsv
var table string

var entries = sync.OnceValue(func() map[string]Entry {
	m, err := parse(table)
	if err != nil {
		panic("oui: embedded kvm_oui.tsv: " + err.Error()) // a build defect, caught by the package's tests
	}
	return m
})

func parse(s string) (map[string]Entry, error) {
	m := map[string]Entry{}
	sc := bufio.NewScanner(strings.NewReader(s))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", n, len(f))
		}
		p := strings.ToUpper(f[0])
		if l := len(p); l != 6 && l != 7 && l != 9 || strings.Trim(p, "0123456789ABCDEF") != "" {
			return nil, fmt.Errorf("line %d: prefix %q is not 6, 7 or 9 hex digits", n, f[0])
		}
		if c := Class(f[1]); c != IPKVM && c != KVMBoard {
			return nil, fmt.Errorf("line %d: unknown class %q", n, f[1])
		}
		m[p] = Entry{Prefix: p, Class: Class(f[1]), Product: f[2], Confidence: f[3], Organisation: f[4]}
	}
	return m, sc.Err()
}

// Normalize returns a MAC address as 12 upper-case hex digits, and false
// for anything else: osquery writes "b8:27:eb:12:34:56"; Windows tools
// "B8-27-EB-12-34-56"; Cisco "b827.eb12.3456".
func Normalize(mac string) (string, bool) {
	var b [12]byte
	n := 0
	for i := 0; i < len(mac); i++ {
		c := mac[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'F':
		case c >= 'a' && c <= 'f':
			c -= 'a' - 'A'
		case c == ':' || c == '-' || c == '.' || c == ' ':
			continue
		default:
			return "", false
		}
		if n == 12 {
			return "", false
		}
		b[n] = c
		n++
	}
	if n != 12 {
		return "", false
	}
	return string(b[:]), true
}

// Universal reports whether a normalised MAC is a globally unique unicast
// address: only those carry a maker's prefix. Locally administered
// addresses (randomised Wi-Fi MACs, USB gadgets, virtual machines),
// multicast and broadcast addresses, and all zeros (an incomplete ARP
// entry) do not.
func Universal(mac string) bool {
	if len(mac) != 12 || mac == "000000000000" {
		return false
	}
	var v byte
	fmt.Sscanf(mac[:2], "%02X", &v)
	return v&0x03 == 0
}

// Lookup returns the registry block a MAC address (any common spelling)
// belongs to, when its maker is one the table lists. The longest assigned
// prefix wins (MA-S, then MA-M, then MA-L).
func Lookup(mac string) (Entry, bool) {
	m, ok := Normalize(mac)
	if !ok || !Universal(m) {
		return Entry{}, false
	}
	t := entries()
	for _, n := range []int{9, 7, 6} {
		if e, ok := t[m[:n]]; ok {
			return e, true
		}
	}
	return Entry{}, false
}

// Entries returns the number of blocks in the embedded table.
func Entries() int { return len(entries()) }
