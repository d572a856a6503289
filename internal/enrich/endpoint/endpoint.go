// Package endpoint holds rollcall's endpoint knowledge as data: the
// remote-control tools, consumer VPN clients, anti-detect browsers, Android
// emulators, mouse jigglers and agent-tampering commands the endpoint agent
// can see (data/software.csv); the IP-KVM, KVM-cable, single-board-computer,
// network-gadget and jiggler USB identifiers (data/usb.csv); and, for the
// fairness-sensitive locale indicator, keyboard layouts and the main
// languages of each country (data/keyboard.csv, data/languages.csv).
//
// Every entry names its source. The files are versioned ("# version:"
// comment), embedded in the binary and parsed once; users extend them with
// files of their own in the same formats (Load, LoadFiles, UseFiles; the
// CLI's --endpoint-knowledge flag). The endpoint indicators read Current,
// which is the embedded knowledge unless Use installed another.
//
// Matching is precompiled: exact patterns are map look-ups, prefix and
// suffix patterns are bucketed by their first and last characters, and only
// the few general globs run a compiled regular expression.
package endpoint

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Category says what a knowledge entry is evidence of.
type Category string

// Software categories (data/software.csv).
const (
	RemoteControl     Category = "remote_control"     // lets someone else drive the machine
	VPN               Category = "vpn"                // consumer VPN or circumvention client
	AntiDetectBrowser Category = "antidetect_browser" // multi-account / anti-detect browser
	AndroidEmulator   Category = "android_emulator"   // Android emulator
	Jiggler           Category = "jiggler"            // fakes user input (software or USB)
	AgentTampering    Category = "agent_tampering"    // stops the endpoint agent or deletes its logs
)

// USB categories (data/usb.csv). Jiggler is shared with software.
const (
	IPKVM           Category = "ip_kvm"           // IP-KVM by its default strings or ids
	CompositeGadget Category = "composite_gadget" // Linux Foundation multifunction composite gadget ids
	KVMCable        Category = "kvm_cable"        // keyboard/mouse emulator chip of a KVM cable
	SBC             Category = "sbc"              // single-board computer or microcontroller board
	NetworkGadget   Category = "network_gadget"   // a computer posing as a USB network adapter
	NetworkAdapter  Category = "network_adapter"  // vendor of ordinary USB network adapters
)

var (
	softwareCategories = []Category{RemoteControl, VPN, AntiDetectBrowser, AndroidEmulator, Jiggler, AgentTampering}
	usbCategories      = []Category{IPKVM, CompositeGadget, KVMCable, SBC, NetworkGadget, NetworkAdapter, Jiggler}
)

// Confidence is how specific an entry is to its product and category.
type Confidence string

// Entry confidences.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// Rank orders confidences: high 3, medium 2, low 1, anything else 0.
func (c Confidence) Rank() int {
	switch c {
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// Field is the part of a software row a pattern is matched against.
type Field string

// Software fields.
const (
	FieldName      Field = "name"      // process, app, bundle, program or package name
	FieldBundle    Field = "bundle"    // macOS bundle identifier
	FieldPath      Field = "path"      // executable, app or install path
	FieldCmdline   Field = "cmdline"   // process command line
	FieldPublisher Field = "publisher" // installed program publisher
)

var fields = []Field{FieldName, FieldBundle, FieldPath, FieldCmdline, FieldPublisher}

// Software is one line of the software list.
type Software struct {
	Category   Category   `json:"category"`
	Product    string     `json:"product"`
	Field      Field      `json:"field"`
	Pattern    string     `json:"pattern"`
	Confidence Confidence `json:"confidence"`
	Source     string     `json:"source"`
	Origin     string     `json:"origin"` // list file and line, e.g. "software.csv:42"
}

// USB is one line of the USB list. Empty match columns match anything;
// every non-empty one must match.
type USB struct {
	Category   Category   `json:"category"`
	Product    string     `json:"product"`
	VendorID   string     `json:"vendor_id,omitempty"`  // 4 lower-case hex digits
	ProductID  string     `json:"product_id,omitempty"` // 4 lower-case hex digits
	Vendor     string     `json:"vendor,omitempty"`     // glob over the vendor string
	Model      string     `json:"model,omitempty"`      // glob over the product (model) string
	Serial     string     `json:"serial,omitempty"`     // glob over the serial
	Confidence Confidence `json:"confidence"`
	Source     string     `json:"source"`
	Origin     string     `json:"origin"`
}

// Layout is one line of the keyboard list.
type Layout struct {
	Layout   string `json:"layout"`   // win:XX, name:NAME or an input source id glob
	Language string `json:"language"` // ISO 639-1, or "*" for language-neutral
	Name     string `json:"name"`     // what the analyst reads
	Source   string `json:"source"`
	Origin   string `json:"origin"`
}

// Neutral reports whether the layout fits any residence.
func (l Layout) Neutral() bool { return l.Language == "*" }

// Country is one line of the country language list.
type Country struct {
	Country   string   `json:"country"`   // ISO 3166-1 alpha-2, upper case
	Languages []string `json:"languages"` // ISO 639-1
	Source    string   `json:"source"`
	Origin    string   `json:"origin"`
}

// Knowledge is a loaded, compiled set of endpoint knowledge. It is
// read-only once loaded and safe for concurrent use.
type Knowledge struct {
	software  []Software
	usb       []USB
	layouts   []Layout
	countries map[string]Country
	versions  map[string]string // list file → version comment

	sw       map[Field]*globSet // compiled software patterns, value = index into software
	usbIDs   map[string][]int   // "vvvv:pppp" and "vvvv:" → indexes into usb
	usbOther []int              // entries without a vendor id
	usbGlobs []usbGlobs         // compiled string columns, parallel to usb
	lay      *globSet           // compiled input source globs, value = index into layouts
	layExact map[string]int     // "win:xx" and "name:…" → index into layouts

	cache  sync.Map     // software match answers by row columns (MatchSoftware)
	cached atomic.Int64 // entries stored in cache
}

//go:embed data/software.csv data/usb.csv data/keyboard.csv data/languages.csv
var dataFS embed.FS

// The embedded files, in load order.
var dataFiles = []string{"data/software.csv", "data/usb.csv", "data/keyboard.csv", "data/languages.csv"}

var embeddedKnowledge = sync.OnceValues(func() (*Knowledge, error) {
	k := newKnowledge()
	for _, name := range dataFiles {
		f, err := dataFS.Open(name)
		if err != nil {
			return nil, fmt.Errorf("embedded endpoint knowledge: %w", err)
		}
		err = k.read(f, strings.TrimPrefix(name, "data/"))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("embedded endpoint knowledge: %w", err)
		}
	}
	if err := k.compile(); err != nil {
		return nil, fmt.Errorf("embedded endpoint knowledge: %w", err)
	}
	return k, nil
})

// Embedded returns the shipped knowledge, parsed and compiled once.
func Embedded() (*Knowledge, error) { return embeddedKnowledge() }

// Default returns the shipped knowledge, or empty knowledge if the embedded
// files were malformed (the package tests rule that out; Embedded and Load
// report the error).
func Default() *Knowledge {
	k, err := Embedded()
	if err != nil {
		return empty()
	}
	return k
}

func empty() *Knowledge {
	k := newKnowledge()
	_ = k.compile() // nothing to compile: cannot fail
	return k
}

func newKnowledge() *Knowledge {
	return &Knowledge{countries: map[string]Country{}, versions: map[string]string{}}
}

// Load returns the shipped knowledge extended with each reader's entries.
// A reader holds one list in any of the four formats, told apart by its
// header line (lines starting with # are comments; "# version: X" records
// the list's version): software (category,product,field,pattern,
// confidence,source), USB (category,product,vendor_id,product_id,vendor,
// model,serial,confidence,source), keyboard (layout,language,name,source)
// or country languages (country,languages,source). Software and USB entries
// add to the shipped ones; a keyboard layout or country given again
// replaces the shipped entry. Errors name the reader by its Name method
// when it has one (an *os.File does), else by its position, and the line.
func Load(readers ...io.Reader) (*Knowledge, error) {
	base, err := Embedded()
	if err != nil {
		return nil, err
	}
	k := base.clone()
	for i, r := range readers {
		name := fmt.Sprintf("endpoint knowledge input %d", i+1)
		if nr, ok := r.(interface{ Name() string }); ok {
			name = nr.Name()
		}
		if err := k.read(r, name); err != nil {
			return nil, err
		}
	}
	if err := k.compile(); err != nil {
		return nil, err
	}
	return k, nil
}

// LoadFiles is Load over the named files.
func LoadFiles(paths ...string) (*Knowledge, error) {
	var readers []io.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			for _, r := range readers {
				r.(*os.File).Close()
			}
			return nil, fmt.Errorf("endpoint knowledge: %w", err)
		}
		readers = append(readers, f)
	}
	k, err := Load(readers...)
	for _, r := range readers {
		r.(*os.File).Close()
	}
	return k, err
}

var current atomic.Pointer[Knowledge]

// Current returns the knowledge the endpoint indicators use: what Use
// installed, else Default.
func Current() *Knowledge {
	if k := current.Load(); k != nil {
		return k
	}
	return Default()
}

// Use installs k as the knowledge Current returns (process-wide); nil
// restores the shipped knowledge.
func Use(k *Knowledge) { current.Store(k) }

// UseFiles loads the shipped knowledge extended with the named files and
// installs it with Use. It is what the CLI calls for --endpoint-knowledge;
// with no paths it restores the shipped knowledge. On error nothing changes.
func UseFiles(paths ...string) error {
	if len(paths) == 0 {
		Use(nil)
		return nil
	}
	k, err := LoadFiles(paths...)
	if err != nil {
		return err
	}
	Use(k)
	return nil
}

// Software returns every software entry, in load order.
func (k *Knowledge) Software() []Software { return slices.Clone(k.software) }

// USBDevices returns every USB entry, in load order.
func (k *Knowledge) USBDevices() []USB { return slices.Clone(k.usb) }

// Layouts returns every keyboard layout entry, in load order.
func (k *Knowledge) Layouts() []Layout { return slices.Clone(k.layouts) }

// Versions returns the version of each list read, by list name.
func (k *Knowledge) Versions() map[string]string {
	out := make(map[string]string, len(k.versions))
	for n, v := range k.versions {
		out[n] = v
	}
	return out
}

// CountryLanguages returns the main languages of a country (ISO alpha-2)
// and whether the country is known.
func (k *Knowledge) CountryLanguages(country string) ([]string, bool) {
	c, ok := k.countries[strings.ToUpper(strings.TrimSpace(country))]
	return c.Languages, ok
}

func (k *Knowledge) clone() *Knowledge {
	c := newKnowledge()
	c.software = slices.Clone(k.software)
	c.usb = slices.Clone(k.usb)
	c.layouts = slices.Clone(k.layouts)
	for n, v := range k.countries {
		c.countries[n] = v
	}
	for n, v := range k.versions {
		c.versions[n] = v
	}
	return c
}

// errNoHeader is returned for a list without a recognised header.
var errNoHeader = errors.New("no recognised header (software, usb, keyboard or languages list)")
