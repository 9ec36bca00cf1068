package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

// TestGradCheck runs the float64 central-difference check on small random
// networks through every activation, in every position a hidden layer can
// take, and demands a worst relative error of at most 1e-6.
func TestGradCheck(t *testing.T) {
	const tol = 1e-6
	for _, pair := range [][2]Activation{{ReLU, Sigmoid}, {Sigmoid, Tanh}, {Tanh, Softmax}, {Softmax, Identity}, {Identity, ReLU}} {
		name := pair[0].String() + "-" + pair[1].String()
		t.Run(name, func(t *testing.T) {
			r := rng.New(uint64(7 + pair[0]))
			s := &Sequential[float64]{}
			for i, w := range [][2]int{{4, 6}, {6, 5}, {5, 3}} {
				l, err := NewLinear[float64](w[0], w[1])
				require.NoError(t, err)
				InitLinear(l, XavierNormal, r)
				for j := range l.B {
					l.B[j] = 0.1 * r.Normal()
				}
				s.Layers = append(s.Layers, l)
				if i < 2 {
					s.Layers = append(s.Layers, &Act[float64]{Kind: pair[i]})
				}
			}
			s.Layers = append(s.Layers, &Act[float64]{Kind: Softmax})
			x := make([]float64, 8*4)
			for i := range x {
				x[i] = r.Normal()
			}
			y := []int{0, 1, 2, 0, 1, 2, 2, 1}
			rows, err := GradCheck(s, x, y, 1e-6)
			require.NoError(t, err)
			require.Len(t, rows, 7)
			for _, row := range rows {
				t.Logf("%-32s n=%3d max abs %.2e max rel %.2e (analytic %.6g numeric %.6g)", row.Name, row.Size, row.MaxAbsErr, row.MaxRelErr, row.Analytic, row.Numeric)
				assert.LessOrEqual(t, row.MaxRelErr, tol, row.Name)
			}
		})
	}
}

// TestGradCheckRowErrors pins how disagreements are measured: relative to
// the larger magnitude, and absolutely below GradCheckFloor.
func TestGradCheckRowErrors(t *testing.T) {
	var row GradCheckRow
	row.add(2, 2)
	assert.Zero(t, row.MaxRelErr)
	row.add(1, 1.01) // relative error 0.01/1.01
	assert.InDelta(t, 0.01/1.01, row.MaxRelErr, 1e-15)
	assert.InDelta(t, 0.01, row.MaxAbsErr, 1e-15)
	assert.Equal(t, 1.0, row.Analytic)
	assert.Equal(t, 1.01, row.Numeric)
	row.add(1e-9, 2e-9) // tiny: judged against the floor
	assert.InDelta(t, 0.01/1.01, row.MaxRelErr, 1e-15)
	row.add(-0.5, 0.5) // opposite signs: relative error 2
	assert.Equal(t, 2.0, row.MaxRelErr)
}

func TestGradCheckErrors(t *testing.T) {
	s, err := NewMLP[float64]([]int{3, 4, 2}, Tanh, rng.New(11))
	require.NoError(t, err)
	x := []float64{0.5, -1, 2, 1, 0.3, -0.7}
	_, err = GradCheck(s, x, []int{1, 0}, 0)
	assert.ErrorContains(t, err, "step 0 must be positive")
	_, err = GradCheck(s, x, []int{1}, 1e-6)
	assert.ErrorIs(t, err, ErrShape)
	_, err = GradCheck(s, x, []int{1, 2}, 1e-6)
	assert.ErrorContains(t, err, "label 2 outside [0, 2)")
}
