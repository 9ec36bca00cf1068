package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

func TestFloatJSON(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{0.95, "0.95"},
		{29.0 / 30, "0.9666666666666667"},
		{1e-5, "1e-05"}, // encoding/json would write 0.00001
		{1.5e21, "1.5e+21"},
		{-2.5, "-2.5"},
		{math.SmallestNonzeroFloat64, "5e-324"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			b, err := Float(tc.x).MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(b))
			var back Float
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, math.Float64bits(tc.x), math.Float64bits(float64(back)))
		})
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := Float(x).MarshalJSON()
		assert.ErrorIs(t, err, ErrNotFinite)
	}
}

// sampleMetrics is the metrics of the hand-computed case as test rows.
func sampleMetrics(t *testing.T) *Metrics {
	t.Helper()
	classes, truth, pred := handCase()
	prob := make([]float64, 0, 3*len(pred))
	for _, p := range pred {
		row := []float64{0.1, 0.1, 0.1}
		row[p] = 0.8
		prob = append(prob, row...)
	}
	test, err := Evaluate(classes, prob, truth)
	require.NoError(t, err)
	train, err := Evaluate(classes, []float32{0.9, 0.05, 0.05, 0.2, 0.7, 0.1}, []int{0, 1})
	require.NoError(t, err)
	m := &Metrics{Experiment: "hand", Dataset: "hand.csv", SHA256: "00ff", Classes: classes,
		Parameters: 131, ModelBytes: 640, Epochs: 3}
	m.SetResults(train, train, test, test)
	m.Repeats, err = NewRepeats("seeds", []Run{
		{Name: "seed 1", Accuracy: 0.9, LogLoss: 0.3, MacroF1: 0.85},
		{Name: "seed 2", Accuracy: 1, LogLoss: 0.1, MacroF1: 1},
		{Name: "seed 3", Accuracy: 0.95, LogLoss: 0.2, MacroF1: 0.9},
	})
	require.NoError(t, err)
	return m
}

func TestEvaluate(t *testing.T) {
	m := sampleMetrics(t)
	assert.Equal(t, Float(0.75), m.Accuracy.Test)
	assert.Equal(t, Float(1), m.Accuracy.Train)
	assert.Equal(t, [][]int{{5, 1, 0}, {1, 2, 1}, {0, 2, 8}}, m.Test.Confusion)
	// Right rows have p = .8 at the true class, wrong ones .1:
	// -(15 ln .8 + 5 ln .1)/20 = (15*.223144 + 5*2.302585)/20 = .743004
	assert.InDelta(t, .743004, float64(m.LogLoss.Test), handTol)
	assert.Equal(t, 20, m.Rows.Test)

	_, err := Evaluate([]string{"a", "b"}, []float32{float32(math.NaN()), 1}, []int{0})
	assert.ErrorContains(t, err, "row 0 class 0: probability is NaN")
	_, err = Evaluate([]string{"a", "b"}, []float32{0.5, 0.5}, []int{0})
	require.NoError(t, err, "a tie picks the first class")
}

func TestWriteMetricsGolden(t *testing.T) {
	m := sampleMetrics(t)
	var a, b bytes.Buffer
	require.NoError(t, WriteMetrics(&a, m))
	require.NoError(t, WriteMetrics(&b, m))
	assert.Equal(t, a.Bytes(), b.Bytes())
	golden(t, "metrics.golden.json", a.Bytes())

	path := filepath.Join(t.TempDir(), "metrics.json")
	require.NoError(t, os.WriteFile(path, a.Bytes(), 0o644))
	back, err := ReadMetrics(path)
	require.NoError(t, err)
	assert.Equal(t, m, back)
}

func TestWriteMetricsRejectsNaN(t *testing.T) {
	m := sampleMetrics(t)
	m.LogLoss.All = Float(math.Inf(1))
	var buf bytes.Buffer
	err := WriteMetrics(&buf, m)
	assert.ErrorIs(t, err, ErrNotFinite)
	assert.Zero(t, buf.Len(), "nothing written")
}

func TestReadMetricsErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"unknown key", "{\n  \"experiment\": \"x\",\n  \"colour\": 1\n}\n", "m.json:3: json: unknown field \"colour\""},
		{"syntax", "{\n  \"experiment\": \"x\",\n  ]\n", "m.json:3:"},
		{"type", "{\n\"epochs\": \"many\"\n}", "m.json:2:"},
		{"trailing", "{}\n{}\n", "m.json:2: data after the JSON value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o644))
			_, err := ReadMetrics(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestMeasure: Measure is Evaluate of the network's own forward pass.
func TestMeasure(t *testing.T) {
	model, err := nn.NewMLP[float32]([]int{2, 4, 3}, nn.Tanh, rng.New(5))
	require.NoError(t, err)
	x := []float32{0.5, -1, 1.5, 0.25, -0.75, 2, 0, 0}
	y := []int{0, 2, 1, 1}
	out, err := model.Forward(nn.Tensor[float32]{Shape: []int{4, 2}, Data: x})
	require.NoError(t, err)
	want, err := Evaluate([]string{"a", "b", "c"}, out.Data, y)
	require.NoError(t, err)
	got, err := Measure(model, []string{"a", "b", "c"}, x, y)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	_, err = Measure(model, []string{"a", "b", "c"}, x[:7], y)
	assert.ErrorContains(t, err, "measure: shape mismatch")
}
