// Command rollcall finds covert remote workers in the data a company
// already has. See README.md, or run `rollcall --help`.
package main

import (
	"os"

	"github.com/rollcall/rollcall/internal/cli"
	"github.com/rollcall/rollcall/internal/source/resumes"
)

func main() {
	// Résumé PDF and .docx parsing runs in this binary re-executed as a
	// bounded child process; in that child this call never returns.
	resumes.ExtractorMain()
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
