package nn

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn/blobs"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

// The two jobs of issue 7, shared by the determinism tests and the
// benchmarks: digits (1,797 rows of 64 pixels, 10 classes) and Gaussian
// blobs (200,000 rows of 64 features, 10 classes).

// loadDigits reads the committed digits file: a header row, 64 pixel
// columns and the digit.
func loadDigits(t testing.TB) (x []float32, y []int) {
	t.Helper()
	f, err := os.Open("../data/raw/digits.csv")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	require.True(t, sc.Scan(), "header row")
	for line := 2; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), ",")
		require.Len(t, fields, 65, "line %d", line)
		for _, s := range fields[:64] {
			v, err := strconv.ParseFloat(s, 32)
			require.NoError(t, err, "line %d", line)
			x = append(x, float32(v))
		}
		d, err := strconv.Atoi(fields[64])
		require.NoError(t, err, "line %d", line)
		y = append(y, d)
	}
	require.NoError(t, sc.Err())
	require.Len(t, y, 1797)
	return x, y
}

// job is a data set, normalised on all its rows, and how to train on it.
type job struct {
	z       []float32
	y       []int
	norm    *Normalizer[float32]
	sizes   []int
	epochs  int
	batch   int
	rowsStr string
}

func newJob(t testing.TB, x []float32, y []int, sizes []int, epochs, batch int) job {
	t.Helper()
	norm, err := FitNormalizer(x, len(y), sizes[0])
	require.NoError(t, err)
	z := make([]float32, len(x))
	require.NoError(t, norm.Transform(z, x))
	return job{z: z, y: y, norm: norm, sizes: sizes, epochs: epochs, batch: batch}
}

// digitsJob is issue 7's digits job: 64 -> 128 (ReLU) -> 10, 50 epochs,
// batch 32, SGD with momentum.
func digitsJob(t testing.TB) job {
	x, y := loadDigits(t)
	return newJob(t, x, y, []int{64, 128, 10}, 50, 32)
}

var (
	blobsOnce sync.Once
	blobsX    []float32
	blobsY    []int
)

// blobsJob is issue 7's blobs job on the first rows rows of the 200,000:
// 64 -> 128 (ReLU) -> 10, 2 epochs, batch 128, SGD with momentum.
func blobsJob(t testing.TB, rows int) job {
	blobsOnce.Do(func() { blobsX, blobsY = blobs.Make(1, 200000, 64, 10) })
	return newJob(t, blobsX[:rows*64], blobsY[:rows], []int{64, 128, 10}, 2, 128)
}

var jobOptimizer = OptimizerConfig{Name: "sgd", LR: 0.01, Momentum: 0.9}

// train runs the job from a seeded initialisation, letting setup choose
// the trainer's kernels, and returns the model.
func (j job) train(t testing.TB, setup func(*Trainer[float32])) *Sequential[float32] {
	r := rng.New(42)
	model, err := NewMLP[float32](j.sizes, ReLU, r)
	require.NoError(t, err)
	tr, err := NewTrainer(model, jobOptimizer, j.batch)
	require.NoError(t, err)
	if setup != nil {
		setup(tr)
	}
	for e := 0; e < j.epochs; e++ {
		_, err := tr.Epoch(j.z, j.y, r)
		require.NoError(t, err)
	}
	return model
}

func (j job) finf(t testing.TB, s *Sequential[float32]) []byte {
	b, err := finf.Marshal(ToFINF(s, j.norm))
	require.NoError(t, err)
	return b
}
