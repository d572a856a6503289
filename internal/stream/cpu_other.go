//go:build !unix

package stream

import "time"

// processCPU is not measured on this system: it is always 0.
func processCPU() time.Duration { return 0 }
