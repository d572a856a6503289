package sigma

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Load reads the rules in paths: a file is one rule; a directory is
// walked for *.yml and *.yaml files, in lexical order. Every file's error
// is reported (joined), each naming its file and field; two files with one
// rule id are an error.
func Load(paths ...string) ([]*Rule, error) {
	var files []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("sigma rules: %w", err)
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := strings.ToLower(filepath.Ext(path)); !d.IsDir() && (ext == ".yml" || ext == ".yaml") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sigma rules: %w", err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("sigma rules: directory %q holds no .yml or .yaml file", p)
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	var (
		rules []*Rule
		errs  []error
		ids   = map[string]string{}
	)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("sigma rules: %w", err))
			continue
		}
		r, err := Parse(data, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if r.ID != "" {
			if other, ok := ids[strings.ToLower(r.ID)]; ok {
				errs = append(errs, fmt.Errorf("sigma rule %q field id: %s is also the id of %q", f, r.ID, other))
				continue
			}
			ids[strings.ToLower(r.ID)] = f
		}
		rules = append(rules, r)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rules, nil
}
