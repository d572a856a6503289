package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall/internal/store"
)

// pipelineSize is how many statements SaveResults sends to the server
// before reading their results.
const pipelineSize = 1000

// SaveResults implements store.Store.
//
// Every row is upserted by its identity (people, findings and clusters by
// id, list rows by position) and the rows the report no longer has are
// deleted. An upsert whose values are already stored writes nothing, so
// saving the same report again leaves the very same row versions. Saves of
// one tenant take the tenant's results lock and so run one at a time,
// whichever process makes them.
func (s *Store) SaveResults(ctx context.Context, r *store.Results) error {
	if err := store.CheckResults(r); err != nil {
		return fmt.Errorf("save results: %w", err)
	}
	err := s.write(ctx, "results", func(tx pgx.Tx) error {
		w := &resultWriter{ctx: ctx, tx: tx, tenant: s.tenant}
		for _, step := range []func(*store.Results) error{
			w.summary, w.clusters, w.links, w.people, w.findings, w.rejections, w.skipped, w.unresolved,
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

var _ store.ResultsPatcher = (*Store)(nil)

// PatchResults implements store.ResultsPatcher: it writes the summary and
// the lists of rejections, skipped files and unresolved accounts as
// SaveResults does, but the people, findings, clusters and links of the
// changed people and clusters only, and deletes those gone. When the
// stored people or clusters do not then number what the report has, the
// patch was made against other results (another process saved meanwhile):
// nothing is written and the error wraps store.ErrStale.
func (s *Store) PatchResults(ctx context.Context, r *store.Results, p store.ResultsPatch) error {
	if err := store.CheckResults(r); err != nil {
		return fmt.Errorf("patch results: %w", err)
	}
	err := s.write(ctx, "results", func(tx pgx.Tx) error {
		w := &resultWriter{ctx: ctx, tx: tx, tenant: s.tenant}
		changedClusters := make([]string, len(p.Clusters))
		for i, c := range p.Clusters {
			changedClusters[i] = r.Clusters[c].ID
		}
		changedPeople := make([]string, len(p.People))
		for i, c := range p.People {
			changedPeople[i] = r.People[c].ID
		}
		for _, step := range []func() error{
			func() error { return w.summary(r) },
			func() error {
				return w.exec("clusters", `DELETE FROM clusters WHERE tenant = $1 AND id = ANY($2::text[])`, w.tenant, p.GoneClusters)
			},
			func() error { return w.upsertClusters(r, p.Clusters) },
			func() error { return w.staleLinks(r, p.Clusters) },
			func() error { return w.upsertLinks(r, p.Clusters) },
			func() error {
				return w.exec("people", `DELETE FROM people WHERE tenant = $1 AND id = ANY($2::text[])`, w.tenant, p.GonePeople)
			},
			func() error { return w.upsertPeople(r, p.People) },
			func() error { return w.staleFindings(r, p.People) },
			func() error { return w.upsertFindings(r, p.People) },
			func() error { return w.rejections(r) },
			func() error { return w.skipped(r) },
			func() error { return w.unresolved(r) },
			func() error { return w.counted(r) },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("patch results: %w", err)
	}
	return nil
}

// staleLinks deletes the links past the end of the clusters at the
// positions idx.
func (w *resultWriter) staleLinks(r *store.Results, idx []int) error {
	clusters := make([]string, len(idx))
	counts := make([]int32, len(idx))
	for k, i := range idx {
		clusters[k], counts[k] = r.Clusters[i].ID, int32(len(r.Clusters[i].Links))
	}
	return w.exec("cluster links", `DELETE FROM cluster_links l USING unnest($2::text[], $3::integer[]) AS k(cluster, n)
		WHERE l.tenant = $1 AND l.cluster = k.cluster AND l.position >= k.n`, w.tenant, clusters, counts)
}

// staleFindings deletes the findings that the people at the positions idx
// no longer have.
func (w *resultWriter) staleFindings(r *store.Results, idx []int) error {
	ids := make([]string, len(idx))
	var people, indicators []string
	for k, i := range idx {
		p := &r.People[i]
		ids[k] = p.ID
		for j := range p.Indicators {
			people, indicators = append(people, p.ID), append(indicators, p.Indicators[j].ID)
		}
	}
	return w.exec("findings", `DELETE FROM findings f WHERE tenant = $1 AND person = ANY($2::text[]) AND NOT EXISTS (
		SELECT 1 FROM unnest($3::text[], $4::text[]) AS k(person, indicator)
		 WHERE k.person = f.person AND k.indicator = f.indicator)`, w.tenant, ids, people, indicators)
}

// counted checks that the stored people and clusters number what r has.
func (w *resultWriter) counted(r *store.Results) error {
	var people, clusters int
	err := w.tx.QueryRow(w.ctx, `SELECT (SELECT count(*) FROM people WHERE tenant = $1),
		(SELECT count(*) FROM clusters WHERE tenant = $1)`, w.tenant).Scan(&people, &clusters)
	if err != nil {
		return fmt.Errorf("counting people and clusters: %w", err)
	}
	if people != len(r.People) || clusters != len(r.Clusters) {
		return fmt.Errorf("%d people and %d clusters stored, %d and %d reported: %w",
			people, clusters, len(r.People), len(r.Clusters), store.ErrStale)
	}
	return nil
}

// resultWriter writes the parts of a report inside one transaction.
type resultWriter struct {
	ctx    context.Context
	tx     pgx.Tx
	tenant string
}

// pipeline runs query once per row that rows hands to add, sending up to
// pipelineSize statements at a time.
func (w *resultWriter) pipeline(what, query string, rows func(add func(args ...any)) error) error {
	var b pgx.Batch
	flush := func() error {
		if b.Len() == 0 {
			return nil
		}
		err := w.tx.SendBatch(w.ctx, &b).Close()
		b = pgx.Batch{}
		return err
	}
	var flushErr error
	err := rows(func(args ...any) {
		if flushErr != nil {
			return
		}
		b.Queue(query, args...)
		if b.Len() >= pipelineSize {
			flushErr = flush()
		}
	})
	if err == nil {
		err = flushErr
	}
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// exec runs one statement.
func (w *resultWriter) exec(what, query string, args ...any) error {
	if _, err := w.tx.Exec(w.ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func (w *resultWriter) summary(r *store.Results) error {
	sum, err := store.SummaryRowOf(r)
	if err != nil {
		return err
	}
	return w.exec("results", `INSERT INTO results AS t
		(tenant, version, files, records_read, records_rejected, events, people, unresolved_accounts, by_source, notes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (tenant) DO UPDATE SET
		  version = excluded.version, files = excluded.files, records_read = excluded.records_read,
		  records_rejected = excluded.records_rejected, events = excluded.events, people = excluded.people,
		  unresolved_accounts = excluded.unresolved_accounts, by_source = excluded.by_source, notes = excluded.notes
		WHERE (t.version, t.files, t.records_read, t.records_rejected, t.events, t.people, t.unresolved_accounts,
		       t.by_source::text, t.notes::text)
		  IS DISTINCT FROM (excluded.version, excluded.files, excluded.records_read, excluded.records_rejected,
		       excluded.events, excluded.people, excluded.unresolved_accounts, excluded.by_source::text, excluded.notes::text)`,
		w.tenant, sum.Version, sum.Files, sum.RecordsRead, sum.RecordsRejected, sum.Events, sum.People,
		sum.UnresolvedAccounts, sum.BySource, sum.Notes)
}

func (w *resultWriter) clusters(r *store.Results) error {
	ids := make([]string, len(r.Clusters))
	for i := range r.Clusters {
		ids[i] = r.Clusters[i].ID
	}
	// Clusters the report no longer has go, and their links with them.
	err := w.exec("clusters", `DELETE FROM clusters WHERE tenant = $1 AND id <> ALL(coalesce($2::text[], '{}'))`, w.tenant, ids)
	if err != nil {
		return err
	}
	return w.upsertClusters(r, all(len(r.Clusters)))
}

// upsertClusters writes the clusters of r at the positions idx.
func (w *resultWriter) upsertClusters(r *store.Results, idx []int) error {
	return w.pipeline("clusters", `INSERT INTO clusters AS t (tenant, id, position, score, members)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant, id) DO UPDATE SET
		  position = excluded.position, score = excluded.score, members = excluded.members
		WHERE (t.position, t.score, t.members::text)
		  IS DISTINCT FROM (excluded.position, excluded.score, excluded.members::text)`,
		func(add func(args ...any)) error {
			for _, i := range idx {
				row, err := store.ClusterRowOf(&r.Clusters[i])
				if err != nil {
					return err
				}
				add(w.tenant, row.ID, i, row.Score, row.Members)
			}
			return nil
		})
}

// all is every position of a list of n.
func all(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (w *resultWriter) links(r *store.Results) error {
	var clusters []string
	var pos []int32
	for i := range r.Clusters {
		for j := range r.Clusters[i].Links {
			clusters, pos = append(clusters, r.Clusters[i].ID), append(pos, int32(j))
		}
	}
	err := w.exec("cluster links", `DELETE FROM cluster_links l WHERE tenant = $1 AND NOT EXISTS (
		SELECT 1 FROM unnest($2::text[], $3::integer[]) AS k(cluster, position)
		 WHERE k.cluster = l.cluster AND k.position = l.position)`, w.tenant, clusters, pos)
	if err != nil {
		return err
	}
	return w.upsertLinks(r, all(len(r.Clusters)))
}

// upsertLinks writes the links of the clusters of r at the positions idx.
func (w *resultWriter) upsertLinks(r *store.Results, idx []int) error {
	return w.pipeline("cluster links", `INSERT INTO cluster_links AS t (tenant, cluster, position, kind, value, members, strength)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tenant, cluster, position) DO UPDATE SET
		  kind = excluded.kind, value = excluded.value, members = excluded.members, strength = excluded.strength
		WHERE (t.kind, t.value, t.members::text, t.strength)
		  IS DISTINCT FROM (excluded.kind, excluded.value, excluded.members::text, excluded.strength)`,
		func(add func(args ...any)) error {
			for _, i := range idx {
				c := &r.Clusters[i]
				for j := range c.Links {
					row, err := store.LinkRowOf(c, j)
					if err != nil {
						return err
					}
					add(w.tenant, row.Cluster, j, row.Kind, row.Value, row.Members, row.Strength)
				}
			}
			return nil
		})
}

func (w *resultWriter) people(r *store.Results) error {
	ids := make([]string, len(r.People))
	for i := range r.People {
		ids[i] = r.People[i].ID
	}
	// Their findings go with them.
	err := w.exec("people", `DELETE FROM people WHERE tenant = $1 AND id <> ALL(coalesce($2::text[], '{}'))`, w.tenant, ids)
	if err != nil {
		return err
	}
	return w.upsertPeople(r, all(len(r.People)))
}

// upsertPeople writes the people of r at the positions idx.
func (w *resultWriter) upsertPeople(r *store.Results, idx []int) error {
	return w.pipeline("people", `INSERT INTO people AS t
		(tenant, id, position, employee_id, candidate_ids, name, kind, score, level, flagged, cluster,
		 cluster_bonus, capped, indicators, search)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (tenant, id) DO UPDATE SET
		  position = excluded.position, employee_id = excluded.employee_id,
		  candidate_ids = excluded.candidate_ids, name = excluded.name, kind = excluded.kind,
		  score = excluded.score, level = excluded.level, flagged = excluded.flagged,
		  cluster = excluded.cluster, cluster_bonus = excluded.cluster_bonus, capped = excluded.capped,
		  indicators = excluded.indicators, search = excluded.search
		WHERE (t.position, t.employee_id, t.candidate_ids::text, t.name, t.kind, t.score, t.level, t.flagged,
		       t.cluster, t.cluster_bonus, t.capped, t.indicators::text, t.search)
		  IS DISTINCT FROM (excluded.position, excluded.employee_id, excluded.candidate_ids::text, excluded.name,
		       excluded.kind, excluded.score, excluded.level, excluded.flagged, excluded.cluster,
		       excluded.cluster_bonus, excluded.capped, excluded.indicators::text, excluded.search)`,
		func(add func(args ...any)) error {
			for _, i := range idx {
				row, err := store.PersonRowOf(&r.People[i])
				if err != nil {
					return err
				}
				add(w.tenant, row.ID, i, row.EmployeeID, row.CandidateIDs, row.Name, row.Kind, row.Score, row.Level,
					row.Flagged, row.Cluster, row.ClusterBonus, row.Capped, row.Indicators, row.Search)
			}
			return nil
		})
}

// findings writes one row per person and indicator. The rows' weight
// column holds the points the finding added (store.Finding.Points), as
// it always has; the indicator's own weight is in the person's JSON.
func (w *resultWriter) findings(r *store.Results) error {
	var people, indicators []string
	for i := range r.People {
		for j := range r.People[i].Indicators {
			people, indicators = append(people, r.People[i].ID), append(indicators, r.People[i].Indicators[j].ID)
		}
	}
	err := w.exec("findings", `DELETE FROM findings f WHERE tenant = $1 AND NOT EXISTS (
		SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(person, indicator)
		 WHERE k.person = f.person AND k.indicator = f.indicator)`, w.tenant, people, indicators)
	if err != nil {
		return err
	}
	return w.upsertFindings(r, all(len(r.People)))
}

// upsertFindings writes the findings of the people of r at the positions
// idx.
func (w *resultWriter) upsertFindings(r *store.Results, idx []int) error {
	return w.pipeline("findings", `INSERT INTO findings AS t
		(tenant, person, indicator, position, name, stage, strength, weight, summary, suppressed, related, evidence)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (tenant, person, indicator) DO UPDATE SET
		  position = excluded.position, name = excluded.name, stage = excluded.stage,
		  strength = excluded.strength, weight = excluded.weight, summary = excluded.summary,
		  suppressed = excluded.suppressed, related = excluded.related, evidence = excluded.evidence
		WHERE (t.position, t.name, t.stage, t.strength, t.weight, t.summary, t.suppressed, t.related::text,
		       t.evidence::text)
		  IS DISTINCT FROM (excluded.position, excluded.name, excluded.stage, excluded.strength, excluded.weight,
		       excluded.summary, excluded.suppressed, excluded.related::text, excluded.evidence::text)`,
		func(add func(args ...any)) error {
			for _, i := range idx {
				p := &r.People[i]
				for j := range p.Indicators {
					row, err := store.FindingRowOf(p, j)
					if err != nil {
						return err
					}
					add(w.tenant, row.Person, row.Indicator, j, row.Name, row.Stage, row.Strength, row.Points,
						row.Summary, row.Suppressed, row.Related, row.Evidence)
				}
			}
			return nil
		})
}

func (w *resultWriter) rejections(r *store.Results) error {
	err := w.exec("rejections", `DELETE FROM rejections WHERE tenant = $1 AND position >= $2`, w.tenant, len(r.Rejected))
	if err != nil {
		return err
	}
	return w.pipeline("rejections", `INSERT INTO rejections AS t (tenant, position, file, line, record, field, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tenant, position) DO UPDATE SET
		  file = excluded.file, line = excluded.line, record = excluded.record, field = excluded.field,
		  reason = excluded.reason
		WHERE (t.file, t.line, t.record, t.field, t.reason)
		  IS DISTINCT FROM (excluded.file, excluded.line, excluded.record, excluded.field, excluded.reason)`,
		func(add func(args ...any)) error {
			for i, rj := range r.Rejected {
				add(w.tenant, i, rj.File, rj.Line, rj.Record, rj.Field, rj.Reason)
			}
			return nil
		})
}

func (w *resultWriter) skipped(r *store.Results) error {
	err := w.exec("skipped files", `DELETE FROM skipped_files WHERE tenant = $1 AND position >= $2`, w.tenant, len(r.SkippedFiles))
	if err != nil {
		return err
	}
	return w.pipeline("skipped files", `INSERT INTO skipped_files AS t (tenant, position, file, reason)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (tenant, position) DO UPDATE SET file = excluded.file, reason = excluded.reason
		WHERE (t.file, t.reason) IS DISTINCT FROM (excluded.file, excluded.reason)`,
		func(add func(args ...any)) error {
			for i, sk := range r.SkippedFiles {
				add(w.tenant, i, sk.File, sk.Reason)
			}
			return nil
		})
}

func (w *resultWriter) unresolved(r *store.Results) error {
	err := w.exec("unresolved accounts", `DELETE FROM unresolved WHERE tenant = $1 AND position >= $2`, w.tenant, len(r.Unresolved))
	if err != nil {
		return err
	}
	return w.pipeline("unresolved accounts", `INSERT INTO unresolved AS t
		(tenant, position, source, account, name, events, first_seen, last_seen, example)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (tenant, position) DO UPDATE SET
		  source = excluded.source, account = excluded.account, name = excluded.name, events = excluded.events,
		  first_seen = excluded.first_seen, last_seen = excluded.last_seen, example = excluded.example
		WHERE (t.source, t.account, t.name, t.events, t.first_seen, t.last_seen, t.example::text)
		  IS DISTINCT FROM (excluded.source, excluded.account, excluded.name, excluded.events, excluded.first_seen,
		       excluded.last_seen, excluded.example::text)`,
		func(add func(args ...any)) error {
			for i, u := range r.Unresolved {
				example, err := json.Marshal(u.Example)
				if err != nil {
					return fmt.Errorf("unresolved account %d: %w", i, err)
				}
				add(w.tenant, i, u.Source, u.Account, u.Name, u.Events,
					u.First.Format(time.RFC3339Nano), u.Last.Format(time.RFC3339Nano), example)
			}
			return nil
		})
}
