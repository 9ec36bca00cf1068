package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

func TestInitLinearScale(t *testing.T) {
	tests := []struct {
		scheme  Init
		in, out int
		std     float64
	}{
		{HeNormal, 50, 400, math.Sqrt(2.0 / 50)},
		{XavierNormal, 50, 400, math.Sqrt(2.0 / 450)},
	}
	for _, tc := range tests {
		l, err := NewLinear[float64](tc.in, tc.out)
		require.NoError(t, err)
		for i := range l.B {
			l.B[i] = 7
		}
		InitLinear(l, tc.scheme, rng.New(3))
		var s, ss float64
		for _, w := range l.W {
			s += w
			ss += w * w
		}
		n := float64(len(l.W))
		// 20,000 samples: the sample std is within 2% of the target.
		assert.InDelta(t, 0, s/n, 0.05*tc.std)
		assert.InEpsilon(t, tc.std, math.Sqrt(ss/n-(s/n)*(s/n)), 0.02)
		assert.Equal(t, make([]float64, tc.out), l.B, "biases start at zero")
	}
}

// TestInitLinearDraws pins the order of the draws: weight i is the i-th
// normal sample of the generator, scaled.
func TestInitLinearDraws(t *testing.T) {
	l, err := NewLinear[float32](3, 2)
	require.NoError(t, err)
	InitLinear(l, HeNormal, rng.New(42))
	r := rng.New(42)
	std := math.Sqrt(2.0 / 3)
	for i, w := range l.W {
		assert.Equal(t, math.Float32bits(float32(std*r.Normal())), math.Float32bits(w), "weight %d", i)
	}
}

func TestNewMLPLayout(t *testing.T) {
	s, err := NewMLP[float32]([]int{4, 8, 6, 3}, Tanh, rng.New(1))
	require.NoError(t, err)
	var kinds []string
	for _, l := range s.Layers {
		switch l := l.(type) {
		case *Linear[float32]:
			kinds = append(kinds, "linear")
		case *Act[float32]:
			kinds = append(kinds, l.Kind.String())
		}
	}
	assert.Equal(t, []string{"linear", "tanh", "linear", "tanh", "linear", "softmax"}, kinds)

	// A linear softmax classifier: no hidden layer.
	s, err = NewMLP[float32]([]int{4, 3}, ReLU, rng.New(1))
	require.NoError(t, err)
	assert.Len(t, s.Layers, 2)
	assert.Equal(t, 15, s.ParamCount())
}
