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
	assert.Equal(t, 2, strings.Count(s, "★ **"), "one best per data set")
	assert.Less(t, strings.Index(s, "[hand]"), strings.Index(s, "[baseline]"), "hand.csv sorts before iris.data")
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
	assert.Contains(t, lines, `optimizer.name         "sgd"      "adam"  *`)
	assert.Contains(t, lines, `training.patience      -          5       *`)
	assert.Contains(t, diff.String(), "model_bytes")
	assert.Contains(t, diff.String(), "+60")
	assert.Contains(t, diff.String(), "repeats.accuracy.mean")
	assert.NotContains(t, diff.String(), "seed ", "equal settings are hidden")
	assert.Contains(t, all.String(), "seed ")

	var same bytes.Buffer
	require.NoError(t, Compare(&same, sa, sa, false))
	assert.Contains(t, same.String(), "(no setting differs)")
	assert.Contains(t, same.String(), "(no metric differs)")
}

func TestCompareShortensLongSettings(t *testing.T) {
	assert.Equal(t, "short", shorten("short"))
	long := strings.Repeat("a", maxCell+5)
	assert.Equal(t, strings.Repeat("a", maxCell-1)+"…", shorten(long))
	assert.Equal(t, strings.Repeat("é", maxCell), shorten(strings.Repeat("é", maxCell)), "runes, not bytes")
}
