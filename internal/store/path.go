package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath returns where rollcall keeps its SQLite database when no
// --db is given: $XDG_DATA_HOME/rollcall/rollcall.db when XDG_DATA_HOME is
// an absolute path, otherwise the platform's per-user data directory
// (~/.local/share on Linux and other Unix systems, ~/Library/Application
// Support on macOS, %LocalAppData% on Windows). It does not create the
// directory; opening the store does.
func DefaultPath() (string, error) {
	return defaultPath(runtime.GOOS, os.Getenv, os.UserHomeDir)
}

func defaultPath(goos string, getenv func(string) string, home func() (string, error)) (string, error) {
	const app, file = "rollcall", "rollcall.db"
	if dir := getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, app, file), nil
	}
	if goos == "windows" {
		if dir := getenv("LocalAppData"); dir != "" {
			return filepath.Join(dir, app, file), nil
		}
		return "", errors.New("default database path: %LocalAppData% is not set")
	}
	h, err := home()
	if err != nil {
		return "", fmt.Errorf("default database path: %w", err)
	}
	if goos == "darwin" {
		return filepath.Join(h, "Library", "Application Support", app, file), nil
	}
	return filepath.Join(h, ".local", "share", app, file), nil
}
