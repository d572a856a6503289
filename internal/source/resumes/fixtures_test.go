package resumes

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The binary fixtures (PDF, .docx) are built by buildPDF and buildDOCX so
// that what they contain is readable here. ROLLCALL_WRITE_FIXTURES=1
// rewrites them; otherwise this test checks that they are up to date.

var pdfResume = [][]string{
	{
		"Daniel Brooks",
		"Senior Software Engineer - Chicago, IL - dbrooks.dev@gmail.com",
		"",
		"SUMMARY",
		"Backend engineer with 9 years of experience building payment systems in Go and Python.",
		"",
		"EXPERIENCE",
		"Staff Engineer, Northwind Payments (2019 - present)",
		"Led the migration of the ledger service to Kubernetes and cut p99 latency by 40%.",
	},
	{
		"EDUCATION",
		"B.S. Computer Science, University of Illinois Urbana-Champaign, 2014",
		"",
		"SKILLS",
		"Go (8 years), Python, PostgreSQL, Kafka, Terraform, Caf\u00e9 ordering kiosks",
	},
}

var docxResume = []string{
	"Priya Raman",
	"Full-stack developer\tAustin, TX",
	"Experience",
	"Software Engineer, Lone Star Health (2018 – 2024): built patient portals with React and TypeScript.",
	"Education",
	"M.S. Computer Science, The University of Texas at Austin",
}

func fixtures() map[string][]byte {
	return map[string][]byte{
		"1001.pdf":  buildPDF(pdfResume, "D:20240312101500Z"),
		"1002.docx": buildDOCX(docxResume, "2024-02-01T08:30:00Z"),
	}
}

func TestFixturesUpToDate(t *testing.T) {
	for name, want := range fixtures() {
		path := filepath.Join("testdata", name)
		if os.Getenv("ROLLCALL_WRITE_FIXTURES") != "" {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (ROLLCALL_WRITE_FIXTURES=1 go test -run TestFixturesUpToDate writes it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is out of date (ROLLCALL_WRITE_FIXTURES=1 go test -run TestFixturesUpToDate rewrites it)", path)
		}
	}
}
