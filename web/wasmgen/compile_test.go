package wasmgen

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

// Activation kinds by FINF code, for the tables below.
const (
	relu, sigm, tanh, soft, iden, none = 0, 1, 2, 3, 4, -1
)

// modelCase is a model to compile and compare with the engine.
type modelCase struct {
	name  string
	model *finf.Model
}

// refModel reads finf's golden 4 -> 32 (ReLU) -> 3 (Softmax) model.
func refModel(t testing.TB) *finf.Model {
	t.Helper()
	b, err := os.ReadFile("../../finf/testdata/ref_4_32_3.finf")
	require.NoError(t, err)
	m, err := finf.Read(b)
	require.NoError(t, err)
	return m
}

// modelCases returns the shapes the equivalence test runs: the reference
// Iris model, small and odd widths, a deep stack, every activation kind in
// hidden and output position with and without a normaliser, activations
// before the first Linear layer, and weight scales large enough that exp
// saturates.
func modelCases(t testing.TB) []modelCase {
	r := rng.New(6)
	cases := []modelCase{
		{"ref_4_32_3", refModel(t)},
		{"1-1 linear only", randModel(r, []int{1, 1}, []int{none}, 1, false)},
		{"1-1 normalised", randModel(r, []int{1, 1}, []int{none}, 1, true)},
		{"4-32-3 relu softmax normalised", randModel(r, []int{4, 32, 3}, []int{relu, soft}, 0.7, true)},
		{"7-33-5-2 tanh sigmoid softmax", randModel(r, []int{7, 33, 5, 2}, []int{tanh, sigm, soft}, 0.5, false)},
		{"7-33-5-2 normalised, large weights", randModel(r, []int{7, 33, 5, 2}, []int{relu, tanh, soft}, 30, true)},
		{"1-300-1 wide", randModel(r, []int{1, 300, 1}, []int{sigm, none}, 1, true)},
		{"deep 3-8x8-2", randModel(r, []int{3, 8, 8, 8, 8, 8, 8, 8, 8, 2},
			[]int{relu, tanh, sigm, iden, soft, relu, none, tanh, soft}, 1.2, true)},
		{"softmax of width 1", randModel(r, []int{5, 1}, []int{soft}, 1, false)},
	}
	for hidden := relu; hidden <= iden; hidden++ {
		for out := relu; out <= iden; out++ {
			norm := (hidden+out)%2 == 0
			cases = append(cases, modelCase{
				fmt.Sprintf("4-9-3 %s %s norm=%v", finf.Activation(hidden), finf.Activation(out), norm),
				randModel(r, []int{4, 9, 3}, []int{hidden, out}, 2, norm),
			})
		}
	}
	// Activations before the first Linear layer and stacked activations.
	for k := relu; k <= iden; k++ {
		for _, norm := range []bool{false, true} {
			m := randModel(r, []int{6, 5, 4}, []int{k, soft}, 1, norm)
			lead := finf.Layer{Tag: finf.TagActivation, Act: finf.Activation(k)}
			m.Layers = append([]finf.Layer{lead, lead}, m.Layers...)
			m.Layers = append(m.Layers, finf.Layer{Tag: finf.TagActivation, Act: finf.Activation(k)})
			cases = append(cases, modelCase{fmt.Sprintf("leading %s norm=%v", finf.Activation(k), norm), m})
		}
	}
	return cases
}

// TestBitIdentical runs every compiled model on both wazero engines and
// requires the outputs to be bit for bit those of nn.Predictor, on random
// inputs of several magnitudes and on inputs made of edge values. The one
// exception is NaN: any NaN matches any NaN, since neither Go nor
// WebAssembly fixes a NaN's sign and payload (Go on amd64 makes 0xffc00000
// for Inf - Inf, on arm64 0x7fc00000; the WebAssembly spec lets either
// sign through), so NaN outputs compare as NaN and nothing more.
func TestBitIdentical(t *testing.T) {
	for _, tc := range modelCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			bin, err := Compile(tc.model)
			require.NoError(t, err)
			p := native(t, tc.model)
			xs := inputs(rng.New(uint64(len(tc.name))), tc.model.InWidth(), 200)
			for _, e := range engines {
				mod := instantiate(t, e.config(), bin)
				require.Equal(t, tc.model.InWidth(), mod.inWidth)
				require.Equal(t, tc.model.OutWidth(), mod.outWidth)
				mismatches, nans := 0, 0
				for n, x := range xs {
					want := canonical(p.Predict(x))
					got := canonical(mod.run(x))
					nans += countNaN(want)
					if !assert.Equal(t, want, got, "%s: input %d %v", e.name, n, x) {
						if mismatches++; mismatches > 3 {
							t.FailNow()
						}
					}
				}
				t.Logf("%s: %d inputs, %d NaN outputs", e.name, len(xs), nans)
			}
		})
	}
}

// TestInputUnchanged checks that predict leaves the input buffer as the
// caller wrote it, also when activations come before the first Linear
// layer and there is no normaliser, and that calls do not depend on each
// other.
func TestInputUnchanged(t *testing.T) {
	r := rng.New(1)
	m := randModel(r, []int{3, 2}, []int{soft}, 1, false)
	m.Layers = append([]finf.Layer{{Tag: finf.TagActivation, Act: finf.ReLU}}, m.Layers...)
	bin, err := Compile(m)
	require.NoError(t, err)
	mod := instantiate(t, engines[0].config(), bin)
	p := native(t, m)
	x := []float32{-1, 2, -3}
	first := mod.run(x)
	for i, v := range x {
		got, ok := mod.mod.Memory().ReadFloat32Le(mod.inPtr + uint32(4*i))
		require.True(t, ok)
		assert.Equal(t, v, got, "input %d", i)
	}
	mod.run([]float32{5, 5, 5})
	assert.Equal(t, bitsOf(first), bitsOf(mod.run(x)))
	assert.Equal(t, bitsOf(p.Predict(x)), bitsOf(first))
}
