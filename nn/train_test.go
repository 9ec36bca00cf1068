package nn

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestIrisAccuracyAndTextbookSamples(t *testing.T) {
	run := trainIris(t, 500)
	stats, err := Evaluate(run.model, run.z, run.y)
	require.NoError(t, err)
	t.Logf("all 150 rows: loss %.4f, accuracy %.4f", stats.Loss, stats.Accuracy)
	assert.GreaterOrEqual(t, stats.Accuracy, 0.98)

	p, err := NewPredictor(run.model, run.norm)
	require.NoError(t, err)
	for _, tc := range []struct {
		x    []float32
		want int
	}{
		{[]float32{5.1, 3.5, 1.4, 0.2}, 0},
		{[]float32{5.7, 2.8, 4.1, 1.3}, 1},
		{[]float32{6.3, 3.3, 6.0, 2.5}, 2},
	} {
		probs := p.Predict(tc.x)
		assert.Equal(t, irisClasses[tc.want], irisClasses[argmax(probs)], "sample %v: %v", tc.x, probs)
	}
}

func TestTrainingIsBitReproducible(t *testing.T) {
	a := trainIris(t, 50)
	b := trainIris(t, 50)
	fa, err := finf.Marshal(ToFINF(a.model, a.norm))
	require.NoError(t, err)
	fb, err := finf.Marshal(ToFINF(b.model, b.norm))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(fa, fb), "two runs with one seed must write identical FINF bytes")

	// And the FINF file round-trips into a network with the same outputs.
	m, err := finf.Read(fa)
	require.NoError(t, err)
	s, n, err := FromFINF(m)
	require.NoError(t, err)
	p1, err := NewPredictor(a.model, a.norm)
	require.NoError(t, err)
	p2, err := NewPredictor(s, n)
	require.NoError(t, err)
	x := []float32{6.1, 2.8, 4.7, 1.2}
	assert.Equal(t, bitsOf(p1.Predict(x)), bitsOf(p2.Predict(x)))
}

func bitsOf(x []float32) []uint32 {
	out := make([]uint32, len(x))
	for i, v := range x {
		out[i] = math.Float32bits(v)
	}
	return out
}

// TestGoldenPredictions pins the bit patterns of the reference network's
// class probabilities on all 150 rows. The golden file is made natively
// (go test -run TestGoldenPredictions -update); the same test runs under
// GOOS=js GOARCH=wasm, which proves native and browser builds agree bit for
// bit.
func TestGoldenPredictions(t *testing.T) {
	run := trainIris(t, 100)
	x, _ := loadIris(t)
	p, err := NewPredictor(run.model, run.norm)
	require.NoError(t, err)
	var buf bytes.Buffer
	buf.WriteString("# row: float32 bits of p(setosa) p(versicolor) p(virginica), 4-32-3 ReLU, seed 42, 100 epochs\n")
	for r := 0; r < len(run.y); r++ {
		probs := p.Predict(x[r*4 : (r+1)*4])
		fmt.Fprintf(&buf, "%d:", r)
		for _, v := range probs {
			fmt.Fprintf(&buf, " %08x", math.Float32bits(v))
		}
		buf.WriteByte('\n')
	}
	const path = "testdata/iris_predictions.golden"
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(want, buf.Bytes()) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(buf.String(), "\n")
		for i := range min(len(wl), len(gl)) {
			if wl[i] != gl[i] {
				t.Fatalf("line %d differs:\nwant %s\ngot  %s", i+1, wl[i], gl[i])
			}
		}
		t.Fatalf("golden file has %d lines, output %d", len(wl), len(gl))
	}
}

func TestTrainerErrors(t *testing.T) {
	r := rng.New(1)
	s, err := NewMLP[float32]([]int{2, 3}, ReLU, r)
	require.NoError(t, err)
	_, err = NewTrainer(s, OptimizerConfig{Name: "sgd", LR: 0.1}, 0)
	assert.ErrorContains(t, err, "batch size 0")
	noSoftmax := &Sequential[float32]{Layers: s.Layers[:1]}
	_, err = NewTrainer(noSoftmax, OptimizerConfig{Name: "sgd", LR: 0.1}, 4)
	assert.ErrorContains(t, err, "must end in a softmax")

	tr, err := NewTrainer(s, OptimizerConfig{Name: "sgd", LR: 0.1}, 4)
	require.NoError(t, err)
	_, err = tr.Epoch([]float32{1, 2, 3}, []int{0, 1}, r)
	assert.ErrorIs(t, err, ErrShape)
	_, err = tr.Epoch([]float32{1, 2}, []int{5}, r)
	assert.ErrorContains(t, err, "label 5 outside [0, 3)")
	_, err = tr.Step(make([]float32, 10), make([]int, 5))
	assert.ErrorContains(t, err, "exceed the batch size 4")

	_, err = NewMLP[float32]([]int{2}, ReLU, r)
	assert.Error(t, err)
	_, err = NewMLP[float32]([]int{2, 0, 3}, ReLU, r)
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewMLP[float32]([]int{2, 3, 3}, Softmax, r)
	assert.ErrorContains(t, err, "hidden activation softmax is not allowed")
}

func TestDivergenceIsReported(t *testing.T) {
	r := rng.New(3)
	s, err := NewMLP[float32]([]int{2, 4, 2}, Identity, r)
	require.NoError(t, err)
	tr, err := NewTrainer(s, OptimizerConfig{Name: "sgd", LR: 1e30}, 2)
	require.NoError(t, err)
	x := []float32{1e3, -1e3, -2e3, 5e2}
	y := []int{0, 1}
	for e := 0; e < 20; e++ {
		if _, err = tr.Epoch(x, y, r); err != nil {
			break
		}
	}
	assert.ErrorIs(t, err, ErrNonFinite)
}

func TestStepLowersLoss(t *testing.T) {
	for _, opt := range []OptimizerConfig{{Name: "sgd", LR: 0.1, Momentum: 0.9}, {Name: "adam", LR: 0.01}} {
		t.Run(opt.Name, func(t *testing.T) {
			run := trainIris(t, 0)
			tr, err := NewTrainer(run.model, opt, 150)
			require.NoError(t, err)
			first, err := tr.Step(run.z, run.y)
			require.NoError(t, err)
			var last float64
			for i := 0; i < 30; i++ {
				last, err = tr.Step(run.z, run.y)
				require.NoError(t, err)
			}
			assert.Less(t, last, first/2)
		})
	}
}
