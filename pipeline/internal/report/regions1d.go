package report

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// laneStrip is the height, in probability units, of the strip below
// probability 0 that holds the points of a one-dimensional plot, one lane
// per class: a quarter of the probability range, whatever the number of
// classes.
const laneStrip = 0.25

// laneRule is the colour of the line between the probabilities and the
// points' lanes: a grey that no class takes.
var laneRule = color.RGBA{0x99, 0x99, 0x99, 0xFF}

// plotRegions1D is PlotRegions for r.Y = Probability.
func plotRegions1D(w io.Writer, r Regions) error {
	nf, k := len(r.Features), len(r.Classes)
	title := r.Title
	if r.X >= 0 && r.X < nf && title == "" {
		title = "Decision regions over " + r.Features[r.X]
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("plot %q: %s", title, fmt.Sprintf(format, args...))
	}
	if r.X < 0 || r.X >= nf {
		return bad("axis %d, want a feature in [0, %d)", r.X, nf)
	}
	if msg := r.check(); msg != "" {
		return bad("%s", msg)
	}
	n := r.grid()

	// The points' range, padded by 5%; each class's points in its lane.
	lane := laneStrip / float64(k)
	lo, hi := math.Inf(1), math.Inf(-1)
	byClass := make([]plotter.XYs, k)
	for i, c := range r.Labels {
		if c < 0 || c >= k {
			return bad("point %d: class %d, want [0, %d)", i, c, k)
		}
		x := float64(r.Points[i*nf+r.X])
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("point %d is not finite", i)
		}
		byClass[c] = append(byClass[c], plotter.XY{X: x, Y: -float64((float64(c) + 0.5) * lane)})
		lo, hi = min(lo, x), max(hi, x)
	}
	lo, hi = padded(lo, hi)

	// The predicted class at every cell centre, and every class's
	// probability at every cell edge.
	g := &regionCells{lo: [2]float64{lo, -laneStrip}, hi: [2]float64{hi, 1}, n: n, class: make([]int, n)}
	curves := make([]plotter.XYs, k)
	for c := range curves {
		curves[c] = make(plotter.XYs, n+1)
	}
	x := append([]float32(nil), r.Fixed...)
	predict := func(v float64) ([]float32, error) {
		x[r.X] = float32(v)
		prob := r.Predict(x)
		if len(prob) != k {
			return nil, bad("predictor returned %d values for %d classes", len(prob), k)
		}
		for _, p := range prob {
			if f := float64(p); math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1 {
				return nil, bad("predictor returned %v at %v, want a probability", f, x[r.X])
			}
		}
		return prob, nil
	}
	for i := range n {
		prob, err := predict(g.centre(0, i))
		if err != nil {
			return err
		}
		best := 0
		for c, v := range prob {
			if v > prob[best] {
				best = c
			}
		}
		g.class[i] = best
	}
	for i := range n + 1 {
		at := g.edge(0, i)
		prob, err := predict(at)
		if err != nil {
			return err
		}
		for c, v := range prob {
			curves[c][i] = plotter.XY{X: at, Y: float64(v)}
		}
	}

	note := "bands: predicted class; curves: class probabilities; below: the rows"
	if nf > 1 {
		note += "\n" + fixedNote(r, 2) // three names with values overflow the width
	}
	p := newPlot(title+"\n"+note, r.axisLabel(r.X), "probability")
	p.Y.Tick.Marker = probabilityTicks{}
	p.Add(bands{g})
	rule, err := plotter.NewLine(plotter.XYs{{X: lo, Y: 0}, {X: hi, Y: 0}})
	if err != nil {
		return bad("%v", err)
	}
	rule.Color, rule.Width = laneRule, vg.Points(0.75)
	p.Add(rule)
	leg := plot.NewLegend()
	leg.TextStyle = p.Legend.TextStyle
	leg.Top, leg.Left = true, true
	leg.ThumbnailWidth = vg.Points(22)
	leg.Padding = vg.Points(4)
	lines := make([]*plotter.Line, k)
	for c := range k {
		if lines[c], err = plotter.NewLine(curves[c]); err != nil {
			return bad("%v", err)
		}
		lines[c].Color, lines[c].Width, lines[c].Dashes = colour(c), vg.Points(1.5), dashes(c)
		p.Add(lines[c])
	}
	for c := range k {
		s := &plotter.Scatter{XYs: byClass[c]}
		s.GlyphStyle = draw.GlyphStyle{Color: colour(c), Radius: vg.Points(3.5), Shape: classGlyphs[c%len(classGlyphs)]}
		if len(byClass[c]) > 0 {
			p.Add(s)
		}
		leg.Add(r.Classes[c], tint{mix(colour(c), regionTint)}, lines[c], s)
	}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = -laneStrip, 1

	legendWidth := vg.Points(48)
	for _, name := range r.Classes {
		legendWidth = max(legendWidth, leg.TextStyle.Width(name)+vg.Points(48))
	}
	return writeSVGLegend(w, p, &leg, legendWidth, curveWidth+legendWidth, 12*vg.Centimeter)
}

// bands draws the one row of a regionCells as vertical bands over the
// whole height of the plot: one rectangle per run of equal cells.
type bands struct{ g *regionCells }

// Plot implements plot.Plotter.
func (b bands) Plot(dc draw.Canvas, p *plot.Plot) {
	g := b.g
	tx, ty := p.Transforms(&dc)
	y0, y1 := ty(g.lo[1]), ty(g.hi[1])
	for start := 0; start < g.n; {
		end := start + 1
		for end < g.n && g.class[end] == g.class[start] {
			end++
		}
		x0, x1 := tx(g.edge(0, start)), tx(g.edge(0, end))
		if end < g.n {
			x1 += seam // see regionCells.Plot
		}
		dc.FillPolygon(mix(colour(g.class[start]), regionTint),
			[]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		start = end
	}
}

// DataRange implements plot.DataRanger.
func (b bands) DataRange() (xmin, xmax, ymin, ymax float64) {
	return b.g.lo[0], b.g.hi[0], b.g.lo[1], b.g.hi[1]
}

// probabilityTicks labels the probability axis of a one-dimensional
// plot from 0 to 1 only, leaving the points' lanes below 0 unlabelled.
type probabilityTicks struct{}

// Ticks implements plot.Ticker.
func (probabilityTicks) Ticks(lo, hi float64) []plot.Tick {
	return niceTicks{}.Ticks(max(lo, 0), min(hi, 1))
}
