package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/report"
	"github.com/rollcall/rollcall/internal/store"
)

type cellsView struct {
	Cells []cellRow
	Graph graphData // every cell (up to maxGraphCells), each in its box
	More  int       // cells left out of the graph
}

// maxGraphCells bounds the cells drawn in the graph of all cells.
const maxGraphCells = 60

func (s *Server) cellsPage(w http.ResponseWriter, r *http.Request) {
	cs, err := s.clusters(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	var v cellsView
	for i, c := range cs {
		row := cellRow{ID: plain(c.ID), Members: len(c.Members), Score: c.Score, Level: levelClass(s.cfg.Policy.Levels.Of(float64(c.Score)))}
		for _, l := range c.Links {
			row.Kinds = append(row.Kinds, plain(l.Kind))
		}
		v.Cells = append(v.Cells, row)
		if i >= maxGraphCells {
			v.More++
			continue
		}
		members, err := s.members(r.Context(), &c)
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		cellNode := "c:" + c.ID
		v.Graph.Nodes = append(v.Graph.Nodes, graphNode{ID: cellNode, Label: "cell " + plain(c.ID), Kind: "cell", Level: row.Level, URL: cellURL(c.ID)})
		v.Graph.add(&c, members, cellNode)
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
	ID     string `json:"id"`
	Label  string `json:"label"`
	Kind   string `json:"kind"`             // "person", "cell" (a box around its members) or the identifier kind (bank_account, address…)
	Parent string `json:"parent,omitempty"` // the cell's node, in the graph of all cells
	Level  string `json:"level,omitempty"`
	Score  int    `json:"score,omitempty"`
	URL    string `json:"url,omitempty"` // a path on this server
}

type graphEdge struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Label  string `json:"label"` // the kind of identifier shared
}

// maxLabel bounds a node's label; labels wrap, they are not cut shorter.
const maxLabel = 120

type cellView struct {
	ID       string
	Score    int
	Level    string
	Members  []linkedPerson
	Links    []linkView
	Graph    graphData
	Timeline *cellTimeline
	Cases    []store.Case
}

type linkView struct {
	Kind, Value string
	Members     []ref
}

func (s *Server) cellPage(w http.ResponseWriter, r *http.Request) {
	ctx, id := r.Context(), r.PathValue("id")
	c, err := s.cluster(ctx, id)
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
	members, err := s.members(ctx, c)
	if err != nil {
		return nil, err
	}
	v.Members = members
	v.Graph.add(c, members, "")
	names := map[string]string{}
	events := map[string][]*event.Event{}
	for _, m := range members {
		names[m.ID] = m.Name
		if events[m.ID], err = s.cfg.Store.Events(ctx, store.EventQuery{Person: m.ID}); err != nil {
			return nil, err
		}
	}
	for _, l := range c.Links {
		lv := linkView{Kind: plain(l.Kind), Value: plain(l.Value)}
		for _, m := range l.Members {
			lv.Members = append(lv.Members, ref{ID: plain(m), Name: names[m]})
		}
		v.Links = append(v.Links, lv)
	}
	v.Timeline = buildCellTimeline(members, c.Links, events)
	v.Cases, err = s.cfg.Work.ListCases(ctx, store.CaseQuery{Subject: store.SubjectCell, SubjectID: c.ID})
	return v, err
}

// members looks up a cell's members (an unknown one keeps its id, level
// "unknown").
func (s *Server) members(ctx context.Context, c *report.Cluster) ([]linkedPerson, error) {
	var out []linkedPerson
	for _, m := range c.Members {
		lp := linkedPerson{ID: plain(m), Level: "unknown"}
		p, err := s.person(ctx, m)
		switch {
		case err == nil:
			lp.Name, lp.Level, lp.Score = plain(p.Name), levelClass(p.Level), p.Score
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		out = append(out, lp)
	}
	return out, nil
}

// add draws a cell into the graph: its members, the identifiers they
// share and an edge, labelled with the identifier's kind, from each member
// holding one. parent, when set, is the cell's box; node ids are scoped by
// cell so that cells do not merge in the graph of all cells.
func (g *graphData) add(c *report.Cluster, members []linkedPerson, parent string) {
	scope := ""
	if parent != "" {
		scope = c.ID + "/"
	}
	in := map[string]bool{}
	for _, m := range members {
		in[m.ID] = true
		label := m.Name
		if label == "" {
			label = m.ID
		}
		g.Nodes = append(g.Nodes, graphNode{ID: "p:" + scope + m.ID, Label: cut(label, maxLabel), Kind: "person", Level: m.Level,
			Score: m.Score, URL: personURL(m.ID), Parent: parent})
	}
	for i, l := range c.Links {
		node := "i:" + scope + strconv.Itoa(i)
		g.Nodes = append(g.Nodes, graphNode{ID: node, Label: cut(l.Value, maxLabel), Kind: kindClass(l.Kind), Parent: parent})
		for _, m := range l.Members {
			if in[plain(m)] {
				g.Edges = append(g.Edges, graphEdge{Source: "p:" + scope + plain(m), Target: node, Label: kindClass(l.Kind)})
			}
		}
	}
}
