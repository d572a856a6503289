package server

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/rollcall/rollcall/internal/event"
)

// The sign-in map of a person page: the world's countries (Natural Earth
// 1:110m from the world-atlas npm package, vendored under assets/vendor),
// drawn as SVG on the server in an equirectangular projection, with the
// countries the person signed in from shaded, the claimed home outlined,
// and a dot per sign-in place. Nothing is fetched from the internet and
// no script draws it.

// Map bounds: latitudes outside [mapSouth, mapNorth] (Antarctica) are cut.
const (
	mapNorth = 84.0
	mapSouth = -58.0
	// mapDetail is the smallest step drawn, in tenths of a degree.
	mapDetail = 6
	// maxMapPlaces bounds the dots on one map.
	maxMapPlaces = 200
)

// worldCountry is one country's outline, projected.
type worldCountry struct {
	ID, Name string // ISO 3166-1 numeric ("840") and the atlas's name
	Path     string // SVG path data in map coordinates
	// Centre is the middle of the country's largest ring's bounding box:
	// where the claimed home is marked.
	Centre [2]float64
}

var world = struct {
	once      sync.Once
	countries []worldCountry
	byID      map[string]int
	byName    map[string]int
	err       error
}{}

// worldCountries decodes the vendored TopoJSON once.
func worldCountries() ([]worldCountry, error) {
	world.once.Do(func() {
		b, err := assetFS.ReadFile("assets/vendor/world-atlas-countries-110m.json")
		if err != nil {
			world.err = err
			return
		}
		world.countries, world.err = decodeTopo(b)
		world.byID, world.byName = map[string]int{}, map[string]int{}
		for i, c := range world.countries {
			if c.ID != "" {
				world.byID[c.ID] = i
			}
			world.byName[strings.ToLower(c.Name)] = i
		}
	})
	return world.countries, world.err
}

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// decodeTopo turns a quantized TopoJSON topology of countries into
// projected SVG paths.
func decodeTopo(b []byte) ([]worldCountry, error) {
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("world outline: %w", err)
	}
	// Decode the delta-encoded, quantized arcs into longitude/latitude.
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([][2]float64, len(a))
		for j, p := range a {
			x, y = x+p[0], y+p[1]
			pts[j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) ([][2]float64, error) {
		var out [][2]float64
		for k, i := range idx {
			rev := i < 0
			if rev {
				i = ^i
			}
			if i >= len(arcs) {
				return nil, fmt.Errorf("world outline: arc %d of %d", i, len(arcs))
			}
			pts := arcs[i]
			if rev {
				pts = slices.Clone(pts)
				slices.Reverse(pts)
			}
			if k > 0 && len(pts) > 0 {
				pts = pts[1:] // the arc starts where the last one ended
			}
			out = append(out, pts...)
		}
		return out, nil
	}
	var out []worldCountry
	for _, g := range t.Objects.Countries.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("world outline %q: %w", g.Properties.Name, err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("world outline %q: %w", g.Properties.Name, err)
			}
		default:
			continue
		}
		c := worldCountry{ID: g.ID, Name: g.Properties.Name}
		var d strings.Builder
		best := -1.0
		for _, poly := range polys {
			for _, idx := range poly {
				pts, err := ring(idx)
				if err != nil {
					return nil, err
				}
				if len(pts) < 3 {
					continue
				}
				minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
				// Relative steps in tenths of a degree (rounded once, so
				// that they add up without drift): half the bytes of
				// absolute coordinates.
				var lastX, lastY, tx, ty int
				for k, p := range pts {
					x, y := project(p[0], p[1])
					minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
					nx, ny := int(math.Round(x*10)), int(math.Round(y*10))
					// A point closer than mapDetail to the last one drawn
					// adds bytes to every person page and nothing visible.
					if k > 0 && k < len(pts)-1 && abs(nx-lastX) < mapDetail && abs(ny-lastY) < mapDetail {
						continue
					}
					if k == 0 {
						d.WriteByte('M')
						tx, ty = nx, ny
					} else {
						d.WriteByte('l')
						tx, ty = nx-lastX, ny-lastY
					}
					d.WriteString(tenths(tx))
					if ty >= 0 {
						d.WriteByte(' ')
					}
					d.WriteString(tenths(ty))
					lastX, lastY = nx, ny
				}
				d.WriteByte('Z')
				if area := (maxX - minX) * (maxY - minY); area > best {
					best, c.Centre = area, [2]float64{(minX + maxX) / 2, (minY + maxY) / 2}
				}
			}
		}
		c.Path = d.String()
		out = append(out, c)
	}
	return out, nil
}

// project maps longitude and latitude to map coordinates: x from 0 to 360,
// y from 0 (mapNorth) to mapNorth−mapSouth.
func project(lon, lat float64) (x, y float64) {
	lat = max(mapSouth, min(mapNorth, lat))
	return lon + 180, mapNorth - lat
}

// tenths formats n tenths as a decimal: 12 → "1.2", -3 → "-.3".
func tenths(n int) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	if n%10 == 0 {
		return sign + strconv.Itoa(n/10)
	}
	if n < 10 {
		return sign + "." + strconv.Itoa(n)
	}
	return sign + strconv.Itoa(n/10) + "." + strconv.Itoa(n%10)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// countryIndex finds a country of the atlas by ISO 3166-1 alpha-2 or
// alpha-3 code, or by the atlas's name; -1 when there is none.
func countryIndex(code string) int {
	code = strings.TrimSpace(code)
	if code == "" {
		return -1
	}
	if _, err := worldCountries(); err != nil {
		return -1
	}
	if r, err := language.ParseRegion(code); err == nil && r.IsCountry() {
		if i, ok := world.byID[fmt.Sprintf("%03d", r.M49())]; ok {
			return i
		}
	}
	if i, ok := world.byName[strings.ToLower(code)]; ok {
		return i
	}
	return -1
}

// signInMap is what person.tmpl draws: the countries with their class,
// the sign-in places and the lines from the claimed home to sign-ins
// away from it.
type signInMap struct {
	Width, Height float64
	Countries     []mapCountry
	Places        []mapPlace
	Home          *mapPlace // the claimed home country's centre
	HomeName      string
	Away          int // sign-ins from outside the claimed home country
	Unplaced      int // sign-ins with neither coordinates nor a known country
}

type mapCountry struct {
	Path, Class, Title string
}

type mapPlace struct {
	X, Y    string // map coordinates, formatted
	R       string // radius, grows with the sign-ins
	Class   string // "signin", "proxy" (any from a proxy or hosting network)
	Title   string
	Away    bool // outside the claimed home country
	SignIns int
}

// buildSignInMap places a person's sign-ins against the home their roster
// claims. It returns nil when the world outline cannot be read (never, with
// the embedded file) or when there is nothing to place.
func buildSignInMap(events []*event.Event) *signInMap {
	countries, err := worldCountries()
	if err != nil {
		return nil
	}
	home := -1
	for _, e := range events {
		if e.Person == nil {
			continue
		}
		for _, a := range e.Person.Addresses {
			if i := countryIndex(a.Country); i >= 0 && (home < 0 || a.Type == "home") {
				home = i
			}
		}
	}
	seen, proxy := map[int]int{}, map[int]bool{}
	type placeKey struct{ lat, lon float64 }
	places := map[placeKey]*mapPlace{}
	m := &signInMap{Width: 360, Height: mapNorth - mapSouth}
	for _, e := range events {
		if e.SignIn == nil {
			continue
		}
		n := e.Net()
		c := countryIndex(n.Country)
		anon := n.IsProxy || n.IsHosting
		if c >= 0 {
			seen[c]++
			proxy[c] = proxy[c] || anon
		}
		if c >= 0 && home >= 0 && c != home {
			m.Away++
		}
		if !n.HasGeo {
			if c < 0 {
				m.Unplaced++
			}
			continue
		}
		k := placeKey{math.Round(n.Lat*2) / 2, math.Round(n.Lon*2) / 2}
		p := places[k]
		if p == nil {
			x, y := project(k.lon, k.lat)
			p = &mapPlace{X: coord(x), Y: coord(y), Class: "signin", Away: home >= 0 && c != home}
			p.Title = placeName(*n)
			places[k] = p
		}
		p.SignIns++
		if anon {
			p.Class = "proxy"
		}
	}
	if len(seen) == 0 && len(places) == 0 && home < 0 {
		return nil
	}
	for i, c := range countries {
		mc := mapCountry{Path: c.Path, Title: c.Name}
		var cls []string
		if seen[i] > 0 {
			cls = append(cls, "seen")
			mc.Title = fmt.Sprintf("%s: %d sign-ins", c.Name, seen[i])
			if proxy[i] {
				cls = append(cls, "anon")
				mc.Title += ", some from proxy or hosting networks"
			}
		}
		if i == home {
			cls = append(cls, "home")
			mc.Title += " (claimed home)"
		}
		mc.Class = strings.Join(cls, " ")
		m.Countries = append(m.Countries, mc)
	}
	if home >= 0 {
		h := countries[home]
		m.Home = &mapPlace{X: coord(h.Centre[0]), Y: coord(h.Centre[1]), Title: "claimed home: " + h.Name}
		m.HomeName = h.Name
	}
	for _, p := range places {
		p.R = coord(1.2 + math.Min(3, math.Log10(float64(p.SignIns))))
		p.Title = fmt.Sprintf("%s: %d sign-ins", p.Title, p.SignIns)
		m.Places = append(m.Places, *p)
	}
	// Most sign-ins first, so that the busiest places are kept, then drawn
	// last (on top).
	slices.SortFunc(m.Places, func(a, b mapPlace) int {
		return cmp.Or(cmp.Compare(b.SignIns, a.SignIns), strings.Compare(a.X+a.Y, b.X+b.Y))
	})
	m.Places = m.Places[:min(len(m.Places), maxMapPlaces)]
	slices.Reverse(m.Places)
	return m
}

// placeName is where a sign-in came from, as the vendor or the IP
// database named it.
func placeName(n event.Network) string {
	var parts []string
	for _, s := range []string{n.City, n.Region, n.Country} {
		if s = cut(s, 60); s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "unknown place"
	}
	return strings.Join(parts, ", ")
}
