package wasmgen

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
)

// linear returns a Linear layer of the given widths with weights 0.5 and
// biases 0.25.
func linear(in, out int) finf.Layer {
	l := finf.Layer{Tag: finf.TagLinear, In: in, Out: out, W: make([]float32, in*out), B: make([]float32, out)}
	for i := range l.W {
		l.W[i] = 0.5
	}
	for i := range l.B {
		l.B[i] = 0.25
	}
	return l
}

func act(a finf.Activation) finf.Layer { return finf.Layer{Tag: finf.TagActivation, Act: a} }

// TestCompileErrors checks that every model the compiler cannot handle is
// an error naming the problem, wrapping the sentinel callers test for, and
// that no module comes back with it.
func TestCompileErrors(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	with := func(l finf.Layer, f func(*finf.Layer)) finf.Layer { f(&l); return l }
	tests := []struct {
		name  string
		model *finf.Model
		is    error  // sentinel, or nil when there is none
		layer int    // the *finf.ModelError's layer, or -2 for none
		msg   string // part of the message
	}{
		{"nil model", nil, nil, -2, "model is nil"},
		{"no layers", &finf.Model{}, finf.ErrNoLayers, -1, "no layers"},
		{"no linear", &finf.Model{Layers: []finf.Layer{act(finf.ReLU), act(finf.Softmax)}}, finf.ErrNoLinear, -1, "none of the 2 layers is linear"},
		{"widths do not chain", &finf.Model{Layers: []finf.Layer{linear(4, 3), act(finf.ReLU), linear(2, 1)}}, finf.ErrWidth, 2, "in 2 differs from the width 3"},
		{"W too short", &finf.Model{Layers: []finf.Layer{with(linear(2, 3), func(l *finf.Layer) { l.W = l.W[:5] })}}, finf.ErrWidth, 0, "W has 5 values, want 6"},
		{"B too long", &finf.Model{Layers: []finf.Layer{with(linear(2, 3), func(l *finf.Layer) { l.B = append(l.B, 1) })}}, finf.ErrWidth, 0, "B has 4 values"},
		{"zero in", &finf.Model{Layers: []finf.Layer{{Tag: finf.TagLinear, In: 0, Out: 3, B: make([]float32, 3)}}}, finf.ErrWidth, 0, "widths must be at least 1"},
		{"negative out", &finf.Model{Layers: []finf.Layer{linear(2, 2), {Tag: finf.TagLinear, In: 2, Out: -1}}}, finf.ErrWidth, 1, "widths must be at least 1"},
		{"unknown activation", &finf.Model{Layers: []finf.Layer{linear(2, 2), act(9)}}, finf.ErrUnknownActivation, 1, "unknown activation kind 9"},
		{"unknown tag", &finf.Model{Layers: []finf.Layer{linear(2, 2), {Tag: 7}}}, finf.ErrUnknownTag, 1, "unknown tag 7"},
		{"NaN weight", &finf.Model{Layers: []finf.Layer{with(linear(2, 2), func(l *finf.Layer) { l.W[3] = nan })}}, finf.ErrNonFinite, 0, "W[1][1] is NaN"},
		{"infinite bias", &finf.Model{Layers: []finf.Layer{with(linear(2, 2), func(l *finf.Layer) { l.B[0] = inf })}}, finf.ErrNonFinite, 0, "b[0] is +Inf"},
		{"activation with weights", &finf.Model{Layers: []finf.Layer{linear(2, 2), {Tag: finf.TagActivation, W: []float32{1}}}}, finf.ErrUnusedField, 1, "linear fields set"},
		{"normaliser width", &finf.Model{Mean: []float32{0, 0, 0}, Std: []float32{1, 1, 1}, Layers: []finf.Layer{linear(2, 2)}}, finf.ErrWidth, 0, "normaliser's 3 pairs"},
		{"normaliser lengths", &finf.Model{Mean: []float32{0, 0}, Std: []float32{1}, Layers: []finf.Layer{linear(2, 2)}}, finf.ErrNormaliser, -1, "2 means and 1 stds"},
		{"zero std", &finf.Model{Mean: []float32{0, 0}, Std: []float32{1, 0}, Layers: []finf.Layer{linear(2, 2)}}, finf.ErrNormaliser, -1, "std 1 (0) is not greater than zero"},
		{"NaN mean", &finf.Model{Mean: []float32{nan, 0}, Std: []float32{1, 1}, Layers: []finf.Layer{linear(2, 2)}}, finf.ErrNormaliser, -1, "mean 0 (NaN) is not finite"},
		// The size checks look at the widths only, so these models need no
		// weights to exist.
		{"layer wider than memory", &finf.Model{Layers: []finf.Layer{{Tag: finf.TagLinear, In: 1 << 40, Out: 1}}}, ErrTooLarge, -2, "layer 0 is linear 1099511627776x1"},
		{"weights beyond 2 GiB", &finf.Model{Layers: []finf.Layer{{Tag: finf.TagLinear, In: 1 << 16, Out: 1 << 15}}}, ErrTooLarge, -2, "layer 0 (linear 65536x32768)"},
		{"weights beyond 2 GiB in the sum", &finf.Model{Layers: []finf.Layer{
			{Tag: finf.TagLinear, In: 1 << 14, Out: 1 << 14}, {Tag: finf.TagLinear, In: 1 << 14, Out: 1 << 14},
			{Tag: finf.TagLinear, In: 1 << 14, Out: 1 << 14}}}, ErrTooLarge, -2, "layer 1 (linear 16384x16384)"},
		{"buffers beyond 2 GiB", &finf.Model{Layers: []finf.Layer{{Tag: finf.TagLinear, In: 1 << 28, Out: 1}}}, ErrTooLarge, -2, "needs 4294967300 bytes of linear memory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin, err := Compile(tc.model)
			require.Error(t, err)
			assert.Nil(t, bin)
			assert.True(t, strings.HasPrefix(err.Error(), "wasmgen: "), err.Error())
			assert.Contains(t, err.Error(), tc.msg)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			var me *finf.ModelError
			if tc.layer == -2 {
				assert.False(t, errors.As(err, &me), "no *finf.ModelError")
			} else if assert.True(t, errors.As(err, &me), "a *finf.ModelError") {
				assert.Equal(t, tc.layer, me.Layer)
			}
		})
	}
}

// TestCompileLeavesModelAlone checks that Compile neither modifies the
// model nor returns memory that aliases it.
func TestCompileLeavesModelAlone(t *testing.T) {
	m := &finf.Model{Mean: []float32{1, 2}, Std: []float32{3, 4}, Layers: []finf.Layer{linear(2, 3), act(finf.Tanh)}}
	before, err := finf.Marshal(m)
	require.NoError(t, err)
	bin, err := Compile(m)
	require.NoError(t, err)
	after, err := finf.Marshal(m)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	again, err := Compile(m)
	require.NoError(t, err)
	assert.Equal(t, bin, again, "deterministic")
	m.Layers[0].W[0] = 9
	assert.Equal(t, again, bin, "no aliasing")
}
