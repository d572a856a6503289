package endpoint

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The header of each list format, lower case, comma-joined.
const (
	headerSoftware  = "category,product,field,pattern,confidence,source"
	headerUSB       = "category,product,vendor_id,product_id,vendor,model,serial,confidence,source"
	headerKeyboard  = "layout,language,name,source"
	headerLanguages = "country,languages,source"
)

var (
	versionComment = regexp.MustCompile(`^#\s*version:\s*(\S.*?)\s*$`)
	hexID          = regexp.MustCompile(`^[0-9a-f]{1,4}$`)
	languageCode   = regexp.MustCompile(`^[a-z]{2,3}$`)
	countryCode    = regexp.MustCompile(`^[A-Z]{2}$`)
	winLanguage    = regexp.MustCompile(`^win:[0-9a-f]{2}$`)
)

// read parses one list into k; name labels errors and Origin.
func (k *Knowledge) read(r io.Reader, name string) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	short := name
	if i := strings.LastIndexAny(short, `/\`); i >= 0 {
		short = short[i+1:]
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if m := versionComment.FindSubmatch(bytes.TrimSpace(line)); m != nil {
			k.versions[short] = string(m[1])
			break
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.LazyQuotes = true // sources quote product names
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", name, errNoHeader)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	var parse func(rec []string, origin string) error
	switch strings.Join(header, ",") {
	case headerSoftware:
		parse = k.parseSoftware
	case headerUSB:
		parse = k.parseUSB
	case headerKeyboard:
		parse = k.parseLayout
	case headerLanguages:
		parse = k.parseCountry
	default:
		return fmt.Errorf("%s: header %q: %w", name, strings.Join(header, ","), errNoHeader)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return fmt.Errorf("%s:%d: %d columns, want %d (%s)", name, line, len(rec), len(header), strings.Join(header, ","))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := parse(rec, fmt.Sprintf("%s:%d", short, line)); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
}

func (k *Knowledge) parseSoftware(rec []string, origin string) error {
	s := Software{Category: Category(strings.ToLower(rec[0])), Product: rec[1], Field: Field(strings.ToLower(rec[2])),
		Pattern: rec[3], Confidence: Confidence(strings.ToLower(rec[4])), Source: rec[5], Origin: origin}
	if !slices.Contains(softwareCategories, s.Category) {
		return fmt.Errorf("category %q is not one of %v", rec[0], softwareCategories)
	}
	if !slices.Contains(fields, s.Field) {
		return fmt.Errorf("field %q is not one of %v", rec[2], fields)
	}
	if err := common(s.Product, s.Confidence, s.Source); err != nil {
		return err
	}
	if err := checkGlob(s.Pattern); err != nil {
		return fmt.Errorf("pattern: %w", err)
	}
	k.software = append(k.software, s)
	return nil
}

func (k *Knowledge) parseUSB(rec []string, origin string) error {
	u := USB{Category: Category(strings.ToLower(rec[0])), Product: rec[1], Vendor: rec[4], Model: rec[5], Serial: rec[6],
		Confidence: Confidence(strings.ToLower(rec[7])), Source: rec[8], Origin: origin}
	if !slices.Contains(usbCategories, u.Category) {
		return fmt.Errorf("category %q is not one of %v", rec[0], usbCategories)
	}
	if err := common(u.Product, u.Confidence, u.Source); err != nil {
		return err
	}
	var ok bool
	if u.VendorID, ok = NormalizeUSBID(rec[2]); !ok && rec[2] != "" {
		return fmt.Errorf("vendor_id %q is not 1-4 hex digits", rec[2])
	}
	if u.ProductID, ok = NormalizeUSBID(rec[3]); !ok && rec[3] != "" {
		return fmt.Errorf("product_id %q is not 1-4 hex digits", rec[3])
	}
	if u.ProductID != "" && u.VendorID == "" {
		return errors.New("product_id without vendor_id: a product id means nothing without its vendor")
	}
	if u.VendorID == "" && u.Vendor == "" && u.Model == "" && u.Serial == "" {
		return errors.New("no vendor_id, vendor, model or serial: the entry would match every device")
	}
	for _, g := range []string{u.Vendor, u.Model, u.Serial} {
		if g == "" {
			continue
		}
		if err := checkGlob(g); err != nil {
			return fmt.Errorf("%q: %w", g, err)
		}
	}
	k.usb = append(k.usb, u)
	return nil
}

func (k *Knowledge) parseLayout(rec []string, origin string) error {
	l := Layout{Layout: strings.ToLower(rec[0]), Language: strings.ToLower(rec[1]), Name: rec[2], Source: rec[3], Origin: origin}
	switch {
	case strings.HasPrefix(l.Layout, "win:"):
		if !winLanguage.MatchString(l.Layout) {
			return fmt.Errorf("layout %q: want win: and two hex digits (the Windows primary language id)", rec[0])
		}
	case strings.HasPrefix(l.Layout, "name:"):
		if strings.TrimSpace(l.Layout[5:]) == "" {
			return fmt.Errorf("layout %q: empty name", rec[0])
		}
	default:
		if err := checkGlob(l.Layout); err != nil {
			return fmt.Errorf("layout: %w", err)
		}
	}
	if l.Language != "*" && !languageCode.MatchString(l.Language) {
		return fmt.Errorf("language %q is not an ISO 639-1 code or *", rec[1])
	}
	if l.Name == "" || l.Source == "" {
		return errors.New("name and source are required")
	}
	if i := slices.IndexFunc(k.layouts, func(x Layout) bool { return x.Layout == l.Layout }); i >= 0 {
		k.layouts[i] = l // a later list corrects an earlier one
		return nil
	}
	k.layouts = append(k.layouts, l)
	return nil
}

func (k *Knowledge) parseCountry(rec []string, origin string) error {
	c := Country{Country: strings.ToUpper(rec[0]), Languages: strings.Fields(strings.ToLower(rec[1])), Source: rec[2], Origin: origin}
	if !countryCode.MatchString(c.Country) {
		return fmt.Errorf("country %q is not an ISO 3166-1 alpha-2 code", rec[0])
	}
	if len(c.Languages) == 0 {
		return errors.New("no languages")
	}
	for _, l := range c.Languages {
		if !languageCode.MatchString(l) {
			return fmt.Errorf("language %q is not an ISO 639-1 code", l)
		}
	}
	if c.Source == "" {
		return errors.New("source is required")
	}
	k.countries[c.Country] = c
	return nil
}

func common(product string, c Confidence, source string) error {
	if product == "" {
		return errors.New("product is required")
	}
	if c.Rank() == 0 {
		return fmt.Errorf("confidence %q is not high, medium or low", c)
	}
	if source == "" {
		return errors.New("source is required: say where the entry comes from")
	}
	return nil
}

// checkGlob refuses patterns that would match (nearly) everything.
func checkGlob(p string) error {
	lit := strings.NewReplacer("*", "", "?", "").Replace(p)
	if len(strings.TrimSpace(lit)) < 2 {
		return fmt.Errorf("%q has fewer than two literal characters", p)
	}
	return nil
}

// NormalizeUSBID returns a USB vendor or product id as 4 lower-case hex
// digits ("0x1D6B" and "1d6b" give "1d6b"; "104" gives "0104"), and whether
// it was one. Decimal ids (osquery with numerics) are not recognised.
func NormalizeUSBID(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "0x")
	if !hexID.MatchString(s) {
		return "", false
	}
	return strings.Repeat("0", 4-len(s)) + s, true
}

// LocaleLanguage returns the language of a locale name ("ko-KR", "ko_KR",
// "ko_KR.UTF-8", "zh-Hans-CN" give "ko", "ko", "ko", "zh"), or "".
func LocaleLanguage(locale string) string {
	s := strings.ToLower(strings.TrimSpace(locale))
	if i := strings.IndexAny(s, "-_.@"); i >= 0 {
		s = s[:i]
	}
	if !languageCode.MatchString(s) {
		return ""
	}
	return s
}

// parseHex16 parses up to 4 hex digits.
func parseHex16(s string) (uint16, bool) {
	v, err := strconv.ParseUint(s, 16, 16)
	return uint16(v), err == nil
}
