package report

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/nn/mathx"
	"github.com/ferrum-ml/ferrum/pipeline/internal/svgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseSVG reads an SVG the report package wrote.
func parseSVG(t *testing.T, b []byte) svgtest.Doc { return svgtest.Parse(t, b) }

func hex(i int) string { return hex2(colour(i)) }

// render calls f twice and requires the same bytes both times.
func render(t *testing.T, name string, f func(w io.Writer) error) []byte {
	t.Helper()
	var a, b bytes.Buffer
	require.NoError(t, f(&a))
	require.NoError(t, f(&b))
	require.Equal(t, a.Bytes(), b.Bytes(), "same input, same bytes")
	for _, bad := range []string{"@font-face", "base64", "<image"} {
		assert.NotContains(t, a.String(), bad, "no embedded fonts or images")
	}
	if dir := os.Getenv("REPORT_SVG_DIR"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), a.Bytes(), 0o644))
	}
	return a.Bytes()
}

// history returns n epochs of smooth, plausible curves:
// loss = 1.1 exp(-e/15) + 0.05 (+0.02 for validation).
func history(n int, rate float64) []Epoch {
	h := make([]Epoch, n)
	for i := range h {
		e := float64(i + 1)
		d := mathx.Exp(-e / rate)
		h[i] = Epoch{Epoch: i + 1, TrainLoss: float64(1.1*d) + 0.05, ValLoss: float64(1.1*d) + 0.07,
			TrainAccuracy: 1 - float64(0.65*d), ValAccuracy: 0.97 - float64(0.6*d)}
	}
	return h
}

func TestPlotLossAndAccuracy(t *testing.T) {
	h := history(200, 15)
	tests := []struct {
		name, title, ylabel string
		plot                func(io.Writer, string, []Epoch) error
	}{
		{"loss.svg", "Loss per epoch, baseline", "loss (mean cross-entropy, nats)", PlotLoss},
		{"accuracy.svg", "Accuracy per epoch, baseline", "accuracy (fraction correct)", PlotAccuracy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := render(t, tc.name, func(w io.Writer) error { return tc.plot(w, tc.title, h) })
			doc := parseSVG(t, b)
			for _, want := range []string{tc.title, "epoch", tc.ylabel, "train", "validation", "200"} {
				assert.Contains(t, doc.Texts, want)
			}
			// One curve per series, plus its legend thumbnail.
			assert.Equal(t, 2, doc.Strokes(hex(0)), "train series")
			assert.Equal(t, 2, doc.Strokes(hex(1)), "validation series")
			golden(t, tc.name, b)
		})
	}
}

func TestPlotCurvesErrors(t *testing.T) {
	var buf bytes.Buffer
	assert.ErrorContains(t, PlotLoss(&buf, "x", nil), "no epochs")
	h := history(3, 15)
	h[1].Epoch = 5
	assert.ErrorContains(t, PlotLoss(&buf, "x", h), "epoch 5 at row 1, want 2")
	h = history(3, 15)
	h[2].ValLoss = mathx.Log(-1)
	assert.ErrorContains(t, PlotAccuracy(&buf, "x", h), "epoch 3: value NaN is not finite")
	assert.ErrorContains(t, PlotComparison(&buf, "iris", nil), "no experiments")
}

func TestPlotComparison(t *testing.T) {
	curves := []Curve{
		{"baseline", history(200, 15)},
		{"adam", history(150, 6)},
		{"tanh", history(200, 30)},
	}
	b := render(t, "compare.svg", func(w io.Writer) error { return PlotComparison(w, "iris.data", curves) })
	doc := parseSVG(t, b)
	for _, want := range []string{"Validation loss per epoch, iris.data", "mean cross-entropy in nats, log scale", "epoch",
		"validation loss", "0.1", "1", "baseline", "adam", "tanh"} {
		assert.Contains(t, doc.Texts, want)
	}
	for i := range curves {
		assert.Equal(t, 2, doc.Strokes(hex(i)), "series %d: its curve and legend thumbnail", i)
	}
	assert.Zero(t, doc.Strokes(hex(3)))
	golden(t, "compare.svg", b)
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []string
	}{
		{0.0116, 1.397, []string{"0.02", "0.05", "0.1", "0.2", "0.5", "1"}},
		{0.003, 0.04, []string{"0.005", "0.01", "0.02"}},
		// More than 8: only the powers of ten keep their labels.
		{0.0011, 12, []string{"", "", "0.01", "", "", "0.1", "", "", "1", "", "", "10"}},
	}
	for _, tc := range tests {
		var got []string
		for _, tk := range (logTicks{}).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
			assert.True(t, tk.Value >= tc.lo && tk.Value <= tc.hi, "%v outside [%v, %v]", tk.Value, tc.lo, tc.hi)
		}
		assert.Equal(t, tc.want, got, "[%v, %v]", tc.lo, tc.hi)
	}
	// The scale maps the ends to 0 and 1 and a decade to equal lengths.
	assert.Equal(t, 0.0, logScale{}.Normalize(0.01, 1, 0.01))
	assert.Equal(t, 1.0, logScale{}.Normalize(0.01, 1, 1))
	assert.InDelta(t, 0.5, logScale{}.Normalize(0.01, 1, 0.1), 1e-15)
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []string
	}{
		{1, 200, []string{"50", "100", "150", "200"}},
		{0, 1.15, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
		{0.3, 1, []string{"0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"}[:0:0]},
		{-0.35, 7.3, []string{"0", "2", "4", "6"}},
		{0.0001, 0.00052, []string{"0.0001", "0.0002", "0.0003", "0.0004", "0.0005"}},
	}
	tests[2].want = []string{"0.4", "0.6", "0.8", "1"}
	for _, tc := range tests {
		var got []string
		for _, tk := range (niceTicks{}).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Label)
			v, err := strconv.ParseFloat(tk.Label, 64)
			require.NoError(t, err)
			assert.Equal(t, v, tk.Value, "label and value agree")
		}
		assert.Equal(t, tc.want, got, "[%v, %v]", tc.lo, tc.hi)
	}
}

func TestPlotConfusion(t *testing.T) {
	classes := []string{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}
	c := [][]int{{10, 0, 0}, {0, 9, 1}, {0, 2, 8}}
	b := render(t, "confusion.svg", func(w io.Writer) error {
		return PlotConfusion(w, "Confusion matrix, test rows", classes, c)
	})
	doc := parseSVG(t, b)
	for _, want := range []string{"Confusion matrix, test rows", "predicted class", "true class",
		"10", "9", "8", "2", "1", "100.0%", "90.0%", "10.0%", "80.0%", "20.0%"} {
		assert.Contains(t, doc.Texts, want)
	}
	for _, name := range classes {
		assert.Equal(t, 2, count(doc.Texts, name), "%s on both axes", name)
	}
	assert.NotContains(t, doc.Texts, "0.0%", "empty cells show only their count")
	// Nine cells, each filled once and outlined in white.
	assert.Equal(t, 9, doc.Strokes("#FFFFFF"))
	assert.Equal(t, 5, doc.Fills("#FFFFFF"), "the plot background and the four empty cells")
	assert.Equal(t, 1, doc.Fills(hex2(mix(heatDark, 1))), "the one 100% cell")
	golden(t, "confusion.svg", b)

	var buf bytes.Buffer
	assert.ErrorContains(t, PlotConfusion(&buf, "x", classes, c[:2]), "2 rows for 3 classes")
	assert.ErrorContains(t, PlotConfusion(&buf, "x", classes[:2], [][]int{{1, -1}, {0, 0}}), "[0][1] is -1")
}

func count[E comparable](xs []E, s E) int {
	n := 0
	for _, x := range xs {
		if x == s {
			n++
		}
	}
	return n
}

// iris reads the four features and the class of the UCI Iris file.
func iris(t *testing.T) (x []float32, y []int, classes []string) {
	t.Helper()
	f, err := os.Open("../../../data/raw/iris.data")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.Split(strings.TrimSpace(sc.Text()), ",")
		if len(parts) != 5 {
			continue
		}
		for _, p := range parts[:4] {
			v, err := strconv.ParseFloat(p, 32)
			require.NoError(t, err)
			x = append(x, float32(v))
		}
		c := slices.Index(classes, parts[4])
		if c < 0 {
			classes = append(classes, parts[4])
			c = len(classes) - 1
		}
		y = append(y, c)
	}
	require.NoError(t, sc.Err())
	require.Len(t, y, 150)
	return x, y, classes
}

// centroids returns a predictor that gives a softmax over minus the
// squared distances to the class means of x: a stand-in for a network.
func centroids(x []float32, y []int, k, nf int) (func([]float32) []float32, []float32) {
	means := make([]float32, k*nf)
	all := make([]float32, nf)
	counts := make([]float32, k)
	for i, c := range y {
		counts[c]++
		for j := range nf {
			means[c*nf+j] += x[i*nf+j]
			all[j] += x[i*nf+j] / float32(len(y))
		}
	}
	for c := range k {
		for j := range nf {
			means[c*nf+j] /= counts[c]
		}
	}
	out := make([]float32, k)
	return func(v []float32) []float32 {
		var sum float32
		for c := range k {
			var d float32
			for j := range nf {
				e := v[j] - means[c*nf+j]
				d += float32(e * e)
			}
			out[c] = mathx.Exp32(-d)
			sum += out[c]
		}
		for c := range out {
			out[c] /= sum
		}
		return out
	}, all
}

func TestPlotRegions(t *testing.T) {
	x, y, classes := iris(t)
	predict, means := centroids(x, y, 3, 4)
	r := Regions{
		Features: []string{"sepal_length", "sepal_width", "petal_length", "petal_width"},
		Units:    []string{"cm", "cm", "cm", "cm"},
		Classes:  classes, X: 2, Y: 3, Fixed: means,
		Points: x, Labels: y, Predict: predict,
	}
	b := render(t, "regions.svg", func(w io.Writer) error { return PlotRegions(w, r) })
	doc := parseSVG(t, b)
	for _, want := range append([]string{"Decision regions, petal_length vs petal_width",
		"petal_length (cm)", "petal_width (cm)"}, classes...) {
		assert.Contains(t, doc.Texts, want)
	}
	for c := range classes {
		// Each point's glyph is filled in its class colour; one more
		// in the legend.
		assert.Equal(t, count(y, c)+1, doc.Fills(hex(c)), "class %d points", c)
		// At least one region of each class, and its legend swatch.
		assert.GreaterOrEqual(t, doc.Fills(hex2(mix(colour(c), regionTint))), 2, "class %d region", c)
	}
	assert.Less(t, len(b), 200_000, "runs of equal cells are merged")
	// The committed reports' regions.svg files are these bytes' kin: a
	// change here changes every experiment's plot.
	golden(t, "regions.svg", b)

	bad := []struct {
		name string
		edit func(r *Regions)
		want string
	}{
		{"same axis", func(r *Regions) { r.Y = 2 }, "axes 2 and 2"},
		{"fixed", func(r *Regions) { r.Fixed = r.Fixed[:3] }, "3 fixed values for 4 features"},
		{"points", func(r *Regions) { r.Points = r.Points[:7] }, "7 point values for 150 labels"},
		{"label", func(r *Regions) { r.Labels = append(slices.Clone(r.Labels[:149]), 3) }, "point 149: class 3"},
		{"predictor width", func(r *Regions) { r.Predict = func([]float32) []float32 { return []float32{1} } }, "returned 1 values for 3 classes"},
		{"predictor NaN", func(r *Regions) {
			r.Predict = func([]float32) []float32 { return []float32{0, mathx.Log32(-1), 0} }
		}, "predictor returned NaN"},
		{"no predictor", func(r *Regions) { r.Predict = nil }, "no predictor"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r2 := r
			tc.edit(&r2)
			var buf bytes.Buffer
			assert.ErrorContains(t, PlotRegions(&buf, r2), tc.want)
		})
	}
}

func TestPlotRegions1D(t *testing.T) {
	x, y, classes := iris(t)
	// Petal length alone: a one-feature data set.
	length := make([]float32, len(y))
	for i := range y {
		length[i] = x[i*4+2]
	}
	predict1, mean1 := centroids(length, y, 3, 1)
	predict4, means4 := centroids(x, y, 3, 4)
	tests := []struct {
		name  string
		r     Regions
		texts []string
	}{
		{"regions1d.svg", Regions{Features: []string{"petal_length"}, Units: []string{"cm"}, Classes: classes,
			X: 0, Y: Probability, Fixed: mean1, Points: length, Labels: y, Predict: predict1, Grid: 200},
			[]string{"Decision regions over petal_length\nbands: predicted class; curves: class probabilities; " +
				"below: the rows"}},
		{"regions1d_fixed.svg", Regions{Features: []string{"sepal_length", "sepal_width", "petal_length", "petal_width"},
			Units: []string{"cm", "cm", "cm", "cm"}, Classes: classes,
			X: 2, Y: Probability, Fixed: means4, Points: x, Labels: y, Predict: predict4},
			[]string{"3 other features at their training means"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := render(t, tc.name, func(w io.Writer) error { return PlotRegions(w, tc.r) })
			doc := parseSVG(t, b)
			texts := strings.Join(doc.Texts, "\n")
			for _, want := range append(tc.texts, "Decision regions over petal_length", "petal_length (cm)", "probability") {
				assert.Contains(t, texts, want)
			}
			for _, want := range append([]string{"0", "0.2", "0.4", "0.6", "0.8", "1", "2", "4", "6"}, classes...) {
				assert.Contains(t, doc.Texts, want)
			}
			for _, s := range doc.Texts {
				assert.False(t, strings.HasPrefix(s, "-"), "no tick below probability 0: %q", s)
			}
			for c := range classes {
				// One curve per class, and its legend thumbnail.
				assert.Equal(t, 2, doc.Strokes(hex(c)), "class %d curve", c)
				// Each point's glyph is filled in its class colour; one
				// more in the legend.
				assert.Equal(t, count(y, c)+1, doc.Fills(hex(c)), "class %d points", c)
				// Iris's petal length separates all three classes: each
				// has a band, and its legend swatch.
				assert.GreaterOrEqual(t, doc.Fills(hex2(mix(colour(c), regionTint))), 2, "class %d band", c)
			}
			assert.Equal(t, 1, doc.Strokes(hex2(laneRule)), "the rule above the lanes")
			golden(t, tc.name, b)
		})
	}

	r := tests[0].r
	bad := []struct {
		name string
		edit func(r *Regions)
		want string
	}{
		{"axis", func(r *Regions) { r.X = 1 }, "axis 1, want a feature in [0, 1)"},
		{"fixed", func(r *Regions) { r.Fixed = nil }, "0 fixed values for 1 features"},
		{"points", func(r *Regions) { r.Points = r.Points[:7] }, "7 point values for 150 labels"},
		{"label", func(r *Regions) { r.Labels = append(slices.Clone(r.Labels[:149]), -1) }, "point 149: class -1"},
		{"point", func(r *Regions) {
			r.Points = append(slices.Clone(r.Points[:149]), mathx.Log32(0))
		}, "point 149 is not finite"},
		{"predictor width", func(r *Regions) { r.Predict = func([]float32) []float32 { return []float32{1} } }, "returned 1 values for 3 classes"},
		{"not a probability", func(r *Regions) {
			r.Predict = func([]float32) []float32 { return []float32{0, 2, 0} }
		}, "predictor returned 2 at "},
		{"no predictor", func(r *Regions) { r.Predict = nil }, "no predictor"},
		{"two dimensions of one feature", func(r *Regions) { r.Y = 0 }, "1 features, want at least 2 (or Y = Probability"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r2 := r
			tc.edit(&r2)
			var buf bytes.Buffer
			err := PlotRegions(&buf, r2)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// hex2 formats c as vgsvg does, "#RRGGBB".
func hex2(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	return "#" + strings.ToUpper(strconv.FormatUint(uint64(r>>8)<<16|uint64(g>>8)<<8|uint64(b>>8)|1<<24, 16)[1:])
}
