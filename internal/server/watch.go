package server

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultWatchInterval is how often a watched directory is scanned.
const DefaultWatchInterval = 10 * time.Second

// fileState is what a watched file looked like when it was ingested.
type fileState struct {
	size int64
	mod  time.Time
}

// Watch ingests every regular file under dir (hidden ones excepted) now
// and whenever a file appears or changes, checking every interval, until
// ctx ends. A file still being written is ingested again when it changes;
// records already stored are skipped, so that costs nothing but reading.
func (s *Server) Watch(ctx context.Context, dir string, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	seen := map[string]fileState{}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.watchOnce(ctx, dir, seen)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) watchOnce(ctx context.Context, dir string, seen map[string]fileState) {
	var changed []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil //nolint:nilerr // gone since listed; next round
		}
		st := fileState{size: info.Size(), mod: info.ModTime()}
		if old, ok := seen[p]; !ok || old != st {
			seen[p] = st
			changed = append(changed, p)
		}
		return nil
	})
	if err != nil {
		s.log.Warn("watch", "dir", dir, "err", err)
		return
	}
	for _, p := range changed {
		if ctx.Err() != nil {
			return
		}
		f, err := os.Open(p)
		if err != nil {
			s.log.Warn("watch", "file", p, "err", err)
			continue
		}
		res, err := s.Ingest(ctx, []Upload{{Name: p, Body: f, Local: true}}, false)
		f.Close()
		if err != nil {
			s.log.Warn("watch ingest", "file", p, "err", err)
			continue
		}
		s.auditAs(ctx, "rollcall", "", "ingest", "watch", ingestDetail(res)) //nolint:errcheck // logged inside
		s.log.Info("ingested", "file", p, "records", res.Accepted, "new", res.Inserted, "rejected", res.Rejected)
	}
}
