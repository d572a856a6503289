package store

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestDefaultPath(t *testing.T) {
	home := func() (string, error) { return "/home/ada", nil }
	noHome := func() (string, error) { return "", errors.New("$HOME is not defined") }
	for _, tc := range []struct {
		name    string
		goos    string
		env     map[string]string
		home    func() (string, error)
		want    string
		wantErr bool
	}{
		{"xdg", "linux", map[string]string{"XDG_DATA_HOME": "/data"}, home, "/data/rollcall/rollcall.db", false},
		{"xdg_relative_ignored", "linux", map[string]string{"XDG_DATA_HOME": "data"}, home, "/home/ada/.local/share/rollcall/rollcall.db", false},
		{"linux", "linux", nil, home, "/home/ada/.local/share/rollcall/rollcall.db", false},
		{"freebsd", "freebsd", nil, home, "/home/ada/.local/share/rollcall/rollcall.db", false},
		{"darwin", "darwin", nil, home, "/home/ada/Library/Application Support/rollcall/rollcall.db", false},
		{"xdg_on_darwin", "darwin", map[string]string{"XDG_DATA_HOME": "/data"}, home, "/data/rollcall/rollcall.db", false},
		{"windows", "windows", map[string]string{"LocalAppData": "/appdata"}, home, "/appdata/rollcall/rollcall.db", false},
		{"windows_unset", "windows", nil, home, "", true},
		{"no_home", "linux", nil, noHome, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := defaultPath(tc.goos, func(k string) string { return tc.env[k] }, tc.home)
			if (err != nil) != tc.wantErr {
				t.Fatalf("defaultPath() error = %v, want error %v", err, tc.wantErr)
			}
			if got != filepath.FromSlash(tc.want) {
				t.Errorf("defaultPath() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDefaultPathUsesEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	got, err := DefaultPath()
	if err != nil {
		t.Fatalf("DefaultPath: %v", err)
	}
	if want := filepath.Join(dir, "rollcall", "rollcall.db"); got != want {
		t.Errorf("DefaultPath() = %q, want %q", got, want)
	}
}
