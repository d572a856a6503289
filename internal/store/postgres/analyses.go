package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/rollcall/rollcall/internal/store"
)

// MarkFindings implements store.Analyses. The marks go in one statement;
// a mark whose (person, indicator) is stored already, by this replica or
// another, is skipped, so Seen stays the first sighting.
func (s *Store) MarkFindings(ctx context.Context, marks []store.FindingMark) error {
	if len(marks) == 0 {
		return nil
	}
	people := make([]string, len(marks))
	indicators := make([]string, len(marks))
	seen := make([]pgtype.Timestamptz, len(marks))
	observed := make([]pgtype.Timestamptz, len(marks))
	for i, m := range marks {
		people[i], indicators[i] = m.Person, m.Indicator
		seen[i] = pgtype.Timestamptz{Time: m.Seen, Valid: true}
		observed[i] = optTime(m.Observed)
	}
	// ORDER BY takes the key locks in one order, so that replicas marking
	// overlapping findings at once do not deadlock; DISTINCT ON keeps the
	// first of a key given twice in one call.
	_, err := s.exec(ctx, `INSERT INTO finding_marks (tenant, person, indicator, seen, observed)
		SELECT DISTINCT ON (person, indicator) $1, person, indicator, seen, observed
		FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) WITH ORDINALITY
			AS m(person, indicator, seen, observed, ord)
		ORDER BY person, indicator, ord
		ON CONFLICT (tenant, person, indicator) DO NOTHING`,
		s.tenant, people, indicators, seen, observed)
	if err != nil {
		return fmt.Errorf("mark findings: %w", err)
	}
	return nil
}

// FindingMarks implements store.Analyses.
func (s *Store) FindingMarks(ctx context.Context) ([]store.FindingMark, error) {
	rows, err := s.pool.Query(ctx, `SELECT person, indicator, seen, observed FROM finding_marks
		WHERE tenant = $1 ORDER BY seen, person, indicator`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("finding marks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.FindingMark, error) {
		var m store.FindingMark
		err := row.Scan(&m.Person, &m.Indicator, timeOf(&m.Seen), timeOf(&m.Observed))
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("finding marks: %w", err)
	}
	return out, nil
}

// SetCoverage implements store.Analyses. Replacements of one tenant's
// coverage take the tenant's coverage lock, so that replicas analysing at
// once replace it one after the other rather than colliding.
func (s *Store) SetCoverage(ctx context.Context, cov []store.Coverage) error {
	daily := make([][]byte, len(cov))
	for i, c := range cov {
		b, err := json.Marshal(c.Daily)
		if err != nil {
			return fmt.Errorf("set coverage %q: %w", c.Source, err)
		}
		daily[i] = b
	}
	err := s.write(ctx, "coverage", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM source_coverage WHERE tenant = $1`, s.tenant); err != nil {
			return err
		}
		for i, c := range cov {
			if _, err := tx.Exec(ctx, `INSERT INTO source_coverage (tenant, source, events, files, first, last, daily)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.tenant, pgText(c.Source), c.Events, c.Files,
				optTime(c.First), optTime(c.Last), string(daily[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set coverage: %w", err)
	}
	return nil
}

// Coverage implements store.Analyses.
func (s *Store) Coverage(ctx context.Context) ([]store.Coverage, error) {
	rows, err := s.pool.Query(ctx, `SELECT source, events, files, first, last, daily FROM source_coverage
		WHERE tenant = $1 ORDER BY source`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Coverage, error) {
		var c store.Coverage
		var daily []byte
		if err := row.Scan(&c.Source, &c.Events, &c.Files, timeOf(&c.First), timeOf(&c.Last), &daily); err != nil {
			return c, err
		}
		if err := json.Unmarshal(daily, &c.Daily); err != nil {
			return c, fmt.Errorf("source %q daily counts: %w", c.Source, err)
		}
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	return out, nil
}
