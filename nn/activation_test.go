package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestActivationNames(t *testing.T) {
	for a := ReLU; a <= Identity; a++ {
		got, err := ParseActivation(a.String())
		require.NoError(t, err)
		assert.Equal(t, a, got)
	}
	_, err := ParseActivation("gelu")
	assert.ErrorContains(t, err, `unknown activation "gelu"`)
	assert.Equal(t, "activation(9)", Activation(9).String())
	assert.False(t, Activation(5).Valid())
}

func TestActivateKnownValues(t *testing.T) {
	x := []float64{-2, -0.5, 0, 0.5, 2}
	tests := []struct {
		act  Activation
		want []float64
	}{
		{ReLU, []float64{0, 0, 0, 0.5, 2}},
		{Sigmoid, []float64{0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.8807970779778823}},
		{Tanh, []float64{-0.9640275800758169, -0.46211715726000974, 0, 0.46211715726000974, 0.9640275800758169}},
		{Identity, x},
	}
	for _, tc := range tests {
		t.Run(tc.act.String(), func(t *testing.T) {
			got := make([]float64, len(x))
			activate(tc.act, got, x, 1, len(x))
			assert.InDeltaSlice(t, tc.want, got, 1e-15)
		})
	}
}

// TestActivateBackward checks each activation's backward pass against
// central differences of sum(dy * a(x)).
func TestActivateBackward(t *testing.T) {
	const eps, tol = 1e-6, 1e-8
	x := []float64{-1.3, -0.2, 0.4, 1.7, 0.9, -0.6}
	dy := []float64{0.3, -1.1, 0.7, 0.2, -0.5, 0.8}
	m, n := 2, 3
	for a := ReLU; a <= Identity; a++ {
		t.Run(a.String(), func(t *testing.T) {
			y := make([]float64, len(x))
			activate(a, y, x, m, n)
			dx := make([]float64, len(x))
			activateBackward(a, dx, dy, x, y, m, n)
			f := func(x []float64) float64 {
				out := make([]float64, len(x))
				activate(a, out, x, m, n)
				s := 0.0
				for i := range out {
					s += dy[i] * out[i]
				}
				return s
			}
			for i := range x {
				xp := append([]float64(nil), x...)
				xp[i] += eps
				xm := append([]float64(nil), x...)
				xm[i] -= eps
				assert.InDelta(t, (f(xp)-f(xm))/(2*eps), dx[i], tol, "entry %d", i)
			}
		})
	}
}
