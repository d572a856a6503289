package server

import (
	"context"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

// The server reads results through these: the store speaks its own types
// (store.Person, store.Cluster, store.Results) and the pages and the API
// show the report's, built here at the edge (report.FromStore).

// people is Store.People as report people.
func (s *Server) people(ctx context.Context, q store.PeopleQuery) ([]report.Person, int, error) {
	ps, total, err := s.cfg.Store.People(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	return report.PeopleFromStore(ps), total, nil
}

// person is Store.Person as a report person.
func (s *Server) person(ctx context.Context, id string) (report.Person, error) {
	p, err := s.cfg.Store.Person(ctx, id)
	if err != nil {
		return report.Person{}, err
	}
	return report.PersonFromStore(p), nil
}

// clusters is Store.Clusters as report clusters.
func (s *Server) clusters(ctx context.Context) ([]report.Cluster, error) {
	cs, err := s.cfg.Store.Clusters(ctx)
	if err != nil {
		return nil, err
	}
	return report.ClustersFromStore(cs), nil
}

// cluster is Store.Cluster as a report cluster.
func (s *Server) cluster(ctx context.Context, id string) (report.Cluster, error) {
	c, err := s.cfg.Store.Cluster(ctx, id)
	if err != nil {
		return report.Cluster{}, err
	}
	return report.ClusterFromStore(c), nil
}

// savedReport is the last saved results as a report (report.LoadStored).
func (s *Server) savedReport(ctx context.Context) (*report.Report, error) {
	return report.LoadStored(ctx, s.cfg.Store)
}
