package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rollcall/rollcall/internal/store"
)

// SaveResults implements store.Store.
//
// Rows with an identity (people, findings, clusters) are upserted and the
// ones the report no longer has are deleted, so that unchanged rows keep
// their place for tables that will refer to them; list rows (links,
// rejections, skipped files, unresolved accounts) are replaced.
func (s *Store) SaveResults(ctx context.Context, r *store.Results) error {
	if err := store.CheckResults(r); err != nil {
		return fmt.Errorf("save results: %w", err)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		w := &resultWriter{ctx: ctx, tx: tx, tenant: s.tenant}
		for _, step := range []func(*store.Results) error{
			w.summary, w.clusters, w.people, w.findings, w.rejections, w.skipped, w.unresolved,
		} {
			if err := step(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save results: %w", err)
	}
	return nil
}

// resultWriter writes the parts of a report inside one transaction.
type resultWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	tenant string
}

func (w *resultWriter) exec(query string, args ...any) error {
	_, err := w.tx.ExecContext(w.ctx, query, args...)
	return err
}

// each prepares query and hands rows a function that executes it with
// one row's arguments.
func (w *resultWriter) each(what, query string, rows func(exec func(args ...any) error) error) error {
	stmt, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return fmt.Errorf("%s: prepare: %w", what, err)
	}
	defer stmt.Close()
	err = rows(func(args ...any) error {
		_, err := stmt.ExecContext(w.ctx, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// deleteStale deletes the tenant's rows of table whose key columns, joined
// by compositeKey, are not in keep.
func (w *resultWriter) deleteStale(table string, cols []string, keep map[string]bool) error {
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + table + " WHERE tenant = ?"
	rows, err := w.tx.QueryContext(w.ctx, query, w.tenant)
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	var stale [][]any
	for rows.Next() {
		vals := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return fmt.Errorf("%s: %w", table, err)
		}
		if !keep[compositeKey(vals...)] {
			args := []any{w.tenant}
			for _, v := range vals {
				args = append(args, v)
			}
			stale = append(stale, args)
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	del := "DELETE FROM " + table + " WHERE tenant = ?"
	for _, c := range cols {
		del += " AND " + c + " = ?"
	}
	return w.each(table, del, func(exec func(args ...any) error) error {
		for _, args := range stale {
			if err := exec(args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// compositeKey joins key values with a separator no id contains.
func compositeKey(vals ...string) string { return strings.Join(vals, "\x00") }

func (w *resultWriter) summary(r *store.Results) error {
	sum, err := store.SummaryRowOf(r)
	if err != nil {
		return err
	}
	err = w.exec(`INSERT INTO results
		(tenant, version, files, records_read, records_rejected, events, people, unresolved_accounts, by_source, notes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant) DO UPDATE SET
		  version = excluded.version, files = excluded.files, records_read = excluded.records_read,
		  records_rejected = excluded.records_rejected, events = excluded.events, people = excluded.people,
		  unresolved_accounts = excluded.unresolved_accounts, by_source = excluded.by_source, notes = excluded.notes`,
		w.tenant, sum.Version, sum.Files, sum.RecordsRead, sum.RecordsRejected, sum.Events, sum.People,
		sum.UnresolvedAccounts, string(sum.BySource), string(sum.Notes))
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	return nil
}

func (w *resultWriter) clusters(r *store.Results) error {
	if err := w.exec(`DELETE FROM cluster_links WHERE tenant = ?`, w.tenant); err != nil {
		return fmt.Errorf("cluster links: %w", err)
	}
	keep := make(map[string]bool, len(r.Clusters))
	err := w.each("clusters", `INSERT INTO clusters (tenant, id, position, score, members) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET
		  position = excluded.position, score = excluded.score, members = excluded.members`,
		func(exec func(args ...any) error) error {
			for i := range r.Clusters {
				row, err := store.ClusterRowOf(&r.Clusters[i])
				if err != nil {
					return err
				}
				keep[row.ID] = true
				if err := exec(w.tenant, row.ID, i, row.Score, string(row.Members)); err != nil {
					return fmt.Errorf("cluster %q: %w", row.ID, err)
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	if err := w.deleteStale("clusters", []string{"id"}, keep); err != nil {
		return err
	}
	return w.each("cluster links", `INSERT INTO cluster_links (tenant, cluster, position, kind, value, members, strength)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		func(exec func(args ...any) error) error {
			for i := range r.Clusters {
				c := &r.Clusters[i]
				for j := range c.Links {
					row, err := store.LinkRowOf(c, j)
					if err != nil {
						return err
					}
					if err := exec(w.tenant, row.Cluster, j, row.Kind, row.Value, string(row.Members), row.Strength); err != nil {
						return fmt.Errorf("cluster %q link %d: %w", c.ID, j, err)
					}
				}
			}
			return nil
		})
}

func (w *resultWriter) people(r *store.Results) error {
	keep := make(map[string]bool, len(r.People))
	err := w.each("people", `INSERT INTO people
		(tenant, id, position, employee_id, candidate_ids, name, kind, score, level, flagged, cluster,
		 cluster_bonus, capped, indicators, search)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET
		  position = excluded.position, employee_id = excluded.employee_id,
		  candidate_ids = excluded.candidate_ids, name = excluded.name, kind = excluded.kind,
		  score = excluded.score, level = excluded.level, flagged = excluded.flagged,
		  cluster = excluded.cluster, cluster_bonus = excluded.cluster_bonus, capped = excluded.capped,
		  indicators = excluded.indicators, search = excluded.search`,
		func(exec func(args ...any) error) error {
			for i := range r.People {
				row, err := store.PersonRowOf(&r.People[i])
				if err != nil {
					return err
				}
				keep[row.ID] = true
				err = exec(w.tenant, row.ID, i, row.EmployeeID, string(row.CandidateIDs), row.Name, row.Kind, row.Score,
					row.Level, row.Flagged, row.Cluster, row.ClusterBonus, row.Capped, string(row.Indicators), row.Search)
				if err != nil {
					return fmt.Errorf("person %q: %w", row.ID, err)
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	return w.deleteStale("people", []string{"id"}, keep) // their findings go with them
}

// findings writes one row per person and indicator. The rows' weight
// column holds the points the finding added (store.Finding.Points), as
// it always has; the indicator's own weight is in the person's JSON.
func (w *resultWriter) findings(r *store.Results) error {
	keep := make(map[string]bool)
	err := w.each("findings", `INSERT INTO findings
		(tenant, person, indicator, position, name, stage, strength, weight, summary, suppressed, related, evidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, person, indicator) DO UPDATE SET
		  position = excluded.position, name = excluded.name, stage = excluded.stage,
		  strength = excluded.strength, weight = excluded.weight, summary = excluded.summary,
		  suppressed = excluded.suppressed, related = excluded.related, evidence = excluded.evidence`,
		func(exec func(args ...any) error) error {
			for i := range r.People {
				p := &r.People[i]
				for j := range p.Indicators {
					row, err := store.FindingRowOf(p, j)
					if err != nil {
						return err
					}
					keep[compositeKey(row.Person, row.Indicator)] = true
					err = exec(w.tenant, row.Person, row.Indicator, j, row.Name, row.Stage, row.Strength, row.Points,
						row.Summary, row.Suppressed, string(row.Related), string(row.Evidence))
					if err != nil {
						return fmt.Errorf("person %q indicator %q: %w", row.Person, row.Indicator, err)
					}
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	return w.deleteStale("findings", []string{"person", "indicator"}, keep)
}

func (w *resultWriter) rejections(r *store.Results) error {
	if err := w.exec(`DELETE FROM rejections WHERE tenant = ?`, w.tenant); err != nil {
		return fmt.Errorf("rejections: %w", err)
	}
	return w.each("rejections", `INSERT INTO rejections (tenant, position, file, line, record, field, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		func(exec func(args ...any) error) error {
			for i, rj := range r.Rejected {
				if err := exec(w.tenant, i, rj.File, rj.Line, rj.Record, rj.Field, rj.Reason); err != nil {
					return fmt.Errorf("rejection %d: %w", i, err)
				}
			}
			return nil
		})
}

func (w *resultWriter) skipped(r *store.Results) error {
	if err := w.exec(`DELETE FROM skipped_files WHERE tenant = ?`, w.tenant); err != nil {
		return fmt.Errorf("skipped files: %w", err)
	}
	return w.each("skipped files", `INSERT INTO skipped_files (tenant, position, file, reason) VALUES (?, ?, ?, ?)`,
		func(exec func(args ...any) error) error {
			for i, sk := range r.SkippedFiles {
				if err := exec(w.tenant, i, sk.File, sk.Reason); err != nil {
					return fmt.Errorf("skipped file %d: %w", i, err)
				}
			}
			return nil
		})
}

func (w *resultWriter) unresolved(r *store.Results) error {
	if err := w.exec(`DELETE FROM unresolved WHERE tenant = ?`, w.tenant); err != nil {
		return fmt.Errorf("unresolved accounts: %w", err)
	}
	return w.each("unresolved accounts", `INSERT INTO unresolved
		(tenant, position, source, account, name, events, first_seen, last_seen, example)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		func(exec func(args ...any) error) error {
			for i, u := range r.Unresolved {
				example, err := jsonText(u.Example)
				if err != nil {
					return fmt.Errorf("unresolved account %d: %w", i, err)
				}
				err = exec(w.tenant, i, u.Source, u.Account, u.Name, u.Events,
					u.First.Format(time.RFC3339Nano), u.Last.Format(time.RFC3339Nano), example)
				if err != nil {
					return fmt.Errorf("unresolved account %d: %w", i, err)
				}
			}
			return nil
		})
}

// jsonText encodes v as JSON text (bound as TEXT, never as a BLOB, which
// SQLite's JSON functions would read as JSONB).
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
