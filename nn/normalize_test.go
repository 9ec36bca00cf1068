package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitNormalizer(t *testing.T) {
	// Columns: {1, 3}: mean 2, std 1; {0, 0}: constant; {2, 6}: mean 4, std 2.
	x := []float32{1, 0, 2, 3, 0, 6}
	n, err := FitNormalizer(x, 2, 3)
	require.NoError(t, err)
	assert.Equal(t, []float32{2, 0, 4}, n.Mean)
	assert.Equal(t, []float32{1, 1, 2}, n.Std)

	z := make([]float32, len(x))
	require.NoError(t, n.Transform(z, x))
	assert.Equal(t, []float32{-1, 0, -1, 1, 0, 1}, z)

	require.NoError(t, n.Transform(x, x), "dst may alias x")
	assert.Equal(t, z, x)
	assert.ErrorIs(t, n.Transform(make([]float32, 2), make([]float32, 2)), ErrShape)
}

func TestFitNormalizerConstantColumnExact(t *testing.T) {
	// 0.1 summed three times is not 0.3: a constant column is detected by
	// equality, not by a computed variance of nearly zero.
	n, err := FitNormalizer([]float64{0.1, 0.1, 0.1}, 3, 1)
	require.NoError(t, err)
	assert.Equal(t, 0.1, n.Mean[0])
	assert.Equal(t, 1.0, n.Std[0])
}

func TestFitNormalizerStandardises(t *testing.T) {
	x := seq(40*3, 3.7)
	n, err := FitNormalizer(x, 40, 3)
	require.NoError(t, err)
	z := make([]float32, len(x))
	require.NoError(t, n.Transform(z, x))
	for j := 0; j < 3; j++ {
		var s, ss float64
		for i := 0; i < 40; i++ {
			s += float64(z[i*3+j])
			ss += float64(z[i*3+j]) * float64(z[i*3+j])
		}
		assert.InDelta(t, 0, s/40, 1e-6, "column %d mean", j)
		assert.InDelta(t, 1, ss/40, 1e-5, "column %d variance", j)
	}
}

func TestFitNormalizerErrors(t *testing.T) {
	_, err := FitNormalizer([]float32{1, float32(math.NaN()), 3, 4}, 2, 2)
	assert.ErrorIs(t, err, ErrNonFinite)
	assert.ErrorContains(t, err, "row 0, column 1")
	_, err = FitNormalizer([]float64{1, 2, math.Inf(-1), 4}, 2, 2)
	assert.ErrorContains(t, err, "row 1, column 0")
	_, err = FitNormalizer([]float32{}, 0, 2)
	assert.ErrorIs(t, err, ErrShape)
}
