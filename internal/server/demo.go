package server

import (
	"bytes"
	"context"
	"fmt"

	"github.com/rollcall/rollcall/internal/sim"
)

// DemoConfig is the simulated organisation `rollcall serve --demo` loads:
// small enough to analyse in seconds, with every kind of cell and hard
// negative the simulator makes.
var DemoConfig = sim.Config{Seed: 7, People: 200, Days: 60}

// LoadDemo simulates an organisation and ingests its files (not the ground
// truth), waiting for the analysis.
func (s *Server) LoadDemo(ctx context.Context, cfg sim.Config) (IngestResult, error) {
	if err := cfg.Validate(); err != nil {
		return IngestResult{}, fmt.Errorf("demo: %w", err)
	}
	org, err := sim.Generate(cfg)
	if err != nil {
		return IngestResult{}, fmt.Errorf("demo: %w", err)
	}
	var uploads []Upload
	for _, name := range org.Files() {
		if name == sim.FileTruth || name == sim.FileAllowList { // the answers and a policy file, not data
			continue
		}
		var b bytes.Buffer
		if err := org.WriteFile(name, &b); err != nil {
			return IngestResult{}, fmt.Errorf("demo: %w", err)
		}
		uploads = append(uploads, Upload{Name: "demo/" + name, Body: &b, Local: true})
	}
	return s.Ingest(ctx, uploads, true)
}
