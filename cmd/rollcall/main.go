// Command rollcall finds covert remote workers in the data a company
// already has. See README.md, or run `rollcall --help`.
package main

import (
	"os"

	"github.com/rollcall/rollcall/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
