package nn

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

var irisClasses = []string{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}

// loadIris reads the committed UCI file. nn itself does no I/O; its tests
// may.
func loadIris(t testing.TB) (x []float32, y []int) {
	t.Helper()
	f, err := os.Open("../data/raw/iris.data")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		require.Len(t, fields, 5, "line %d", line)
		for _, s := range fields[:4] {
			v, err := strconv.ParseFloat(s, 32)
			require.NoError(t, err, "line %d", line)
			x = append(x, float32(v))
		}
		label := -1
		for k, name := range irisClasses {
			if fields[4] == name {
				label = k
			}
		}
		require.NotEqual(t, -1, label, "line %d", line)
		y = append(y, label)
	}
	require.NoError(t, sc.Err())
	require.Len(t, y, 150)
	return x, y
}

// irisRun is the reference training run of the tests: the original article's
// 4 -> 32 (ReLU) -> 3 network, normaliser fitted on all rows, SGD with
// momentum, batch 16.
type irisRun struct {
	model  *Sequential[float32]
	norm   *Normalizer[float32]
	z      []float32 // normalised inputs
	y      []int
	epochs int
}

func trainIris(t testing.TB, epochs int) irisRun {
	t.Helper()
	x, y := loadIris(t)
	norm, err := FitNormalizer(x, len(y), 4)
	require.NoError(t, err)
	z := make([]float32, len(x))
	require.NoError(t, norm.Transform(z, x))
	r := rng.New(42)
	model, err := NewMLP[float32]([]int{4, 32, 3}, ReLU, r)
	require.NoError(t, err)
	tr, err := NewTrainer(model, OptimizerConfig{Name: "sgd", LR: 0.05, Momentum: 0.9}, 16)
	require.NoError(t, err)
	for e := 0; e < epochs; e++ {
		_, err := tr.Epoch(z, y, r)
		require.NoError(t, err)
	}
	return irisRun{model: model, norm: norm, z: z, y: y, epochs: epochs}
}
