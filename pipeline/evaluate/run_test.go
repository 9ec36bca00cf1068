package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
	"github.com/ferrum-ml/ferrum/pipeline/internal/svgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runEvaluate(f *pipetest.Fix) (pipetest.Result, string) {
	out := filepath.Join(f.Dir, "out")
	return pipetest.Run(run, "-config", f.Config, "-schema", f.Schema, "-data", f.Data, "-normalizer", f.Normalizer,
		"-train", f.Train, "-validation", f.Validation, "-test", f.Test, "-network", f.Network, "-log", f.Log,
		"-folds", f.Folds, "-seeds", f.Seeds, "-out-dir", out), out
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// parseSVG reads the SVG file at path.
func parseSVG(t *testing.T, path string) svgtest.Doc {
	t.Helper()
	return svgtest.Parse(t, []byte(read(t, path)))
}

func TestEvaluate(t *testing.T) {
	f := pipetest.New(t)
	pipetest.Write(t, f.Log, "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n"+
		"1,1.1,0.3,1.2,0.25\n2,0.8,0.6,0.9,0.5\n3,0.5,0.9,0.7,0.75\n")
	res, out := runEvaluate(f)
	require.NoError(t, res.Err, res.Stderr)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, Outputs, names, "exactly the report files, no temporary ones")

	m, err := report.ReadMetrics(filepath.Join(out, "metrics.json"))
	require.NoError(t, err)
	assert.Equal(t, "exp", m.Experiment)
	assert.Equal(t, "raw.csv", m.Dataset)
	assert.Equal(t, []string{"a", "b", "c"}, m.Classes)
	assert.Equal(t, 27, m.Parameters)
	assert.Equal(t, 3, m.Epochs)
	assert.Nil(t, m.Repeats, "no folds, one seed")
	assert.Equal(t, report.PartitionCounts{Train: 18, Validation: 6, Test: 6, All: 30}, m.Rows)
	// The model file is the network with the normaliser, as package
	// writes it.
	net, err := artifact.ReadNetwork(f.Network, 2, 3)
	require.NoError(t, err)
	stats, err := dataset.ReadNormalizer(f.Normalizer, []string{"length", "width"})
	require.NoError(t, err)
	mean, std := stats.MeanStd()
	b, err := finf.Marshal(nn.ToFINF(net, &nn.Normalizer[float32]{Mean: mean, Std: std}))
	require.NoError(t, err)
	assert.Equal(t, len(b), m.ModelBytes)
	// The confusion matrix covers the 6 test rows, 2 per class, and
	// accuracy agrees with its diagonal.
	total, diag := 0, 0
	for i, row := range m.Test.Confusion {
		for j, n := range row {
			total += n
			if i == j {
				diag += n
			}
		}
		assert.Equal(t, 2, m.Test.PerClass[i].Support)
	}
	assert.Equal(t, 6, total)
	assert.Equal(t, report.Float(float64(diag)/6), m.Accuracy.Test)
	assert.InDelta(t, float64(m.Accuracy.Train)*18/30+float64(m.Accuracy.Validation)*6/30+float64(m.Accuracy.Test)*6/30,
		float64(m.Accuracy.All), 1e-12)

	blue, orange := "#0072B2", "#E69F00"
	for _, tc := range []struct{ file, title, y string }{
		{"loss.svg", "Loss per epoch, exp", "loss (mean cross-entropy, nats)"},
		{"accuracy.svg", "Accuracy per epoch, exp", "accuracy (fraction correct)"},
	} {
		doc := parseSVG(t, filepath.Join(out, tc.file))
		for _, s := range []string{tc.title, "epoch", tc.y, "train", "validation"} {
			assert.Contains(t, doc.Texts, s, tc.file)
		}
		// One curve per series, plus its legend thumbnail.
		assert.Equal(t, 2, doc.Strokes(blue), "%s: train series", tc.file)
		assert.Equal(t, 2, doc.Strokes(orange), "%s: validation series", tc.file)
	}
	doc := parseSVG(t, filepath.Join(out, "confusion.svg"))
	for _, s := range []string{"Confusion matrix, exp, 6 test rows", "true class", "predicted class", "a", "b", "c"} {
		assert.Contains(t, doc.Texts, s)
	}
	doc = parseSVG(t, filepath.Join(out, "regions.svg"))
	// Two features only: the default picks both, in feature order.
	for _, s := range []string{"Decision regions, length vs width", "length", "width", "a", "b", "c"} {
		assert.Contains(t, doc.Texts, s)
	}

	page := read(t, filepath.Join(out, "README.md"))
	for _, s := range []string{
		"# Experiment exp", "> fixture",
		"| SHA-256 | `" + strings.Repeat("0", 64) + "` |",
		"| parameters | 27 |",
		"| `model.hidden` | `[4]` |",
		"![Loss per epoch, train and validation rows](loss.svg)",
		"](regions.svg)", "](confusion.svg)", "](accuracy.svg)",
		"| initialisation | layer 0 linear 2x4 weight | 8 |",
		"| after training | loss logits | 48 |",
		"on the first 16 training rows", "[gradcheck.json](gradcheck.json)",
	} {
		assert.Contains(t, page, s)
	}
	assert.NotContains(t, page, "FAIL")

	var gc gradCheckFile
	require.NoError(t, artifact.ReadJSON(filepath.Join(out, "gradcheck.json"), &gc))
	assert.Equal(t, report.Float(1e-6), gc.Eps)
	assert.Equal(t, report.Float(1e-6), gc.Threshold)
	assert.Len(t, gc.Rows, 16)
	require.Len(t, gc.Checks, 2)
	for i, want := range []string{"initialisation", "after training"} {
		c := gc.Checks[i]
		assert.Equal(t, want, c.Network)
		assert.True(t, c.Pass, want)
		require.NotNil(t, c.ReLUMargin)
		assert.Positive(t, float64(*c.ReLUMargin))
		// Two Linear layers (weight and bias each) and the logits.
		require.Len(t, c.Tensors, 5)
		assert.Equal(t, "layer 0 linear 2x4 weight", c.Tensors[0].Tensor)
		assert.Equal(t, 8, c.Tensors[0].Entries)
		for _, r := range c.Tensors {
			assert.LessOrEqual(t, float64(r.MaxRelError), 1e-6, r.Tensor)
		}
	}

	// The same inputs give the same bytes.
	first := map[string]string{}
	for _, name := range Outputs {
		first[name] = read(t, filepath.Join(out, name))
	}
	res, _ = runEvaluate(f)
	require.NoError(t, res.Err)
	for _, name := range Outputs {
		assert.Equal(t, first[name], read(t, filepath.Join(out, name)), name)
	}
}

// TestEvaluateInitialNetwork checks that the gradient check's initial
// network is the one train starts from: given that very network as the
// "trained" one, both checks must agree exactly.
func TestEvaluateInitialNetwork(t *testing.T) {
	f := pipetest.New(t)
	res, out := runEvaluate(f)
	require.NoError(t, res.Err)
	var gc gradCheckFile
	require.NoError(t, artifact.ReadJSON(filepath.Join(out, "gradcheck.json"), &gc))
	// The fixture's seed is 3, so the initial network differs from the
	// fixture's (seed 1) network: the two checks' numbers differ.
	assert.NotEqual(t, gc.Checks[0].Tensors, gc.Checks[1].Tensors)

	// Replace the network by the one train draws first for seed 3.
	s, err := nn.NewMLP[float32]([]int{2, 4, 3}, nn.ReLU, rng.New(3^0xD1B54A32D192ED03))
	require.NoError(t, err)
	b, err := finf.Marshal(nn.ToFINF(s, nil))
	require.NoError(t, err)
	pipetest.Write(t, f.Network, string(b))
	res, out = runEvaluate(f)
	require.NoError(t, res.Err)
	require.NoError(t, artifact.ReadJSON(filepath.Join(out, "gradcheck.json"), &gc))
	assert.Equal(t, gc.Checks[0].Tensors, gc.Checks[1].Tensors)
}

func TestEvaluateFolds(t *testing.T) {
	f := pipetest.New(t)
	pipetest.Write(t, f.Folds, "fold,train_rows,held_out_rows,accuracy,log_loss,macro_f1\n"+
		"0,12,12,0.75,0.5,0.7\n1,12,12,1,0.25,1\n")
	res, out := runEvaluate(f)
	require.NoError(t, res.Err)
	m, err := report.ReadMetrics(filepath.Join(out, "metrics.json"))
	require.NoError(t, err)
	require.NotNil(t, m.Repeats)
	assert.Equal(t, "folds", m.Repeats.Over)
	assert.Equal(t, []report.Run{{Name: "fold 0", Accuracy: 0.75, LogLoss: 0.5, MacroF1: 0.7},
		{Name: "fold 1", Accuracy: 1, LogLoss: 0.25, MacroF1: 1}}, m.Repeats.Runs)
	// mean 0.875, sample std sqrt(2 * 0.125^2 / 1) = 0.125 * sqrt(2).
	assert.Equal(t, report.Spread{Mean: 0.875, Std: 0.1767766952966369, N: 2}, m.Repeats.Accuracy)
	page := read(t, filepath.Join(out, "README.md"))
	assert.Contains(t, page, "### Cross-validation across folds (held-out rows)")
	assert.Contains(t, page, "2-fold cross-validation (held-out train and validation rows, not the test rows): accuracy 0.8750 ± 0.1768")
}

// writeSeeds sets training.repeats = 3 in f's experiment and writes a
// seeds file for it: repeat 0 the fixture network's test result (as the
// train stage measures it), the others made up.
func writeSeeds(t *testing.T, f *pipetest.Fix) []artifact.Seed {
	t.Helper()
	pipetest.Write(t, f.Config, pipetest.Experiment("repeats = 3\n"))
	cfg, err := config.Load(f.Config)
	require.NoError(t, err)
	net, err := artifact.ReadNetwork(f.Network, 2, 3)
	require.NoError(t, err)
	test, err := dataset.ReadTable(f.Test, []string{"length", "width"}, 3)
	require.NoError(t, err)
	main, err := report.Measure(net, pipetest.Classes, test.X, test.Y)
	require.NoError(t, err)
	seeds := []artifact.Seed{
		{Repeat: 0, Seed: cfg.RepeatSeed(0), Accuracy: artifact.Float64(main.Accuracy), LogLoss: artifact.Float64(main.LogLoss),
			MacroF1: artifact.Float64(main.Scores.MacroF1)},
		{Repeat: 1, Seed: cfg.RepeatSeed(1), Accuracy: 0.5, LogLoss: 0.75, MacroF1: 0.5},
		{Repeat: 2, Seed: cfg.RepeatSeed(2), Accuracy: 1, LogLoss: 0.125, MacroF1: 1},
	}
	require.NoError(t, artifact.WriteFile(f.Seeds, func(w io.Writer) error { return artifact.WriteSeeds(w, seeds) }))
	return seeds
}

func TestEvaluateSeeds(t *testing.T) {
	f := pipetest.New(t)
	seeds := writeSeeds(t, f)
	res, out := runEvaluate(f)
	require.NoError(t, res.Err)
	m, err := report.ReadMetrics(filepath.Join(out, "metrics.json"))
	require.NoError(t, err)
	require.NotNil(t, m.Repeats)
	assert.Equal(t, "seeds", m.Repeats.Over)
	assert.Equal(t, []report.Run{
		{Name: "seed 0 (main network)", Accuracy: m.Accuracy.Test, LogLoss: m.LogLoss.Test, MacroF1: m.Test.MacroF1},
		{Name: "seed 1", Accuracy: 0.5, LogLoss: 0.75, MacroF1: 0.5},
		{Name: "seed 2", Accuracy: 1, LogLoss: 0.125, MacroF1: 1}}, m.Repeats.Runs)
	want, err := report.MeanStd([]float64{float64(seeds[0].Accuracy), 0.5, 1})
	require.NoError(t, err)
	assert.Equal(t, want, m.Repeats.Accuracy)
	assert.Equal(t, 3, m.Repeats.Accuracy.N)
	page := read(t, filepath.Join(out, "README.md"))
	assert.Contains(t, page, "### Across seeds")
	assert.Contains(t, page, "| seed 2 | 1.0000 | 0.1250 | 1.0000 |")
	assert.Contains(t, page, "over 3 seeds: accuracy ")
	assert.Contains(t, page, "| `training.repeats` | `3` |")
}

func TestEvaluateSeedsMismatch(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix, seeds []artifact.Seed) []artifact.Seed
		want  string
	}{
		{"fewer rows than repeats", func(t *testing.T, f *pipetest.Fix, seeds []artifact.Seed) []artifact.Seed {
			return seeds[:2]
		}, "seeds.csv has 2 rows, but " + "%s sets training.repeats = 3 (3 rows); were they written by the same train run?"},
		{"rows for a single network", func(t *testing.T, f *pipetest.Fix, seeds []artifact.Seed) []artifact.Seed {
			pipetest.Write(t, f.Config, pipetest.Experiment(""))
			return seeds
		}, "seeds.csv has 3 rows, but %s sets training.repeats = 1 (0 rows)"},
		{"another experiment's seed", func(t *testing.T, f *pipetest.Fix, seeds []artifact.Seed) []artifact.Seed {
			seeds[1].Seed++
			return seeds
		}, "seeds.csv:3: seed is "},
		{"another network's result", func(t *testing.T, f *pipetest.Fix, seeds []artifact.Seed) []artifact.Seed {
			seeds[0].LogLoss = artifact.Float64(math.Nextafter(float64(seeds[0].LogLoss), 1))
			return seeds
		}, "seeds.csv:2: the main network's test log_loss is "},
		{"folds as well", func(t *testing.T, f *pipetest.Fix, seeds []artifact.Seed) []artifact.Seed {
			pipetest.Write(t, f.Folds, strings.Join(artifact.FoldHeader, ",")+"\n0,12,12,1,0.5,1\n1,12,12,1,0.5,1\n")
			return seeds
		}, "%s: training.repeats = 3, but the folds file has 2 folds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			seeds := tc.spoil(t, f, writeSeeds(t, f))
			require.NoError(t, artifact.WriteFile(f.Seeds, func(w io.Writer) error { return artifact.WriteSeeds(w, seeds) }))
			res, out := runEvaluate(f)
			require.Error(t, res.Err)
			assert.Equal(t, 1, res.Code)
			want := tc.want
			if strings.Contains(want, "%s") {
				want = fmt.Sprintf(want, f.Config)
			}
			assert.Contains(t, res.Err.Error(), want)
			_, err := os.Stat(out)
			assert.ErrorIs(t, err, os.ErrNotExist)
		})
	}
}

func TestEvaluateRegionsSetting(t *testing.T) {
	f := pipetest.New(t)
	pipetest.Write(t, f.Config, pipetest.Experiment("\n[report]\nregions = [\"width\", \"length\"]\n"))
	res, out := runEvaluate(f)
	require.NoError(t, res.Err)
	doc := parseSVG(t, filepath.Join(out, "regions.svg"))
	assert.Contains(t, doc.Texts, "Decision regions, width vs length")
	assert.Contains(t, read(t, filepath.Join(out, "README.md")), "| `report.regions` | `[\"width\", \"length\"]` |")
}

// TestEvaluateOneFeature runs evaluate on data sets of a single feature,
// and on a look along one feature of two: regions.svg is then the
// one-dimensional decision plot.
func TestEvaluateOneFeature(t *testing.T) {
	oneD := "bands: predicted class; curves: class probabilities; below: the rows"
	tests := []struct {
		name     string
		fix      func(t *testing.T) *pipetest.Fix
		config   string
		texts    []string
		alt      string
		noFixed  bool
		noRegion bool
	}{
		{"one feature", pipetest.NewOneFeature, pipetest.ExperimentOneFeature(""),
			[]string{"Decision regions over length", oneD}, "Decision regions over length: the predicted class as coloured bands, " +
				"each class's probability as a curve, all 30 rows below in one lane per class](regions.svg)", true, true},
		{"one feature named", pipetest.NewOneFeature, pipetest.ExperimentOneFeature("\n[report]\nregions = [\"length\"]\n"),
			[]string{"Decision regions over length", oneD}, "Decision regions over length: the predicted class as coloured bands, " +
				"each class's probability as a curve, all 30 rows below in one lane per class](regions.svg)", true, false},
		{"one feature of two", pipetest.New, pipetest.Experiment("\n[report]\nregions = [\"width\"]\n"),
			[]string{"Decision regions over width", oneD, "at training means: length 3.65"},
			"all 30 rows below in one lane per class; the other features are held at their training means, " +
				"so a point whose other features are far from them can sit in another class's band](regions.svg)", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fix(t)
			pipetest.Write(t, f.Config, tc.config)
			res, out := runEvaluate(f)
			require.NoError(t, res.Err, res.Stderr)
			doc := parseSVG(t, filepath.Join(out, "regions.svg"))
			feature := strings.TrimPrefix(tc.texts[0], "Decision regions over ")
			for _, s := range append(tc.texts, feature, "probability", "0", "0.2", "0.8", "1", "a", "b", "c") {
				assert.Contains(t, doc.Texts, s)
			}
			for c, colour := range []string{"#0072B2", "#E69F00", "#009E73"} {
				// One probability curve per class, and its legend line.
				assert.Equal(t, 2, doc.Strokes(colour), "class %d curve", c)
				// 10 rows per class, each a glyph in the class colour;
				// one more in the legend.
				assert.Equal(t, 11, doc.Fills(colour), "class %d glyphs", c)
			}
			page := read(t, filepath.Join(out, "README.md"))
			assert.Contains(t, page, tc.alt)
			if tc.noFixed {
				assert.NotContains(t, page, "training means")
				assert.NotContains(t, strings.Join(doc.Texts, "\n"), "training means")
			}
			if tc.noRegion {
				assert.NotContains(t, page, "report.regions` | `[\"")
			}

			// The same inputs give the same bytes.
			first := read(t, filepath.Join(out, "regions.svg"))
			res, _ = runEvaluate(f)
			require.NoError(t, res.Err)
			assert.Equal(t, first, read(t, filepath.Join(out, "regions.svg")))
		})
	}
}

// TestEvaluateRegionsOfOneFeature checks that report.regions naming two
// features is a config error naming the file, the line and the key on a
// data set of one: from the experiment file alone when it lists the
// columns, from the data set's schema when only its header row names them.
func TestEvaluateRegionsOfOneFeature(t *testing.T) {
	tests := []struct {
		name, config, want string
	}{
		{"uci columns", pipetest.ExperimentOneFeature("\n[report]\nregions = [\"length\", \"width\"]\n"),
			`%s:25: report.regions: names 2 features, but the data set has only 1 ("length"); ` +
				"name it alone, or leave report.regions out, for a one-dimensional plot"},
		{"header row", "description = \"fixture\"\nseed = 3\n[data]\npath = \"raw.csv\"\n[model]\nhidden = [4]\n" +
			"[training]\nepochs = 3\nbatch_size = 4\n[report]\nregions = [\"length\", \"width\"]\n",
			`%s:11: report.regions: names 2 features, but the data set has only 1 (["length"]); ` +
				"name one, or leave report.regions out, for a one-dimensional plot"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.NewOneFeature(t)
			pipetest.Write(t, f.Config, tc.config)
			res, out := runEvaluate(f)
			require.Error(t, res.Err)
			assert.Equal(t, 2, res.Code, "a config error")
			var ce *config.Error
			assert.ErrorAs(t, res.Err, &ce)
			assert.Contains(t, res.Err.Error(), fmt.Sprintf(tc.want, f.Config))
			_, err := os.Stat(out)
			assert.ErrorIs(t, err, os.ErrNotExist, "no output folder, so no output left behind")
		})
	}
}

func TestSeparating(t *testing.T) {
	// Feature 2 splits the classes cleanly, feature 0 somewhat, feature 1
	// not at all, feature 3 is constant.
	tab := &dataset.Table{Features: []string{"f0", "f1", "f2", "f3"}, Rows: []int{0, 1, 2, 3, 4, 5},
		X: []float32{
			0, 1, 0, 7,
			1, 2, 0, 7,
			2, 3, 0, 7,
			2, 1, 5, 7,
			3, 2, 5, 7,
			1, 3, 5, 7,
		}, Y: []int{0, 0, 0, 1, 1, 1}}
	assert.Equal(t, [2]int{0, 2}, separating(tab, 2))
	// All-equal F (every feature constant) keeps the first two.
	tab.X = make([]float32, 24)
	assert.Equal(t, [2]int{0, 1}, separating(tab, 2))
}

func TestEvaluateBadInput(t *testing.T) {
	otherNetwork := func(sizes []int) func(t *testing.T, f *pipetest.Fix) {
		return func(t *testing.T, f *pipetest.Fix) {
			s, err := nn.NewMLP[float32](sizes, nn.ReLU, rng.New(1))
			require.NoError(t, err)
			b, err := finf.Marshal(nn.ToFINF(s, nil))
			require.NoError(t, err)
			pipetest.Write(t, f.Network, string(b))
		}
	}
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		code  int
		want  string
	}{
		{"missing network", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Network)) }, 1,
			"network.finf: no such file"},
		{"network is not FINF", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Network, "GIF89a not a model") }, 1,
			"network.finf: "},
		{"truncated network", func(t *testing.T, f *pipetest.Fix) {
			b, err := os.ReadFile(f.Network)
			require.NoError(t, err)
			pipetest.Write(t, f.Network, string(b[:len(b)-3]))
		}, 1, "network.finf: "},
		{"network of another shape", otherNetwork([]int{5, 4, 3}), 1,
			"the network maps 5 inputs to 3 outputs; the data set has 2 features and 3 classes"},
		{"network of another architecture", otherNetwork([]int{2, 6, 3}), 1,
			"network.finf: the network is 2-6 relu-3 softmax but "},
		{"normaliser of another run", func(t *testing.T, f *pipetest.Fix) {
			b, err := json.Marshal(dataset.NewNormalizer([]string{"length", "width"}, []float32{3, 2.5}, []float32{1.5, 0.75}))
			require.NoError(t, err)
			pipetest.Write(t, f.Normalizer, string(b))
		}, 1, "normalizer.json does not match "},
		{"normaliser of other features", func(t *testing.T, f *pipetest.Fix) {
			b, err := json.Marshal(dataset.NewNormalizer([]string{"length", "height"}, []float32{3, 2.5}, []float32{1.5, 0.75}))
			require.NoError(t, err)
			pipetest.Write(t, f.Normalizer, string(b))
		}, 1, `normalizer.json: statistics for 2 features ["length" "height"]`},
		{"partition of another data set", func(t *testing.T, f *pipetest.Fix) {
			b, err := os.ReadFile(f.Test)
			require.NoError(t, err)
			pipetest.Write(t, f.Test, string(bytes.Replace(b, []byte("\n0,"), []byte("\n99,"), 1)))
		}, 1, "test.csv: row 99 is not a row of the data set (30 rows)"},
		{"missing log", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Log)) }, 1, "no such file"},
		{"folds out of order", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Folds, strings.Join(artifact.FoldHeader, ",")+"\n1,12,12,1,0.5,1\n")
		}, 1, "folds.csv:2: fold is 1, want 0"},
		{"missing seeds file", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Seeds)) }, 1,
			"seeds.csv: no such file"},
		{"malformed seeds file", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Seeds, strings.Join(artifact.SeedHeader, ",")+"\n0,12,high,0.5,1\n")
		}, 1, "seeds.csv:2:3: "},
		{"seeds file with the folds' header", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Seeds, strings.Join(artifact.FoldHeader, ",")+"\n")
		}, 1, `seeds.csv:1: header is "fold,train_rows,held_out_rows,accuracy,log_loss,macro_f1", want "repeat,seed,accuracy,log_loss,macro_f1"`},
		{"seeds out of order", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Seeds, strings.Join(artifact.SeedHeader, ",")+"\n1,12,1,0.5,1\n")
		}, 1, "seeds.csv:2: repeat is 1, want 0"},
		{"typo in a key", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "[model]", "[modle]", 1))
		}, 2, `unknown key; did you mean "model"?`},
		{"region feature not in the data", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, pipetest.Experiment("\n[report]\nregions = [\"width\", \"depth\"]\n"))
		}, 2, `report.regions: "depth" is not one of data.columns`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			tc.spoil(t, f)
			res, out := runEvaluate(f)
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			_, err := os.Stat(out)
			assert.ErrorIs(t, err, os.ErrNotExist, "no output folder, so no output left behind")
		})
	}
}

// TestEvaluateReportsTheFirstBadPartition: with every partition bad (no
// rows), the error names the train rows, the first in order, on every run.
func TestEvaluateReportsTheFirstBadPartition(t *testing.T) {
	f := pipetest.New(t)
	cfg, err := config.Load(f.Config)
	require.NoError(t, err)
	schema, err := dataset.ReadSchema(f.Schema)
	require.NoError(t, err)
	data, err := dataset.ReadTable(f.Data, schema.FeatureNames(), len(schema.Classes))
	require.NoError(t, err)
	model, err := artifact.ReadNetwork(f.Network, 2, 3)
	require.NoError(t, err)
	empty := &dataset.Table{Features: data.Features}
	in := &inputs{cfg: cfg, schema: schema, data: data, model: model,
		norm:  &nn.Normalizer[float32]{Mean: []float32{0, 0}, Std: []float32{1, 1}},
		parts: map[string]*dataset.Table{dataset.Train: empty, dataset.Validation: empty, dataset.Test: empty}}
	for range 30 { // a map's order would name another partition within a few runs
		_, _, err := evaluate(in, f.Network)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "evaluate on the train rows: "), err.Error())
	}
}

func TestGradCheckNote(t *testing.T) {
	pass := nn.GradCheckRow{Name: "layer 0 linear 2x4 weight", Size: 8, MaxRelErr: 1e-9}
	fail := nn.GradCheckRow{Name: "layer 0 linear 2x4 bias", Size: 4, MaxRelErr: 0.2}
	tests := []struct {
		name   string
		checks []gradCheck
		want   []string
		not    []string
	}{
		{"all pass", []gradCheck{{"initialisation", []nn.GradCheckRow{pass}, 0.01}, {"after training", []nn.GradCheckRow{pass}, 0.02}},
			[]string{"1.00e-02 at initialisation and 2.00e-02 after training"}, []string{"fail"}},
		{"fails at a kink", []gradCheck{{"after training", []nn.GradCheckRow{pass, fail}, 3e-7}},
			[]string{"**After training, 1 of 2 tensors fail** (layer 0 linear 2x4 bias)", "lies 3.00e-07 from a ReLU kink",
				"most likely the check's"}, []string{"bug"}},
		{"fails away from kinks", []gradCheck{{"initialisation", []nn.GradCheckRow{fail}, 0.5}},
			[]string{"**At initialisation, 1 of 1 tensors fail**", "bug in the engine's backward pass"}, []string{"most likely"}},
		{"no ReLU", []gradCheck{{"initialisation", []nn.GradCheckRow{fail}, math.NaN()}},
			[]string{"bug in the engine's backward pass"}, []string{"ReLU has a kink"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &gradResults{sample: make([]int, 16), checks: tc.checks}
			note := g.note()
			for _, s := range tc.want {
				assert.Contains(t, note, s)
			}
			for _, s := range tc.not {
				assert.NotContains(t, note, s)
			}
			f := g.file()
			for i, c := range f.Checks {
				assert.Equal(t, !slices.ContainsFunc(tc.checks[i].rows, func(r nn.GradCheckRow) bool { return !passes(r) }), c.Pass)
			}
		})
	}
}
