package wasmgen

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

// engines are the two independent wazero back ends every module runs on:
// the compiler (machine code) and the interpreter (Go code).
var engines = []struct {
	name   string
	config func() wazero.RuntimeConfig
}{
	{"compiler", wazero.NewRuntimeConfigCompiler},
	{"interpreter", wazero.NewRuntimeConfigInterpreter},
}

// instance is a compiled model instantiated in wazero.
type instance struct {
	t                 *testing.T
	mod               api.Module
	predict           api.Function
	inPtr, outPtr     uint32
	inWidth, outWidth int
}

// instantiate runs bin in a new wazero runtime built from config and reads
// its exported interface; the runtime closes with the test.
func instantiate(t *testing.T, config wazero.RuntimeConfig, bin []byte) *instance {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, config)
	t.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Instantiate(ctx, bin)
	require.NoError(t, err)
	g := func(name string) uint32 {
		gl := mod.ExportedGlobal(name)
		require.NotNil(t, gl, "global %s", name)
		return uint32(gl.Get())
	}
	in := &instance{t: t, mod: mod, predict: mod.ExportedFunction(ExportPredict),
		inPtr: g(ExportInputPtr), outPtr: g(ExportOutputPtr),
		inWidth: int(g(ExportInputWidth)), outWidth: int(g(ExportOutputWidth))}
	require.NotNil(t, in.predict)
	require.NotNil(t, mod.Memory())
	return in
}

// run returns the module's output for x.
func (in *instance) run(x []float32) []float32 {
	in.t.Helper()
	mem := in.mod.Memory()
	require.Len(in.t, x, in.inWidth)
	for i, v := range x {
		require.True(in.t, mem.WriteFloat32Le(in.inPtr+uint32(4*i), v))
	}
	_, err := in.predict.Call(context.Background())
	require.NoError(in.t, err)
	out := make([]float32, in.outWidth)
	for j := range out {
		v, ok := mem.ReadFloat32Le(in.outPtr + uint32(4*j))
		require.True(in.t, ok)
		out[j] = v
	}
	return out
}

// native returns the engine's predictor for m.
func native(t *testing.T, m *finf.Model) *nn.Predictor[float32] {
	t.Helper()
	s, n, err := nn.FromFINF(m)
	require.NoError(t, err)
	p, err := nn.NewPredictor(s, n)
	require.NoError(t, err)
	return p
}

// randModel returns a model with Linear layers of the given widths
// (sizes[0] -> sizes[1] -> ...), each followed by the activation in acts
// at the same index (len(acts) == len(sizes)-1; use -1 for none). Weights
// and biases are normal with standard deviation scale; norm adds a
// normaliser with means around 0 and stds in [0.1, 3.1).
func randModel(r *rng.Rand, sizes []int, acts []int, scale float64, norm bool) *finf.Model {
	m := &finf.Model{}
	if norm {
		for range sizes[0] {
			m.Mean = append(m.Mean, float32(2*r.Normal()))
			m.Std = append(m.Std, 0.1+3*r.Float32())
		}
	}
	for i := 0; i+1 < len(sizes); i++ {
		l := finf.Layer{Tag: finf.TagLinear, In: sizes[i], Out: sizes[i+1],
			W: make([]float32, sizes[i]*sizes[i+1]), B: make([]float32, sizes[i+1])}
		for k := range l.W {
			l.W[k] = float32(scale * r.Normal())
		}
		for k := range l.B {
			l.B[k] = float32(scale * r.Normal())
		}
		m.Layers = append(m.Layers, l)
		if acts[i] >= 0 {
			m.Layers = append(m.Layers, finf.Layer{Tag: finf.TagActivation, Act: finf.Activation(acts[i])})
		}
	}
	return m
}

// specials are input values that exercise the edges: signed zeros,
// subnormals, huge magnitudes, infinities and NaN.
var specials = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 0x1p-149, -0x1p-149, 0x1p-126,
	1e-20, -1e-20, 1e6, -1e6, 1e20, -1e20, math.MaxFloat32, -math.MaxFloat32,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
}

// inputs returns count inputs of width w: random values of magnitudes from
// 1e-3 to 1e30, then inputs made of the specials.
func inputs(r *rng.Rand, w, count int) [][]float32 {
	mags := []float64{1e-3, 0.5, 1, 3, 10, 100, 1e4, 1e8, 1e30}
	var xs [][]float32
	for n := 0; n < count; n++ {
		x := make([]float32, w)
		mag := mags[n%len(mags)]
		for i := range x {
			x[i] = float32(mag * r.Normal())
		}
		xs = append(xs, x)
	}
	for s := range specials {
		x := make([]float32, w)
		for i := range x {
			x[i] = specials[(s+i)%len(specials)]
		}
		xs = append(xs, x)
		y := make([]float32, w)
		for i := range y {
			y[i] = specials[r.Intn(len(specials))]
		}
		xs = append(xs, y)
	}
	return xs
}

// canonical returns the IEEE bits of v with every NaN replaced by
// 0x7fc00000, for comparisons where a NaN's sign and payload are not
// determined.
func canonical(v []float32) []uint32 {
	out := bitsOf(v)
	for i, x := range v {
		if x != x {
			out[i] = 0x7fc00000
		}
	}
	return out
}

// countNaN returns the number of NaN values in bits.
func countNaN(bits []uint32) int {
	n := 0
	for _, b := range bits {
		if b == 0x7fc00000 {
			n++
		}
	}
	return n
}

// bitsOf returns the IEEE bits of v.
func bitsOf(v []float32) []uint32 {
	out := make([]uint32, len(v))
	for i, x := range v {
		out[i] = math.Float32bits(x)
	}
	return out
}
