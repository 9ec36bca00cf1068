package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Regions describes a decision-region plot: the network's predicted class
// over a grid of two features, or along one feature with the class
// probabilities over it (Y = Probability), the others held fixed, with
// data points on top.
type Regions struct {
	// Title; "" means "Decision regions, <x> vs <y>", or "Decision
	// regions over <x>" for a one-dimensional plot. Below it, a second
	// line always says what the other features are fixed at; for a
	// one-dimensional plot, it says what the marks are, and a third line
	// what the other features (if any) are fixed at.
	Title string
	// Features names every input column; Units gives each one's unit
	// ("" for none) and may be nil.
	Features []string
	Units    []string
	Classes  []string
	// X and Y are the indices into Features of the horizontal and the
	// vertical axis (for Iris: petal length and petal width); Y is
	// Probability for a one-dimensional plot along X.
	X, Y int
	// Fixed holds a value for every feature, used for all but X and Y:
	// the training means (the normaliser's Mean, in raw units).
	Fixed []float32
	// Points is (rows, len(Features)), row-major, in raw units: the rows
	// drawn on top (for example the test rows); Labels are their true
	// classes.
	Points []float32
	Labels []int
	// Predict returns the class probabilities of one raw row (for example
	// nn.Predictor.Predict with the normaliser). The returned slice is
	// read before the next call, so it may be an internal buffer.
	Predict func(x []float32) []float32
	// Grid is the number of grid cells per axis; 0 means 150.
	Grid int
}

// Probability, as Regions.Y, asks for a one-dimensional plot: the class
// probabilities on the vertical axis, over the feature X (see
// PlotRegions).
const Probability = -1

// regionsGrid is Regions.Grid's default.
const regionsGrid = 150

// regionTint is how far a region's colour goes from white towards its
// class colour, light enough for the points to stand out.
const regionTint = 0.3

// classGlyphs are the point shapes by class, each a filled shape with a
// black outline, so that classes differ in shape as well as colour.
var classGlyphs = []outlined{
	{draw.CircleGlyph{}, draw.RingGlyph{}},
	{draw.PyramidGlyph{}, draw.TriangleGlyph{}},
	{draw.BoxGlyph{}, draw.SquareGlyph{}},
}

// outlined draws fill in the glyph's colour, then line in black.
type outlined struct{ fill, line draw.GlyphDrawer }

// DrawGlyph implements draw.GlyphDrawer.
func (o outlined) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	o.fill.DrawGlyph(c, sty, pt)
	sty.Color = color.Black
	o.line.DrawGlyph(c, sty, pt)
}

// PlotRegions writes, as SVG, the decision regions of r.Predict over
// r.X and r.Y: the plot area is a grid of r.Grid by r.Grid cells spanning
// the points' range plus 5% on each side, each filled with a light tint of
// its predicted class's Palette colour (runs of equal cells merged into
// one rectangle, to keep the file small), and the points on top as
// outlined glyphs in the full class colour, one shape per class. The
// legend to the right of the plot shows each class's tint and glyph. It
// returns an error for inconsistent lengths, no points, a class out of
// range or a prediction that is not a finite probability vector of
// len(r.Classes).
//
// With r.Y = Probability the plot is one-dimensional, for a data set with
// a single feature or a look along one: the feature on the x axis over the
// same padded range, the predicted class as bands of the same tints (one
// per run of equal cells among r.Grid cells), the probability of each
// class as a curve in its full colour (sampled at the r.Grid+1 cell
// edges), and below probability 0 one lane per class holding its points'
// glyphs at their x, in data order with no jitter. The legend shows each
// class's tint, curve and glyph.
func PlotRegions(w io.Writer, r Regions) error {
	if r.Y == Probability {
		return plotRegions1D(w, r)
	}
	nf, k := len(r.Features), len(r.Classes)
	title := r.Title
	if r.X >= 0 && r.X < nf && r.Y >= 0 && r.Y < nf && title == "" {
		title = fmt.Sprintf("Decision regions, %s vs %s", r.Features[r.X], r.Features[r.Y])
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("plot %q: %s", title, fmt.Sprintf(format, args...))
	}
	switch {
	case nf < 2:
		return bad("%d features, want at least 2 (or Y = Probability for a one-dimensional plot)", nf)
	case r.X < 0 || r.X >= nf || r.Y < 0 || r.Y >= nf || r.X == r.Y:
		return bad("axes %d and %d, want two different features in [0, %d)", r.X, r.Y, nf)
	}
	if msg := r.check(); msg != "" {
		return bad("%s", msg)
	}
	n := r.grid()

	// The points' range, padded by 5%.
	lo := [2]float64{math.Inf(1), math.Inf(1)}
	hi := [2]float64{math.Inf(-1), math.Inf(-1)}
	byClass := make([]plotter.XYs, k)
	for i, c := range r.Labels {
		if c < 0 || c >= k {
			return bad("point %d: class %d, want [0, %d)", i, c, k)
		}
		x, y := float64(r.Points[i*nf+r.X]), float64(r.Points[i*nf+r.Y])
		if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
			return bad("point %d is not finite", i)
		}
		byClass[c] = append(byClass[c], plotter.XY{X: x, Y: y})
		lo[0], hi[0] = min(lo[0], x), max(hi[0], x)
		lo[1], hi[1] = min(lo[1], y), max(hi[1], y)
	}
	for a := range 2 {
		lo[a], hi[a] = padded(lo[a], hi[a])
	}

	// Predict the class at every cell centre; row 0 is the bottom.
	reg := &regionCells{lo: lo, hi: hi, n: n, class: make([]int, n*n)}
	x := append([]float32(nil), r.Fixed...)
	for j := range n {
		x[r.Y] = float32(reg.centre(1, j))
		for i := range n {
			x[r.X] = float32(reg.centre(0, i))
			prob := r.Predict(x)
			if len(prob) != k {
				return bad("predictor returned %d values for %d classes", len(prob), k)
			}
			best := 0
			for c, v := range prob {
				f := float64(v)
				if math.IsNaN(f) || math.IsInf(f, 0) {
					return bad("predictor returned %v at (%v, %v)", f, x[r.X], x[r.Y])
				}
				if v > prob[best] {
					best = c
				}
			}
			reg.class[j*n+i] = best
		}
	}

	p := newPlot(title+"\n"+fixedNote(r, 3), r.axisLabel(r.X), r.axisLabel(r.Y))
	p.Add(reg)
	leg := plot.NewLegend()
	leg.TextStyle = p.Legend.TextStyle
	leg.Top, leg.Left = true, true
	leg.ThumbnailWidth = vg.Points(14)
	leg.Padding = vg.Points(4)
	for c := range k {
		s, err := plotter.NewScatter(byClass[c])
		if err != nil && len(byClass[c]) > 0 {
			return bad("%v", err)
		}
		if s == nil {
			s = &plotter.Scatter{}
		}
		s.GlyphStyle = draw.GlyphStyle{Color: colour(c), Radius: vg.Points(3.5), Shape: classGlyphs[c%len(classGlyphs)]}
		if len(byClass[c]) > 0 {
			p.Add(s)
		}
		leg.Add(r.Classes[c], tint{mix(colour(c), regionTint)}, s)
	}
	p.X.Min, p.X.Max = lo[0], hi[0]
	p.Y.Min, p.Y.Max = lo[1], hi[1]

	width := curveWidth
	legendWidth := vg.Points(40)
	for _, name := range r.Classes {
		legendWidth = max(legendWidth, leg.TextStyle.Width(name)+vg.Points(40))
	}
	return writeSVGLegend(w, p, &leg, legendWidth, width+legendWidth, 12*vg.Centimeter)
}

// check returns what is wrong with r apart from its axes, or "".
func (r *Regions) check() string {
	nf, k := len(r.Features), len(r.Classes)
	switch {
	case k < 1:
		return "no classes"
	case r.Units != nil && len(r.Units) != nf:
		return fmt.Sprintf("%d units for %d features", len(r.Units), nf)
	case len(r.Fixed) != nf:
		return fmt.Sprintf("%d fixed values for %d features", len(r.Fixed), nf)
	case len(r.Labels) == 0:
		return "no points"
	case len(r.Points) != len(r.Labels)*nf:
		return fmt.Sprintf("%d point values for %d labels of %d features", len(r.Points), len(r.Labels), nf)
	case r.Predict == nil:
		return "no predictor"
	case r.Grid < 0 || r.Grid > 1000:
		return fmt.Sprintf("grid of %d cells, want 0 (default) to 1000", r.Grid)
	}
	return ""
}

// grid returns the number of grid cells per axis.
func (r *Regions) grid() int {
	if r.Grid == 0 {
		return regionsGrid
	}
	return r.Grid
}

// axisLabel returns feature f's name with its unit in brackets.
func (r *Regions) axisLabel(f int) string {
	if r.Units != nil && r.Units[f] != "" {
		return r.Features[f] + " (" + r.Units[f] + ")"
	}
	return r.Features[f]
}

// padded returns [lo, hi] widened by 5% of its width on each side, or
// for a single value by 5% of its magnitude (at least 0.5).
func padded(lo, hi float64) (float64, float64) {
	pad := (hi - lo) / 20
	if pad == 0 {
		pad = max(math.Abs(lo)/20, 0.5)
	}
	return lo - pad, hi + pad
}

// writeSVGLegend is writeSVG with the legend drawn in a column of width
// lw to the right of the plot rather than over the data.
func writeSVGLegend(out io.Writer, p *plot.Plot, leg *plot.Legend, lw, w, h vg.Length) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("draw plot %q: %v", p.Title.Text, r)
		}
	}()
	c := vgsvg.New(w, h)
	dc := draw.New(c)
	p.Draw(draw.Crop(dc, 0, -lw, 0, 0))
	// Line the legend up with the top of the plot area, below the title.
	title := p.Title.TextStyle.Height(p.Title.Text) + p.Title.Padding
	leg.Draw(draw.Crop(dc, w-lw+vg.Points(4), 0, 0, -title-vg.Points(8)))
	return finishSVG(out, c)
}

// tint is a legend thumbnail filled with a region colour.
type tint struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (t tint) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(t.c, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// seam is how far a region rectangle overlaps its neighbours.
const seam = vg.Length(0.5)

// fixedNote says what the features off the axes are held at, with at
// most 4 significant digits (for people); more than most of them are only
// counted, to keep the line within the plot's width.
func fixedNote(r Regions, most int) string {
	var parts []string
	for f, name := range r.Features {
		if f == r.X || f == r.Y {
			continue
		}
		v := strconv.FormatFloat(float64(r.Fixed[f]), 'g', 4, 32)
		if r.Units != nil && r.Units[f] != "" {
			v += " " + r.Units[f]
		}
		parts = append(parts, name+" "+v)
	}
	note := "at training means: " + strings.Join(parts, ", ")
	if len(parts) > most {
		note = fmt.Sprintf("%d other features at their training means", len(parts))
	}
	return note
}

// regionCells is an n-by-n grid of predicted classes over [lo, hi].
type regionCells struct {
	lo, hi [2]float64
	n      int
	class  []int // class[j*n+i] at column i, row j (row 0 at the bottom)
}

// edge returns the coordinate of grid line i along axis a:
// lo + i*(hi-lo)/n, the product rounded on its own.
func (g *regionCells) edge(a, i int) float64 {
	if i == g.n {
		return g.hi[a]
	}
	return g.lo[a] + float64(float64(i)*(g.hi[a]-g.lo[a])/float64(g.n))
}

// centre returns the coordinate of the centre of cell i along axis a.
func (g *regionCells) centre(a, i int) float64 {
	return g.lo[a] + float64((float64(i)+0.5)*(g.hi[a]-g.lo[a])/float64(g.n))
}

// Plot implements plot.Plotter: one rectangle per run of equal cells in a
// row.
func (g *regionCells) Plot(dc draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&dc)
	for j := range g.n {
		y0, y1 := ty(g.edge(1, j)), ty(g.edge(1, j+1))
		row := g.class[j*g.n : (j+1)*g.n]
		for start := 0; start < g.n; {
			end := start + 1
			for end < g.n && row[end] == row[start] {
				end++
			}
			x0, x1 := tx(g.edge(0, start)), tx(g.edge(0, end))
			// Reach a little into the next cell up and to the right:
			// abutting anti-aliased edges would show hairline seams,
			// while the next rectangle simply paints over the overlap.
			top, right := y1, x1
			if j+1 < g.n {
				top += seam
			}
			if end < g.n {
				right += seam
			}
			dc.FillPolygon(mix(colour(row[start]), regionTint),
				[]vg.Point{{X: x0, Y: y0}, {X: right, Y: y0}, {X: right, Y: top}, {X: x0, Y: top}})
			start = end
		}
	}
}

// DataRange implements plot.DataRanger.
func (g *regionCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return g.lo[0], g.hi[0], g.lo[1], g.hi[1]
}
