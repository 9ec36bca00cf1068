package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// experiment mirrors the shape of config.Config for the Flatten tests.
type experiment struct {
	File        string `toml:"-"`
	Description string `toml:"description"`
	Seed        int64  `toml:"seed"`
	Data        struct {
		Path  string            `toml:"path"`
		Units map[string]string `toml:"units"`
	} `toml:"data"`
	Model struct {
		Hidden     []int  `toml:"hidden"`
		Activation string `toml:"activation"`
	} `toml:"model"`
	Optimizer struct {
		Name string  `toml:"name"`
		LR   float64 `toml:"lr"`
	} `toml:"optimizer"`
	Note  *string `json:"note"`
	inner int
}

func baselineConfig() experiment {
	var e experiment
	e.File = "/abs/path/must/not/appear.toml"
	e.Description = "Does the 4-32-3 | ReLU network `work`?"
	e.Seed = 1
	e.Data.Path = "../data/raw/iris.data"
	e.Data.Units = map[string]string{"sepal_width": "cm", "petal_length": "cm", "petal_width": "cm", "sepal_length": "cm"}
	e.Model.Hidden = []int{32}
	e.Model.Activation = "relu"
	e.Optimizer.Name = "sgd"
	e.Optimizer.LR = 0.05
	return e
}

func TestFlatten(t *testing.T) {
	e := baselineConfig()
	want := []Setting{
		{"description", `"Does the 4-32-3 | ReLU network ` + "`work`" + `?"`},
		{"seed", "1"},
		{"data.path", `"../data/raw/iris.data"`},
		{"data.units", `{petal_length = "cm", petal_width = "cm", sepal_length = "cm", sepal_width = "cm"}`},
		{"model.hidden", "[32]"},
		{"model.activation", `"relu"`},
		{"optimizer.name", `"sgd"`},
		{"optimizer.lr", "0.05"},
	}
	assert.Equal(t, want, Flatten(&e))
	assert.Equal(t, want, Flatten(e))
	for range 20 { // map order must not leak
		assert.Equal(t, want[3], Flatten(e)[3])
	}
	assert.Nil(t, Flatten((*experiment)(nil)))
}

func samplePage(t *testing.T) *Page {
	e := baselineConfig()
	return &Page{
		Description: e.Description,
		Settings:    Flatten(e),
		Features:    []string{"sepal_length (cm)", "sepal_width (cm)", "petal_length (cm)", "petal_width (cm)"},
		Metrics:     sampleMetrics(t),
		Figures: []Figure{
			{"Loss per epoch", "loss.svg"},
			{"Confusion matrix, test rows", "confusion.svg"},
		},
		GradChecks: []GradCheck{
			{Stage: "initialisation", Threshold: 1e-6, Rows: []nn.GradCheckRow{
				{Name: "layer 0 linear 4x32 weight", Size: 128, MaxAbsErr: 3.1e-11, MaxRelErr: 2.5e-9},
				{Name: "loss logits", Size: 9, MaxAbsErr: 1e-12, MaxRelErr: 4e-10},
			}},
			{Stage: "after training", Threshold: 1e-6, Rows: []nn.GradCheckRow{
				{Name: "layer 0 linear 4x32 weight", Size: 128, MaxAbsErr: 2e-7, MaxRelErr: 3e-6},
			}},
		},
		GradCheckNote: "Step eps = 1e-06 on the first 16 training rows.",
	}
}

func TestWritePageGolden(t *testing.T) {
	p := samplePage(t)
	var a, b bytes.Buffer
	require.NoError(t, WritePage(&a, p))
	require.NoError(t, WritePage(&b, p))
	assert.Equal(t, a.String(), b.String())
	golden(t, "page.golden.md", a.Bytes())

	s := a.String()
	for _, want := range []string{
		"# Experiment hand",
		"| SHA-256 | `00ff` |",
		"| parameters | 131 |",
		"| model file | 640 bytes (FINF v2) |",
		"| accuracy | 1.0000 | 1.0000 | 0.7500 | 0.7500 |",
		"| b | 4 | 0.4000 | 0.5000 | 0.4444 |",
		"| **c** | 0 | 2 | **8** |",
		"![Loss per epoch](loss.svg)",
		"| initialisation | layer 0 linear 4x32 weight | 128 | 3.10e-11 | 2.50e-09 | 1.00e-06 | pass |",
		"| after training | layer 0 linear 4x32 weight | 128 | 2.00e-07 | 3.00e-06 | 1.00e-06 | **FAIL** |",
		"| **mean ± std** | 0.9500 ± 0.0500 |",
		"`` \"Does the 4-32-3 \\| ReLU network `work`?\" ``",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "/abs/path", "toml:\"-\" fields are left out")

	assert.ErrorContains(t, WritePage(&a, &Page{}), "no metrics")
}

// TestWritePageFolds: a page with folds labels them as cross-validation
// on held-out train and validation rows, apart from the test figures; a
// class absent from the test rows and the predictions is marked and left
// out of the macro average.
func TestWritePageFolds(t *testing.T) {
	p := samplePage(t)
	m := p.Metrics
	var err error
	m.Repeats, err = NewRepeats("folds", []Run{{Name: "fold 0", Accuracy: 1, LogLoss: 0.1, MacroF1: 1},
		{Name: "fold 1", Accuracy: 0.9, LogLoss: 0.3, MacroF1: 0.9}})
	require.NoError(t, err)
	m.Classes = append(m.Classes, "d")
	m.Test, err = Score(m.Classes, []int{0, 0, 1, 2}, []int{0, 1, 1, 2})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WritePage(&b, p))
	s := b.String()
	for _, want := range []string{
		"Test accuracy **0.7500**, macro F1 **0.7778** on 20 test rows; 2-fold cross-validation (held-out train and validation rows, not the test rows): accuracy 0.9500 ± 0.0707",
		"### Cross-validation across folds (held-out rows)",
		"these are cross-validation figures, not test figures",
		"| d (absent) | 0 | - | - | - |",
		"| **macro average** | 20 | | | 0.7778 |",
		"the macro average leaves it out",
	} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "Across folds")
}

func TestWriteIndexGolden(t *testing.T) {
	m := sampleMetrics(t)
	m.Repeats = nil
	hand := m.Summary()
	hand.Architecture, hand.Optimizer, hand.Settings, hand.Page = Architecture(4, nil, 3, ""), "adam lr 0.01", "100 epochs", "hand/README.md"
	rows := []Summary{
		{Experiment: "wide", Dataset: "iris.data", Architecture: Architecture(4, []int{64}, 3, "relu"),
			Optimizer: "sgd lr 0.05 momentum 0.9", Settings: "200 epochs, batch 16", Parameters: 515, ModelBytes: 2200,
			TestAccuracy: Spread{Mean: 0.9666666666666667, N: 1}, TestLogLoss: Spread{Mean: 0.2, N: 1},
			MacroF1: 0.9665831244778613, Page: "wide/README.md"},
		{Experiment: "baseline", Dataset: "iris.data", Architecture: Architecture(4, []int{32}, 3, "relu"),
			Optimizer: "sgd lr 0.05 momentum 0.9", Settings: "200 epochs, batch 16", Parameters: 259, ModelBytes: 1180,
			TestAccuracy: Spread{Mean: 0.9666666666666667, N: 1}, TestLogLoss: Spread{Mean: 0.2, N: 1},
			MacroF1: 0.9665831244778613, Page: "baseline/README.md"},
		{Experiment: "seeds", Dataset: "iris.data", Architecture: "4-32-3 relu", Optimizer: "sgd", Settings: "5 seeds",
			Parameters: 259, ModelBytes: 1180, TestAccuracy: Spread{Mean: 0.96, Std: 0.0149, N: 5},
			TestLogLoss: Spread{Mean: 0.25, Std: 0.0125, N: 5}, MacroF1: 0.9599},
		{Experiment: "cv5", Dataset: "iris.data", Architecture: "4-32-3 relu", Optimizer: "sgd", Settings: "5 folds",
			Parameters: 259, ModelBytes: 1180, TestAccuracy: Spread{Mean: 0.9333333333333333, N: 1},
			TestLogLoss: Spread{Mean: 0.15, N: 1}, MacroF1: 0.9326599326599326,
			CVAccuracy: Spread{Mean: 0.99, Std: 0.0224, N: 5}},
		hand,
	}
	var a bytes.Buffer
	require.NoError(t, WriteIndex(&a, Index{Summaries: rows, Figures: []Figure{{"Validation loss, iris.data", "iris.data.svg"}}}))
	golden(t, "index.golden.md", a.Bytes())
	s := a.String()
	// baseline ties wide on accuracy, F1 and log loss and wins on model size.
	assert.Contains(t, s, "| ★ **[baseline](baseline/README.md)** | iris.data | 4-32-3 relu |")
	assert.Contains(t, s, "| ★ **[hand](hand/README.md)** | hand.csv | 4-3 softmax regression |")
	assert.Contains(t, s, "| 0.9600 ± 0.0149 (n=5) | 0.2500 ± 0.0125 |")
	// cv5's folds score 0.99, but they are no test rows: it does not win.
	assert.Contains(t, s, "| cv5 | iris.data | 4-32-3 relu | sgd | 5 folds | 259 | 0.9333 | 0.1500 | 0.9327 | 0.9900 ± 0.0224 (5 folds) | 1180 |")
	assert.Equal(t, 2, strings.Count(s, "★ **"), "one best per data set")
	assert.Less(t, strings.Index(s, "[hand]"), strings.Index(s, "[baseline]"), "hand.csv sorts before iris.data")
}

// TestSummaryRepeats: repeats over seeds are test figures and fill the
// test columns; repeats over folds are held-out train and validation rows,
// so the test columns keep the main network's test figures and the folds
// go to the cross-validation column only.
func TestSummaryRepeats(t *testing.T) {
	seeds := sampleMetrics(t) // test accuracy 0.75; seeds 0.9, 1, 0.95
	folds := sampleMetrics(t)
	var err error
	folds.Repeats, err = NewRepeats("folds", []Run{
		{Name: "fold 0", Accuracy: 1, LogLoss: 0.01, MacroF1: 1},
		{Name: "fold 1", Accuracy: 0.9, LogLoss: 0.3, MacroF1: 0.9},
	})
	require.NoError(t, err)
	single := sampleMetrics(t)
	single.Repeats = nil

	tests := []struct {
		name          string
		m             *Metrics
		acc, loss, cv Spread
		macroF1       float64
	}{
		{"seeds", seeds, seeds.Repeats.Accuracy, seeds.Repeats.LogLoss, Spread{}, float64(seeds.Repeats.MacroF1.Mean)},
		{"folds", folds, Spread{Mean: 0.75, N: 1}, Spread{Mean: folds.LogLoss.Test, N: 1}, folds.Repeats.Accuracy,
			float64(folds.Test.MacroF1)},
		{"single", single, Spread{Mean: 0.75, N: 1}, Spread{Mean: single.LogLoss.Test, N: 1}, Spread{},
			float64(single.Test.MacroF1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.m.Summary()
			assert.Equal(t, tc.acc, s.TestAccuracy)
			assert.Equal(t, tc.loss, s.TestLogLoss)
			assert.Equal(t, tc.cv, s.CVAccuracy)
			assert.Equal(t, tc.macroF1, s.MacroF1)
		})
	}
	// The folds' mean, 0.95, beats the others' test accuracy, but only
	// test figures rank: 0.75 loses to 0.9.
	cv := folds.Summary()
	other := Summary{Experiment: "other", Dataset: cv.Dataset, TestAccuracy: Spread{Mean: 0.9, N: 1},
		TestLogLoss: Spread{Mean: 0.5, N: 1}, MacroF1: 0.9}
	var b bytes.Buffer
	require.NoError(t, WriteIndex(&b, Index{Summaries: []Summary{cv, other}}))
	out := b.String()
	assert.Contains(t, out, "| ★ **other** |")
	assert.Contains(t, out, "| hand | hand.csv |")
	assert.Contains(t, out, "| 0.7500 | 0.7430 | 0.7066 | 0.9500 ± 0.0707 (2 folds) |")
	assert.NotContains(t, out, "(n=2)", "the folds' spread is not in a test column")
	assert.Contains(t, out, "| **0.9000** | 0.5000 | 0.9000 | - |")
}

// TestWriteIndexLogLossBreaksTies: equal accuracy and macro F1, the lower
// test log loss is the better model, whatever its size.
func TestWriteIndexLogLossBreaksTies(t *testing.T) {
	row := func(name string, loss float64, bytes int) Summary {
		return Summary{Experiment: name, Dataset: "iris.data", TestAccuracy: Spread{Mean: 0.9667, N: 1},
			TestLogLoss: Spread{Mean: Float(loss), N: 1}, MacroF1: 0.9666, ModelBytes: bytes}
	}
	var b bytes.Buffer
	require.NoError(t, WriteIndex(&b, Index{Summaries: []Summary{row("small", 0.23, 1154), row("calibrated", 0.10, 5000)}}))
	assert.Contains(t, b.String(), "| ★ **calibrated** |")
	assert.Equal(t, 1, strings.Count(b.String(), "★ **"))
}

func TestCompare(t *testing.T) {
	a := sampleMetrics(t)
	b := sampleMetrics(t)
	b.Experiment = "adam"
	b.Accuracy.Test = 0.8
	b.ModelBytes = 700
	b.Repeats = nil
	ea, eb := baselineConfig(), baselineConfig()
	eb.Optimizer.Name = "adam"
	eb.Optimizer.LR = 0.001
	sa := Side{Name: "hand", Settings: Flatten(ea), Metrics: a}
	sb := Side{Name: "adam", Settings: append(Flatten(eb), Setting{"training.patience", "5"}), Metrics: b}

	var diff, all bytes.Buffer
	require.NoError(t, Compare(&diff, sa, sb, false))
	require.NoError(t, Compare(&all, sa, sb, true))
	golden(t, "compare.golden.txt", diff.Bytes())
	golden(t, "compare_all.golden.txt", all.Bytes())

	lines := strings.Split(diff.String(), "\n")
	assert.Contains(t, lines, `optimizer.name       "sgd"      "adam"  *`)
	assert.Contains(t, lines, `training.patience    -          5       *`)
	assert.Contains(t, diff.String(), "model_bytes")
	assert.Contains(t, diff.String(), "+60")
	assert.Contains(t, diff.String(), "seeds.accuracy.mean")
	assert.NotContains(t, diff.String(), "seed ", "equal settings are hidden")
	assert.Contains(t, all.String(), "seed ")

	var same bytes.Buffer
	require.NoError(t, Compare(&same, sa, sa, false))
	assert.Contains(t, same.String(), "(no setting differs)")
	assert.Contains(t, same.String(), "(no metric differs)")
}

// TestCompareFoldsAgainstSeeds: the folds' spread (held-out train and
// validation rows) and the seeds' (test rows) are different metrics, so
// neither is a change of the other.
func TestCompareFoldsAgainstSeeds(t *testing.T) {
	seeds := sampleMetrics(t)
	folds := sampleMetrics(t)
	folds.Experiment = "cv"
	var err error
	folds.Repeats, err = NewRepeats("folds", []Run{{Name: "fold 0", Accuracy: 1, LogLoss: 0.1, MacroF1: 1},
		{Name: "fold 1", Accuracy: 0.5, LogLoss: 0.9, MacroF1: 0.5}})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, Compare(&b, Side{Name: "seeds", Metrics: seeds}, Side{Name: "cv", Metrics: folds}, false))
	var rows []string
	for _, l := range strings.Split(b.String(), "\n") {
		rows = append(rows, strings.Join(strings.Fields(l), " "))
	}
	assert.Contains(t, rows, "seeds.accuracy.mean 0.95 - -")
	assert.Contains(t, rows, "folds.accuracy.mean - 0.75 -")
}

func TestCompareShortensLongSettings(t *testing.T) {
	assert.Equal(t, "short", shorten("short"))
	long := strings.Repeat("a", maxCell+5)
	assert.Equal(t, strings.Repeat("a", maxCell-1)+"…", shorten(long))
	assert.Equal(t, strings.Repeat("é", maxCell), shorten(strings.Repeat("é", maxCell)), "runes, not bytes")
}
