// Command buildasn builds a MaxMind-format ASN database from the
// @ip-location-db/asn CSV files (ip_range_start,ip_range_end,
// autonomous_system_number,autonomous_system_organization; inclusive
// ranges, no header). The records use GeoLite2-ASN's field names, so
// rollcall's ipintel (and any MaxMind reader) reads the result.
//
//	go run ./scripts/ipdb/buildasn -o asn.mmdb asn-ipv4.csv asn-ipv6.csv
//
// Rows that cannot be read or inserted (reserved networks) are counted and
// reported, never dropped silently; more than 1% of them is an error.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

func main() {
	out := flag.String("o", "asn.mmdb", "output `file`")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: buildasn [-o asn.mmdb] asn-ipv4.csv [asn-ipv6.csv …]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	st, err := build(*out, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildasn:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "buildasn: %s: %d ranges from %d rows (%d rows skipped)\n", *out, st.inserted, st.rows, st.skipped)
	if st.skipped > 0 {
		fmt.Fprintf(os.Stderr, "buildasn: first skipped row: %s\n", st.firstSkip)
	}
}

// stats counts what a build read.
type stats struct {
	rows, inserted, skipped int
	firstSkip               string
}

func build(out string, inputs []string) (stats, error) {
	var st stats
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType: "ip-location-db-ASN",
		Description:  map[string]string{"en": "ASN database built by rollcall from @ip-location-db/asn (CC BY 4.0, RouteViews and DB-IP)"},
		RecordSize:   28,
	})
	if err != nil {
		return st, fmt.Errorf("new database: %w", err)
	}
	for _, in := range inputs {
		if err := readCSV(tree, in, &st); err != nil {
			return st, err
		}
	}
	if st.inserted == 0 {
		return st, fmt.Errorf("no ranges read from %s", strings.Join(inputs, ", "))
	}
	if st.skipped*100 > st.rows {
		return st, fmt.Errorf("%d of %d rows skipped (first: %s): is this the @ip-location-db/asn CSV?", st.skipped, st.rows, st.firstSkip)
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return st, fmt.Errorf("output: %w", err)
	}
	if _, err := tree.WriteTo(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return st, fmt.Errorf("output %q: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return st, fmt.Errorf("output %q: %w", tmp, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return st, fmt.Errorf("output: %w", err)
	}
	return st, nil
}

func readCSV(tree *mmdbwriter.Tree, path string, st *stats) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				st.rows++
				st.skip(fmt.Sprintf("%s:%d: %v", path, line, err))
				continue
			}
			return fmt.Errorf("input %q: %w", path, err)
		}
		st.rows++
		if st.rows == 1 && strings.HasPrefix(rec[0], "ip_range_start") {
			st.rows-- // a header line, should a release add one
			continue
		}
		if err := insert(tree, rec); err != nil {
			st.skip(fmt.Sprintf("%s:%d: %v", path, line, err))
			continue
		}
		st.inserted++
	}
}

func (st *stats) skip(why string) {
	st.skipped++
	if st.firstSkip == "" {
		st.firstSkip = why
	}
}

// insert adds one row: start, end (inclusive), AS number, AS organisation.
func insert(tree *mmdbwriter.Tree, rec []string) error {
	if len(rec) < 3 {
		return fmt.Errorf("%d columns, want 4", len(rec))
	}
	start, err := netip.ParseAddr(strings.TrimSpace(rec[0]))
	if err != nil {
		return fmt.Errorf("ip_range_start %q: not an address", rec[0])
	}
	end, err := netip.ParseAddr(strings.TrimSpace(rec[1]))
	if err != nil {
		return fmt.Errorf("ip_range_end %q: not an address", rec[1])
	}
	if start.Is4() != end.Is4() || end.Less(start) {
		return fmt.Errorf("range %s-%s is not a range", start, end)
	}
	asn, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(rec[2]), "AS"), 10, 32)
	if err != nil || asn == 0 {
		return fmt.Errorf("autonomous_system_number %q: not an AS number", rec[2])
	}
	record := mmdbtype.Map{"autonomous_system_number": mmdbtype.Uint32(asn)}
	if len(rec) > 3 && strings.TrimSpace(rec[3]) != "" {
		record["autonomous_system_organization"] = mmdbtype.String(strings.TrimSpace(rec[3]))
	}
	return tree.InsertRange(net.IP(start.AsSlice()), net.IP(end.AsSlice()), record)
}
