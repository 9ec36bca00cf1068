package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

func TestForwardMatchesPredict(t *testing.T) {
	for _, hidden := range []Activation{ReLU, Sigmoid, Tanh, Identity} {
		t.Run(hidden.String(), func(t *testing.T) {
			s, err := NewMLP[float32]([]int{3, 7, 5, 4}, hidden, rng.New(9))
			require.NoError(t, err)
			assert.Equal(t, 3, s.InWidth())
			assert.Equal(t, 4, s.OutWidth())
			assert.Equal(t, 3*7+7+7*5+5+5*4+4, s.ParamCount())

			x := seq(6*3, 0.3)
			out, err := s.Forward(mustTensor(t, x, 6, 3))
			require.NoError(t, err)
			assert.Equal(t, []int{6, 4}, out.Shape)
			p, err := NewPredictor(s, nil)
			require.NoError(t, err)
			for r := 0; r < 6; r++ {
				assert.Equal(t, bitsOf(out.Data[r*4:(r+1)*4]), bitsOf(p.Predict(x[r*3:(r+1)*3])), "row %d", r)
			}
		})
	}
}

func TestForwardShapeErrors(t *testing.T) {
	s, err := NewMLP[float32]([]int{3, 2}, ReLU, rng.New(1))
	require.NoError(t, err)
	_, err = s.Forward(mustTensor(t, make([]float32, 8), 2, 4))
	assert.ErrorIs(t, err, ErrShape)
	assert.ErrorContains(t, err, "layer 0: shape mismatch: linear layer expects width 3, got 4")

	broken := &Sequential[float32]{Layers: []Layer[float32]{&Linear[float32]{In: 2, Out: 2, W: make([]float32, 3), B: make([]float32, 2)}}}
	assert.ErrorIs(t, broken.Validate(), ErrShape)
	assert.ErrorContains(t, (&Sequential[float32]{}).Validate(), "no linear layer")

	_, err = NewPredictor(s, &Normalizer[float32]{Mean: []float32{0}, Std: []float32{1}})
	assert.ErrorIs(t, err, ErrShape)
}

func TestPredictAllocatesNothing(t *testing.T) {
	run := trainIris(t, 1)
	p, err := NewPredictor(run.model, run.norm)
	require.NoError(t, err)
	x := []float32{5.1, 3.5, 1.4, 0.2}
	allocs := testing.AllocsPerRun(100, func() { p.Predict(x) })
	assert.Zero(t, allocs)
}

func TestConvertRoundTrip(t *testing.T) {
	s, err := NewMLP[float32]([]int{2, 3, 2}, Tanh, rng.New(5))
	require.NoError(t, err)
	back := Convert[float32](Convert[float64](s))
	assert.Equal(t, s, back)
}
