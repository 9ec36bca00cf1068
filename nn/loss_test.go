package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSoftmaxCrossEntropyKnown(t *testing.T) {
	// Uniform logits: loss ln 3, gradient (1/3 - onehot) / batch.
	logits := []float64{0, 0, 0, 5, 5, 5}
	grad := make([]float64, len(logits))
	loss, err := SoftmaxCrossEntropy(grad, logits, []int{0, 2}, 3)
	require.NoError(t, err)
	assert.InDelta(t, math.Log(3), loss, 1e-15)
	third := 1.0 / 3
	assert.InDeltaSlice(t, []float64{(third - 1) / 2, third / 2, third / 2, third / 2, third / 2, (third - 1) / 2}, grad, 1e-16)

	// A confident correct row: loss log(1 + 2e^-10).
	loss, err = SoftmaxCrossEntropy(make([]float64, 3), []float64{10, 0, 0}, []int{0}, 3)
	require.NoError(t, err)
	assert.InDelta(t, math.Log1p(2*math.Exp(-10)), loss, 1e-15)
}

func TestSoftmaxCrossEntropyErrors(t *testing.T) {
	_, err := SoftmaxCrossEntropy(make([]float32, 3), make([]float32, 3), []int{3}, 3)
	assert.ErrorContains(t, err, "row 0: label 3 outside [0, 3)")
	_, err = SoftmaxCrossEntropy(make([]float32, 2), make([]float32, 3), []int{0}, 3)
	assert.ErrorIs(t, err, ErrShape)
	_, err = SoftmaxCrossEntropy(make([]float32, 0), make([]float32, 0), nil, 3)
	assert.ErrorIs(t, err, ErrShape)
}

func TestSoftmaxCrossEntropyAliasing(t *testing.T) {
	logits := []float32{0.5, -1, 2, 0.1, 0.2, 0.3}
	want := make([]float32, len(logits))
	l1, err := SoftmaxCrossEntropy(want, logits, []int{2, 0}, 3)
	require.NoError(t, err)
	l2, err := SoftmaxCrossEntropy(logits, logits, []int{2, 0}, 3)
	require.NoError(t, err)
	assert.Equal(t, l1, l2)
	assert.Equal(t, want, logits)
}
