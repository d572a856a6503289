package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/rollcall/rollcall/internal/eval"
	"github.com/rollcall/rollcall/internal/pipeline"
	"github.com/rollcall/rollcall/internal/policy"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/sim"
	"github.com/rollcall/rollcall/internal/textfmt"
)

func simFlags(cmd *cobra.Command, cfg *sim.Config) {
	fl := cmd.Flags()
	fl.Int64Var(&cfg.Seed, "seed", 1, "random seed; the same seed gives byte-identical output")
	fl.IntVar(&cfg.People, "people", 500, "employees on the roster")
	fl.IntVar(&cfg.Days, "days", 90, "days of activity")
	fl.IntVar(&cfg.Operatives, "operatives", 0, "covert operatives in all (0: 2–4 cells of 2–6)")
	fl.StringVar(&cfg.IdP, "idp", "okta", "identity provider whose sign-in log to write: okta, entra, or auto (picked by seed)")
}

func newSimulateCmd(e *env) *cobra.Command {
	var cfg sim.Config
	var out string
	cmd := &cobra.Command{
		Use:   "simulate --out DIR",
		Short: "Write a synthetic organisation with hidden operatives and ground truth",
		Long: `simulate writes a realistic remote-first organisation in the vendors' real
export formats (Okta System Log NDJSON or Entra ID sign-ins, Google Workspace
login activity, GitHub audit log, git log, osquery results, SCIM roster,
Greenhouse candidates, payroll and shipments CSV) with covert operatives
organised in cells, plenty of legitimate behaviour that looks suspicious (travellers, corporate VPN
users, night owls, couples sharing a home, a shared office IP…), and
truth.json naming the operatives, their cells and the hard negatives.
Use it to measure detection with 'rollcall eval'.`,
		Example: `  rollcall simulate --out ./sim --seed 7
  rollcall scan --json ./sim > report.json
  rollcall eval --truth ./sim/truth.json report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError("simulate needs --out DIR")
			}
			if err := cfg.Validate(); err != nil {
				return usageError("%v", err)
			}
			org, err := sim.Generate(cfg)
			if err != nil {
				return err
			}
			if err := org.WriteDir(out); err != nil {
				return err
			}
			t := org.Truth()
			fmt.Fprintf(e.stdout, "wrote %s: %s, %s, %s in %s (truth: %s)\n",
				out, textfmt.Count(cfg.People, "person", "people"), textfmt.Count(cfg.Days, "day", "days"),
				textfmt.Count(len(t.Operatives), "operative", "operatives"), textfmt.Count(len(t.Cells), "cell", "cells"), filepath.Join(out, "truth.json"))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output `DIR` (created)")
	simFlags(cmd, &cfg)
	return cmd
}

func newEvalCmd(e *env) *cobra.Command {
	var truthPath string
	cmd := &cobra.Command{
		Use:   "eval --truth truth.json REPORT.json",
		Short: "Measure a report against the simulator's ground truth",
		Long: `eval compares a JSON report (rollcall scan --json) with the simulator's
truth.json and prints recall (operatives flagged), precision, the false-positive
rate among legitimate people (and which hard-negative behaviours caused them),
per-indicator precision/recall, and how exactly the cells were reconstructed.`,
		Example: `  rollcall eval --truth ./sim/truth.json report.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if truthPath == "" {
				return usageError("eval needs --truth FILE (written by 'rollcall simulate')")
			}
			truth, err := eval.LoadTruth(truthPath)
			if err != nil {
				return usageError("%v", err)
			}
			rep, err := eval.LoadReport(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			res, err := eval.Evaluate(truth, rep)
			if err != nil {
				return err
			}
			res.WriteText(e.stdout)
			return nil
		},
	}
	cmd.Flags().StringVar(&truthPath, "truth", "", "ground truth `FILE` written by simulate")
	return cmd
}

func newDemoCmd(e *env) *cobra.Command {
	var cfg sim.Config
	var out string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Simulate an organisation, scan it and write an HTML report (no set-up needed)",
		Long: `demo runs the whole job on the embedded defaults: it simulates an
organisation with hidden operatives, scans it, writes a self-contained HTML
report and prints the ranked table and how well the hidden operatives were
found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.Validate(); err != nil {
				return usageError("%v", err)
			}
			start := time.Now()
			org, err := sim.Generate(cfg)
			if err != nil {
				return err
			}
			data := filepath.Join(out, "data")
			if err := org.WriteDir(data); err != nil {
				return err
			}
			opts := pipeline.Options{Inputs: []pipeline.Input{{Path: data}}, Policy: policy.Default()}
			enr, note, err := openEnricher(nil, nil)
			if err != nil {
				return err
			}
			opts.Enricher = enr
			if note != "" {
				opts.Notes = append(opts.Notes, note)
			}
			if e.tty {
				opts.Progress = new(pipeline.Progress)
			}
			shown := showProgress(e.stderr, opts.Progress)
			res, err := pipeline.Scan(cmd.Context(), opts)
			shown.stop()
			if err != nil {
				return err
			}
			htmlPath := filepath.Join(out, "report.html")
			if err := writeHTML(htmlPath, res.Report, res.Now); err != nil {
				return err
			}
			jsonPath := filepath.Join(out, "report.json")
			jf, err := os.Create(jsonPath)
			if err != nil {
				return err
			}
			if err := (report.JSON{Indent: true}).Write(jf, res.Report); err != nil {
				jf.Close()
				return err
			}
			if err := jf.Close(); err != nil {
				return err
			}
			if err := (report.Text{Color: isTerminal(e.stdout), Limit: 15, Width: termWidth(e.stdout)}).Write(e.stdout, res.Report); err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := (report.JSON{}).Write(&buf, res.Report); err != nil {
				return err
			}
			ev, err := eval.Evaluate(org.Truth(), buf.Bytes())
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout)
			ev.WriteText(e.stdout)
			abs, _ := filepath.Abs(htmlPath)
			fmt.Fprintf(e.stdout, "\nDemo data: %s\nJSON report: %s\nHTML report: %s\n(done in %s)\n",
				data, jsonPath, abs, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "demo", "output `DIR` for the data and reports")
	simFlags(cmd, &cfg)
	return cmd
}
