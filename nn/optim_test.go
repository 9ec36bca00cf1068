package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSGDMomentumByHand(t *testing.T) {
	w := []float64{1}
	g := []float64{0.5}
	ps := []param[float64]{{w: w, g: g}}
	opt, err := newOptimizer(OptimizerConfig{Name: "sgd", LR: 0.1, Momentum: 0.9}, ps)
	require.NoError(t, err)
	opt.step(ps) // v = 0.5, w = 1 - 0.05
	assert.InDelta(t, 0.95, w[0], 1e-15)
	opt.step(ps) // v = 0.45 + 0.5 = 0.95, w = 0.95 - 0.095
	assert.InDelta(t, 0.855, w[0], 1e-15)

	// Weight decay adds wd*w to the gradient: v = 0.5 + 0.1*1.
	w[0] = 1
	opt, err = newOptimizer(OptimizerConfig{Name: "sgd", LR: 0.1, WeightDecay: 0.1}, ps)
	require.NoError(t, err)
	opt.step(ps)
	assert.InDelta(t, 0.94, w[0], 1e-15)
}

func TestAdamByHand(t *testing.T) {
	w := []float64{1, -2}
	g := []float64{0.5, -0.25}
	ps := []param[float64]{{w: w, g: g}}
	opt, err := newOptimizer(OptimizerConfig{Name: "adam", LR: 0.01}, ps)
	require.NoError(t, err)
	// First step: m̂ = g, v̂ = g², so the step is lr * g / (|g| + eps).
	opt.step(ps)
	assert.InDelta(t, 1-0.01*0.5/(0.5+1e-8), w[0], 1e-15)
	assert.InDelta(t, -2+0.01*0.25/(0.25+1e-8), w[1], 1e-15)
	// Second step with the same gradient: m̂ = g and v̂ = g² again.
	opt.step(ps)
	assert.InDelta(t, 1-2*0.01*0.5/(0.5+1e-8), w[0], 1e-12)
}

func TestOptimizerConfigErrors(t *testing.T) {
	ps := []param[float32]{{w: []float32{1}, g: []float32{1}}}
	tests := []struct {
		cfg  OptimizerConfig
		want string
	}{
		{OptimizerConfig{Name: "sgd", LR: -1}, "learning rate -1 out of range"},
		{OptimizerConfig{Name: "sgd", LR: math.NaN()}, "learning rate NaN out of range"},
		{OptimizerConfig{Name: "sgd", LR: 0.1, Momentum: 1}, "momentum 1 out of range"},
		{OptimizerConfig{Name: "sgd", LR: 0.1, WeightDecay: -0.1}, "weight decay -0.1 out of range"},
		{OptimizerConfig{Name: "adam", LR: 0.1, Beta1: 1.5}, "beta1 1.5 out of range"},
		{OptimizerConfig{Name: "rmsprop", LR: 0.1}, `unknown optimizer "rmsprop"`},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, err := newOptimizer(tc.cfg, ps)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
