// Package list names every input format rollcall reads, in one place, and
// picks the format of a file from its content.
//
// Adding a format: write its package under internal/source, add one line to
// Formats below, and give it testdata fixtures; list_test.go then checks
// that it has a unique id and a description, claims its own fixtures and
// no other format's, and accounts for every record it reads.
package list

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/rollcall/rollcall/internal/source"
	"github.com/rollcall/rollcall/internal/source/entra"
	"github.com/rollcall/rollcall/internal/source/github"
	"github.com/rollcall/rollcall/internal/source/githubusers"
	"github.com/rollcall/rollcall/internal/source/gitlog"
	"github.com/rollcall/rollcall/internal/source/greenhouse"
	"github.com/rollcall/rollcall/internal/source/gworkspace"
	"github.com/rollcall/rollcall/internal/source/okta"
	"github.com/rollcall/rollcall/internal/source/osquery"
	"github.com/rollcall/rollcall/internal/source/payroll"
	"github.com/rollcall/rollcall/internal/source/resumes"
	"github.com/rollcall/rollcall/internal/source/scim"
	"github.com/rollcall/rollcall/internal/source/shipments"
	"github.com/rollcall/rollcall/internal/source/teams"
	"github.com/rollcall/rollcall/internal/source/zoom"
)

// Formats returns every format, grouped by what the data is about. The
// order is fixed; it is the order in which Detect lists candidates.
func Formats() []source.Format {
	return []source.Format{
		// Identity provider sign-in and admin logs.
		okta.New(),
		entra.New(),
		gworkspace.New(),

		// Code hosts and endpoints.
		github.New(),
		gitlog.New(),
		osquery.New(),

		// HR, hiring, payroll and equipment.
		scim.New(),
		greenhouse.New(),
		resumes.New(),
		githubusers.New(),
		payroll.New(),
		shipments.New(),

		// Interviews and meetings.
		zoom.New(),
		teams.New(),
	}
}

// ByID returns the format with the given id.
func ByID(id string) (source.Format, bool) {
	for _, f := range Formats() {
		if f.ID() == id {
			return f, true
		}
	}
	return nil, false
}

// IDs returns the ids of all formats, in Formats order.
func IDs() []string {
	var ids []string
	for _, f := range Formats() {
		ids = append(ids, f.ID())
	}
	return ids
}

// ErrUnknownFormat is wrapped by Detect's error when no format claims the
// content; a directory scan skips such files.
var ErrUnknownFormat = errors.New("unrecognised input format")

// ErrAmbiguousFormat is wrapped by Detect's error when several formats
// claim the content.
var ErrAmbiguousFormat = errors.New("ambiguous input format")

// Detect returns the one format that claims head (the first bytes of the
// decompressed content, at most source.SniffSize).
//
// When no format claims head as it is, each of source.SniffCandidates is
// tried in turn (the record inside a SIEM "message" envelope, then head
// from each following line), so that one broken or foreign first line
// does not make a whole file unrecognised.
func Detect(head []byte) (source.Format, error) {
	claimed := claimants(head)
	if len(claimed) == 0 {
		for _, alt := range source.SniffCandidates(head) {
			if claimed = claimants(alt); len(claimed) > 0 {
				break
			}
		}
	}
	switch len(claimed) {
	case 1:
		return claimed[0], nil
	case 0:
		return nil, fmt.Errorf("%w: none of the formats %s matched; force one with --input FORMAT=PATH",
			ErrUnknownFormat, strings.Join(IDs(), ", "))
	}
	var ids []string
	for _, f := range claimed {
		ids = append(ids, f.ID())
	}
	return nil, fmt.Errorf("%w: formats %s all matched; choose one with --input FORMAT=PATH",
		ErrAmbiguousFormat, strings.Join(ids, ", "))
}

// claimants lists the formats whose Sniff claims head.
func claimants(head []byte) []source.Format {
	var claimed []source.Format
	for _, f := range Formats() {
		if f.Sniff(head) {
			claimed = append(claimed, f)
		}
	}
	return claimed
}

// DecodeFile opens path (undoing gzip), picks its format (unless forced is
// not nil) and decodes it into sink. It returns the format used. Errors
// name the file; a file no format claims gives an error wrapping
// ErrUnknownFormat. Records decoded before an error have reached sink.
func DecodeFile(ctx context.Context, path string, forced source.Format, sink source.Sink) (source.Format, error) {
	f, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	format := forced
	if format == nil {
		head, err := f.Head()
		if err != nil {
			return nil, err
		}
		if format, err = Detect(head); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := format.Decode(ctx, f, path, sink); err != nil {
		return format, fmt.Errorf("decoding %s: %w", format.ID(), err)
	}
	return format, nil
}
