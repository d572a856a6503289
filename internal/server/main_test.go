package server

import (
	"os"
	"sync"
	"testing"
)

var sharedDir = struct {
	once sync.Once
	dir  string
}{}

// sharedTempDir is a directory for fixtures shared between tests, removed
// when the tests end.
func sharedTempDir() string {
	sharedDir.once.Do(func() {
		d, err := os.MkdirTemp("", "rollcall-server-test-")
		if err != nil {
			panic(err)
		}
		sharedDir.dir = d
	})
	return sharedDir.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(sharedCleanups) - 1; i >= 0; i-- {
		sharedCleanups[i]()
	}
	if sharedDir.dir != "" {
		os.RemoveAll(sharedDir.dir)
	}
	os.Exit(code)
}
