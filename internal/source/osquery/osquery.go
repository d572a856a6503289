// Package osquery reads osquery scheduled-query results as the filesystem
// logger writes them (osqueryd.results.log and osqueryd.snapshots.log; see
// https://osquery.readthedocs.io/en/stable/deployment/logging/).
//
// One JSON object per line, in one of three forms:
//
//   - event (differential): {"name", "hostIdentifier", "calendarTime",
//     "unixTime", "epoch", "counter", "numerics", "decorations": {…},
//     "columns": {…}, "action": "added" | "removed"}
//   - snapshot: the same with "snapshot": [{…}, …] and "action": "snapshot"
//   - batch (--logger_event_type=false): "diffResults": {"added": [{…}],
//     "removed": [{…}]} instead of columns
//
// Each line becomes one event.KindDevice event, so that records read =
// events + rejections:
//
//	Time     unixTime (seconds, string or number), else calendarTime
//	Device   HostID hostIdentifier (or the older "hostname"), Query name,
//	         Action added / removed / snapshot, or "batch" for the batch
//	         form, Rows the columns (one row), the snapshot rows, or the
//	         added rows then the removed rows of a batch
//	Actor    empty: results name a host, not an account; hosts reach people
//	         through serial numbers (system_info, shipments)
//
// Row values are text, as osquery logs them; numbers written under
// --logger_numerics keep their literal text. Decorations are copied into
// every row under keys prefixed DecorationPrefix ("decorations.hostname",
// "decorations.username"…), also when --decorations_top_level put them at
// the top of the line; a snapshot with no rows therefore carries no
// decorations. In the batch form each row has DiffKey ("diffResults") set
// to "added" or "removed".
//
// Device.Table names the table the rows come from (see the Table
// constants), judged from the columns and else from the query name, or ""
// when neither decides. Besides the inventory tables (usb_devices,
// processes, apps, programs, system_info, time, keyboard layouts) it
// recognises the laptop's network neighbourhood: arp_cache (address, mac,
// interface, permanent), interface_details (interface, mac, type…),
// etc_hosts (address, hostnames) and Windows dns_cache (name, type, flags).
//
// A line is rejected when it has no hostIdentifier, no query name, no
// columns, snapshot or diffResults (status log lines included), a
// missing or malformed time or one outside 2000–2100, or an action that contradicts its form.
package osquery

import (
	"context"
	"io"

	"github.com/rollcall/rollcall/internal/source"
)

// ID is the format id.
const ID = "osquery"

// Format reads osquery results logs.
type Format struct{}

var _ source.Format = (*Format)(nil)

// New returns the osquery results log format.
func New() *Format { return &Format{} }

// ID implements source.Format.
func (*Format) ID() string { return ID }

// Description implements source.Format.
func (*Format) Description() string {
	return "osquery results log (filesystem logger): NDJSON of differential, snapshot or batch results"
}

// Sniff implements source.Format. It claims JSON whose first record has a
// query "name", a time key (unixTime or calendarTime) and a result payload
// (columns, snapshot or diffResults).
func (*Format) Sniff(head []byte) bool {
	keys, ok := source.SniffJSONKeys(head)
	return ok && keys["name"] && (keys["unixtime"] || keys["calendartime"]) &&
		(keys["columns"] || keys["snapshot"] || keys["diffresults"])
}

// Decode implements source.Format.
func (*Format) Decode(ctx context.Context, r io.Reader, file string, sink source.Sink) error {
	return source.DecodeJSON(ctx, r, file, ID, nil, sink, parse)
}
