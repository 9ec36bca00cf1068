package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// heatDark is the colour of a cell holding every row of its true class;
// an empty cell is white.
var heatDark = color.RGBA{0x08, 0x30, 0x6B, 0xFF}

// mix returns the colour t of the way from white to c, t in [0, 1]. Each
// channel is 255 + t*(c-255), the product rounded on its own (no FMA).
func mix(c color.RGBA, t float64) color.RGBA {
	ch := func(v uint8) uint8 {
		return uint8(math.Round(255 + float64(t*float64(int(v)-255))))
	}
	return color.RGBA{ch(c.R), ch(c.G), ch(c.B), 0xFF}
}

// PlotConfusion writes, as SVG, the confusion matrix c (c[true][predicted],
// len(classes) square) as an annotated heat map: true classes down the y
// axis in class order from the top, predicted classes along the x axis.
// Each cell shows its count and, below a non-zero count, the percentage
// of its true class's rows; its colour runs from white (0%) to dark blue (100% of the
// row), so the diagonal reads as per-class recall. Text is white on dark
// cells.
func PlotConfusion(w io.Writer, title string, classes []string, c [][]int) error {
	k := len(classes)
	if k == 0 || len(c) != k {
		return fmt.Errorf("plot %q: confusion matrix has %d rows for %d classes", title, len(c), k)
	}
	for i, row := range c {
		if len(row) != k {
			return fmt.Errorf("plot %q: confusion matrix row %d has %d columns, want %d", title, i, len(row), k)
		}
		for j, n := range row {
			if n < 0 {
				return fmt.Errorf("plot %q: confusion matrix [%d][%d] is %d", title, i, j, n)
			}
		}
	}
	p := newPlot(title, "predicted class", "true class")
	p.Add(&cells{c: c})
	p.X.Min, p.X.Max = -0.5, float64(k)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	var xt, yt []plot.Tick
	longest := 0
	for i, name := range classes {
		xt = append(xt, plot.Tick{Value: float64(i), Label: name})
		yt = append(yt, plot.Tick{Value: float64(k - 1 - i), Label: name})
		longest = max(longest, len(name))
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	// Long names on many columns would run into each other: tilt them.
	if longest*k > 60 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = text.XRight
		p.X.Tick.Label.YAlign = text.YTop
	}
	side := 4*vg.Centimeter + vg.Length(float64(vg.Length(k)*1.6*vg.Centimeter)) // no FMA
	side = min(max(side, 11*vg.Centimeter), 24*vg.Centimeter)
	return writeSVG(w, p, side+2*vg.Centimeter, side)
}

// cells draws the heat map: one rectangle and label pair per cell.
type cells struct{ c [][]int }

// Plot implements plot.Plotter.
func (h *cells) Plot(dc draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&dc)
	k := len(h.c)
	// The annotation size shrinks with the cell size; 10 classes fit.
	size := vg.Points(min(12, 4+80/float64(k)))
	sans := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	small := font.Font{Typeface: "Liberation", Variant: "Sans", Size: size * 0.75}
	for i, row := range h.c {
		total := 0
		for _, n := range row {
			total += n
		}
		y := float64(k - 1 - i)
		for j, n := range row {
			x := float64(j)
			var t float64
			if total > 0 {
				t = float64(n) / float64(total)
			}
			rect := []vg.Point{
				{X: tx(x - 0.5), Y: ty(y - 0.5)}, {X: tx(x + 0.5), Y: ty(y - 0.5)},
				{X: tx(x + 0.5), Y: ty(y + 0.5)}, {X: tx(x - 0.5), Y: ty(y + 0.5)},
			}
			dc.FillPolygon(mix(heatDark, t), rect)
			dc.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1)}, append(rect, rect[0]))
			ink := color.Color(color.Black)
			if t > 0.5 {
				ink = color.White
			}
			centre := vg.Point{X: tx(x), Y: ty(y)}
			count := draw.TextStyle{Color: ink, Font: sans, XAlign: text.XCenter, YAlign: text.YBottom,
				Handler: p.TextHandler}
			dc.FillText(count, centre, strconv.Itoa(n))
			if n > 0 {
				pct := count
				pct.Font = small
				pct.YAlign = text.YTop
				// Percent to one decimal, from integers: no float formatting.
				tenths := (1000*n + total/2) / total
				dc.FillText(pct, vg.Point{X: centre.X, Y: centre.Y - vg.Points(1)},
					fmt.Sprintf("%d.%d%%", tenths/10, tenths%10))
			}
		}
	}
}

// DataRange implements plot.DataRanger.
func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	k := float64(len(h.c))
	return -0.5, k - 0.5, -0.5, k - 0.5
}
