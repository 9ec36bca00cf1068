package report

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/nn/mathx"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Epoch is one row of the training log: the mean cross-entropy and the
// accuracy on the training and the validation rows after epoch Epoch
// (1-based), as artifact.Epoch holds them.
type Epoch struct {
	Epoch         int
	TrainLoss     float64
	TrainAccuracy float64
	ValLoss       float64
	ValAccuracy   float64
}

// Palette is the Okabe-Ito colour-blind-safe palette, in the order series
// and classes take their colours; it repeats (with dashes for lines)
// beyond eight.
var Palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	{0x00, 0x00, 0x00, 0xFF}, // black
}

// colour returns the Palette colour of series i.
func colour(i int) color.RGBA { return Palette[i%len(Palette)] }

// dashes returns the dash pattern of series i: solid for the first round
// of the palette, then dashed, then dotted.
func dashes(i int) []vg.Length {
	switch (i / len(Palette)) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	}
	return nil
}

// Plot sizes.
const (
	curveWidth  = 16 * vg.Centimeter
	curveHeight = 10 * vg.Centimeter
)

// sansFamily is the font-family the SVG names: the metrics gonum uses are
// Liberation Sans's, and Arial and Helvetica have the same widths.
const sansFamily = "font-family:Liberation Sans, Arial, Helvetica, sans-serif"

// newPlot returns a plot with a sans-serif title and axis labels and the
// package's deterministic ticks.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	sans := func(size vg.Length) font.Font {
		return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
	}
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(13)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(11)
		a.Tick.Label.Font = sans(10)
		a.Tick.Marker = niceTicks{}
	}
	p.Legend.TextStyle.Font = sans(10)
	p.Legend.ThumbnailWidth = vg.Points(22)
	return p
}

// writeSVG draws p on a w-by-h SVG canvas and writes it. Fonts are not
// embedded: text stays <text> elements naming Liberation Sans and its
// metric-compatible fallbacks.
func writeSVG(out io.Writer, p *plot.Plot, w, h vg.Length) (err error) {
	defer func() {
		// gonum panics on some degenerate inputs (for example a glyph
		// with no size); the inputs are checked first, so this is a bug,
		// but it must not take the stage down.
		if r := recover(); r != nil {
			err = fmt.Errorf("draw plot %q: %v", p.Title.Text, r)
		}
	}()
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	return finishSVG(out, c)
}

// finishSVG writes the canvas with the font family widened to
// metric-compatible fallbacks.
func finishSVG(out io.Writer, c *vgsvg.Canvas) error {
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	b := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans"), []byte(sansFamily))
	_, err := out.Write(b)
	return err
}

// niceTicks places major ticks at multiples of 1, 2 or 5 times a power of
// ten, at most 7 of them, and labels them with the shortest decimal. It
// uses only exact decimal arithmetic (no math.Log10 or math.Pow), so the
// ticks are the same on every machine.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', -1, 64)}}
	}
	// step = m * 10^e with m in {1, 2, 5}; start from a power of ten at
	// most the range and grow until no more than 7 ticks fit.
	e := 0
	for pow10(e) > hi-lo {
		e--
	}
	for pow10(e+1) <= hi-lo {
		e++
	}
	e -= 2
	var ticks []plot.Tick
	for {
		for _, m := range []int64{1, 2, 5} {
			step := float64(m) * pow10(e)
			first := int64(math.Ceil(lo / step))
			last := int64(math.Floor(hi / step))
			if last-first+1 > 7 {
				continue
			}
			for n := first; n <= last; n++ {
				v := decimal(n*m, e)
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
			}
			return ticks
		}
		e++
	}
}

// pow10 returns 10^e by repeated exact multiplication or division.
func pow10(e int) float64 {
	p := 1.0
	for ; e > 0; e-- {
		p *= 10
	}
	for ; e < 0; e++ {
		p /= 10
	}
	return p
}

// decimal returns the float64 nearest to k * 10^e: one correctly rounded
// division for e < 0, so 3 * 10^-1 is 0.3, not 0.30000000000000004.
func decimal(k int64, e int) float64 {
	if e >= 0 {
		return float64(k) * pow10(e)
	}
	return float64(k) / pow10(-e)
}

// checkEpochs returns an error unless h counts epochs up from 1 with
// finite values.
func checkEpochs(h []Epoch) error {
	if len(h) == 0 {
		return errors.New("no epochs")
	}
	for i, e := range h {
		if e.Epoch != i+1 {
			return fmt.Errorf("epoch %d at row %d, want %d", e.Epoch, i, i+1)
		}
		for _, v := range []float64{e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("epoch %d: value %v is not finite", e.Epoch, v)
			}
		}
	}
	return nil
}

// line returns a line plotter for ys over epochs 1..len(ys) in the style of
// series i.
func line(ys []float64, i int) (*plotter.Line, error) {
	xy := make(plotter.XYs, len(ys))
	for j, y := range ys {
		xy[j] = plotter.XY{X: float64(j + 1), Y: y}
	}
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	l.Color = colour(i)
	l.Width = vg.Points(1.5)
	l.Dashes = dashes(i)
	return l, nil
}

// PlotLoss writes, as SVG, the mean cross-entropy per epoch on the
// training rows (blue) and the validation rows (orange), with a legend
// in the top right corner. The y axis starts at 0.
func PlotLoss(w io.Writer, title string, h []Epoch) error {
	return plotCurves(w, title, "loss (mean cross-entropy, nats)", h, false)
}

// PlotAccuracy writes, as SVG, the accuracy per epoch on the training
// rows (blue) and the validation rows (orange), with a legend in the
// bottom right corner. The y axis ends at 1.
func PlotAccuracy(w io.Writer, title string, h []Epoch) error {
	return plotCurves(w, title, "accuracy (fraction correct)", h, true)
}

func plotCurves(w io.Writer, title, yLabel string, h []Epoch, accuracy bool) error {
	if err := checkEpochs(h); err != nil {
		return fmt.Errorf("plot %q: %w", title, err)
	}
	train := make([]float64, len(h))
	val := make([]float64, len(h))
	for i, e := range h {
		if accuracy {
			train[i], val[i] = e.TrainAccuracy, e.ValAccuracy
		} else {
			train[i], val[i] = e.TrainLoss, e.ValLoss
		}
	}
	p := newPlot(title, "epoch", yLabel)
	for i, s := range []struct {
		name string
		ys   []float64
	}{{"train", train}, {"validation", val}} {
		l, err := line(s.ys, i)
		if err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	p.X.Min, p.X.Max = 1, max(float64(len(h)), 2)
	if accuracy {
		p.Y.Max = 1
		p.Legend.Top = false
	} else {
		p.Y.Min = 0
		p.Legend.Top = true
	}
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = vg.Points(8)
	if p.Legend.Top {
		p.Legend.YOffs = -vg.Points(8)
	}
	p.Add(plotter.NewGrid())
	return writeSVG(w, p, curveWidth, curveHeight)
}

// Curve is one experiment's validation curve for PlotComparison.
type Curve struct {
	Experiment string
	History    []Epoch
}

// PlotComparison writes, as SVG, the validation loss per epoch of several
// experiments on one data set, overlaid: one line per experiment in the
// order given, each in its own Palette colour (dashed after the first
// eight), with the experiments' names in the legend. The loss axis is
// logarithmic, so that curves which end close together near zero stay
// apart after a few high early epochs; it is linear from 0 if any loss is
// 0.
func PlotComparison(w io.Writer, dataset string, curves []Curve) error {
	title := "Validation loss per epoch, " + dataset
	if len(curves) == 0 {
		return fmt.Errorf("plot %q: no experiments", title)
	}
	logY := true
	for _, c := range curves {
		for _, e := range c.History {
			logY = logY && e.ValLoss > 0
		}
	}
	p := newPlot(title, "epoch", "validation loss (mean cross-entropy, nats)")
	if logY {
		// gonum centres the axis label on the arithmetic middle of the
		// range, high up on a log axis, and shrinks the plot to fit a long
		// label there: keep the label short and say the rest in the title.
		p.Title.Text += "\nmean cross-entropy in nats, log scale"
		p.Y.Label.Text = "validation loss"
	}
	// The legend sits in a column to the right: with ten experiments it
	// would cover the curves inside the plot.
	leg := plot.NewLegend()
	leg.TextStyle = p.Legend.TextStyle
	leg.Top, leg.Left = true, true
	leg.Padding = vg.Points(4)
	legendWidth := vg.Points(40)
	maxEpochs := 2
	for i, c := range curves {
		if err := checkEpochs(c.History); err != nil {
			return fmt.Errorf("plot %q: experiment %s: %w", title, c.Experiment, err)
		}
		ys := make([]float64, len(c.History))
		for j, e := range c.History {
			ys[j] = e.ValLoss
		}
		l, err := line(ys, i)
		if err != nil {
			return fmt.Errorf("plot %q: %w", title, err)
		}
		p.Add(l)
		leg.Add(c.Experiment, l)
		legendWidth = max(legendWidth, leg.TextStyle.Width(c.Experiment)+leg.ThumbnailWidth+vg.Points(16))
		maxEpochs = max(maxEpochs, len(ys))
	}
	p.Add(plotter.NewGrid())
	p.X.Min, p.X.Max = 1, float64(maxEpochs)
	if logY {
		p.Y.Scale = logScale{}
		p.Y.Tick.Marker = logTicks{}
	} else {
		p.Y.Min = 0
	}
	return writeSVGLegend(w, p, &leg, legendWidth, curveWidth+legendWidth, curveHeight)
}

// logScale is a base-10 logarithmic axis whose positions come from
// mathx.Log, so they are the same on every machine. The range must be
// positive.
type logScale struct{}

// Normalize implements plot.Normalizer:
//
//	(log x - log lo) / (log hi - log lo)
func (logScale) Normalize(lo, hi, x float64) float64 {
	l := mathx.Log(lo)
	return (mathx.Log(x) - l) / (mathx.Log(hi) - l)
}

// logTicks places major ticks at 1, 2 and 5 times each power of ten in
// the range, or only at the powers of ten when that would be more than 8
// ticks (the others then become unlabelled minor ticks), labelled with the
// shortest decimal. Like niceTicks it uses exact decimal arithmetic only.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return niceTicks{}.Ticks(lo, hi)
	}
	e := 0
	for pow10(e) > lo {
		e--
	}
	for pow10(e+1) <= lo {
		e++
	}
	var all []float64
	for ; pow10(e) <= hi; e++ {
		for _, m := range []int64{1, 2, 5} {
			if v := decimal(m, e); v >= lo && v <= hi {
				all = append(all, v)
			}
		}
	}
	decades := len(all) > 8
	var ticks []plot.Tick
	for _, v := range all {
		label := strconv.FormatFloat(v, 'f', -1, 64)
		if decades && !isPow10(label) {
			label = ""
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// isPow10 reports whether the decimal text s is a power of ten: a single
// 1 and otherwise zeros and a point.
func isPow10(s string) bool {
	return strings.Count(s, "1") == 1 && strings.Trim(s, "0.1") == ""
}
