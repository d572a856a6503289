package cli

import (
	"github.com/spf13/pflag"

	"github.com/rollcall/rollcall/internal/source"
)

// inputLimitFlags are --max-input-bytes and --max-input-records, which
// bound what one input file (scan, publish) or one upload (serve) may
// expand to once decompressed.
type inputLimitFlags struct {
	bytes   int64
	records int
}

// Defaults for scan and publish, per file: far above any real export
// (a 90-day, 1,500-person organisation is 1.1 GB in all), far below what
// exhausts a machine.
const (
	defaultFileBytes   = 8 << 30
	defaultFileRecords = 10_000_000
)

func (l *inputLimitFlags) register(fl *pflag.FlagSet, bytes int64, records int, per string) {
	fl.Int64Var(&l.bytes, "max-input-bytes", bytes, "largest decompressed content of "+per+" in `BYTES` (0: no limit)")
	fl.IntVar(&l.records, "max-input-records", records, "most records (events and rejections) in "+per+" (`N`, 0: no limit)")
}

// limits converts the flags; 0 (no limit) becomes negative, which the
// server does not replace with its defaults.
func (l inputLimitFlags) limits() source.Limits {
	lim := source.Limits{Bytes: l.bytes, Records: l.records}
	if lim.Bytes == 0 {
		lim.Bytes = -1
	}
	if lim.Records == 0 {
		lim.Records = -1
	}
	return lim
}
