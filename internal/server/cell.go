package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

type cellsView struct {
	Cells []cellRow
}

func (s *Server) cellsPage(w http.ResponseWriter, r *http.Request) {
	cs, err := s.cfg.Store.Clusters(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	var v cellsView
	for _, c := range cs {
		row := cellRow{ID: plain(c.ID), Members: len(c.Members), Score: c.Score, Level: levelClass(s.cfg.Policy.Levels.Of(float64(c.Score)))}
		for _, l := range c.Links {
			row.Kinds = append(row.Kinds, plain(l.Kind))
		}
		v.Cells = append(v.Cells, row)
	}
	s.render(w, r, http.StatusOK, "cells", "Cells", "cells", v)
}

// graphData is the cell graph for cytoscape.js: people and the shared
// identifiers that join them. Labels are drawn on a canvas as text.
type graphData struct {
	Nodes []graphNode `json:"nodes"`
	Edges []graphEdge `json:"edges"`
}

type graphNode struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Kind  string `json:"kind"` // "person" or the identifier kind (bank_account, address…)
	Level string `json:"level,omitempty"`
	Score int    `json:"score,omitempty"`
	URL   string `json:"url,omitempty"` // a path on this server
}

type graphEdge struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

type cellView struct {
	ID      string
	Score   int
	Level   string
	Members []linkedPerson
	Links   []linkView
	Graph   graphData
	Cases   []store.Case
}

type linkView struct {
	Kind, Value string
	Members     []ref
}

func (s *Server) cellPage(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	c, err := s.cfg.Store.Cluster(ctx, id)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err := s.audit(r, "cell.view", "cell:"+cut(id, 100), ""); err != nil {
		s.fail(w, r, false, err)
		return
	}
	v, err := s.cellView(ctx, &c)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "cell", "Cell "+v.ID, "cells", v)
}

func (s *Server) cellView(ctx context.Context, c *report.Cluster) (*cellView, error) {
	v := &cellView{ID: plain(c.ID), Score: c.Score, Level: levelClass(s.cfg.Policy.Levels.Of(float64(c.Score)))}
	names := map[string]string{}
	for _, m := range c.Members {
		lp := linkedPerson{ID: plain(m), Level: "unknown"}
		if p, err := s.cfg.Store.Person(ctx, m); err == nil {
			lp.Name, lp.Level, lp.Score = plain(p.Name), levelClass(p.Level), p.Score
		}
		names[m] = lp.Name
		v.Members = append(v.Members, lp)
		label := lp.Name
		if label == "" {
			label = lp.ID
		}
		v.Graph.Nodes = append(v.Graph.Nodes, graphNode{ID: "p:" + m, Label: cut(label, 40), Kind: "person", Level: lp.Level,
			Score: lp.Score, URL: personURL(m)})
	}
	for i, l := range c.Links {
		lv := linkView{Kind: plain(l.Kind), Value: plain(l.Value)}
		node := "i:" + strconv.Itoa(i)
		v.Graph.Nodes = append(v.Graph.Nodes, graphNode{ID: node, Label: cut(l.Kind+": "+l.Value, 40), Kind: plain(l.Kind)})
		for _, m := range l.Members {
			lv.Members = append(lv.Members, ref{ID: plain(m), Name: names[m]})
			if _, member := names[m]; member {
				v.Graph.Edges = append(v.Graph.Edges, graphEdge{Source: "p:" + m, Target: node})
			}
		}
		v.Links = append(v.Links, lv)
	}
	var err error
	v.Cases, err = s.cfg.Work.ListCases(ctx, store.CaseQuery{Subject: store.SubjectCell, SubjectID: c.ID})
	return v, err
}
