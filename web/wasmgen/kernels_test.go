package wasmgen

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/ferrum-ml/ferrum/nn/mathx"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

// mathModule returns a module that exports the compiler's exp and tanh
// functions as "exp" and "tanh", so they can be tested on their own.
func mathModule() []byte {
	m := &module{
		funcs: []function{expFunc(), tanhFunc(0)},
		exports: []export{
			{"exp", exportFunc, 0},
			{"tanh", exportFunc, 1},
		},
	}
	return m.encode()
}

// f64Cases returns arguments for exp and tanh: every threshold of both
// algorithms with its neighbours, the specials, a dense sweep of the range
// where exp is neither 0 nor +Inf, and random bit patterns (including NaNs
// with payloads).
func f64Cases() []float64 {
	edges := []float64{
		0, 1, 0.5, 0.625, 22, 0x1p-28, 0x1p-1022, 0x1p-1074, 1e-8,
		7.09782712893383973096e+02, -7.45133219101941108420e+02,
		709.0, 709.7, -708.0, -708.4, -708.39641853226408, -709.0, -720, -740, -745.1,
		math.Ln2 / 2, math.Ln2, 1023 * math.Ln2, -1021 * math.Ln2, -1022 * math.Ln2,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), 88.72283, 103.97208, 104,
	}
	var xs []float64
	for _, e := range edges {
		for _, s := range []float64{1, -1} {
			v := s * e
			xs = append(xs, v, math.Nextafter(v, math.Inf(1)), math.Nextafter(v, math.Inf(-1)))
		}
	}
	xs = append(xs, math.NaN(), math.Float64frombits(0x7ff0000000000001), math.Float64frombits(0xfff8000000000123))
	r := rng.New(42)
	for n := 0; n < 20000; n++ {
		xs = append(xs, -750+1500*r.Float64())
	}
	for n := 0; n < 5000; n++ {
		xs = append(xs, 2*r.Normal(), 30*r.Normal(), math.Float64frombits(r.Uint64()))
	}
	return xs
}

// TestMathFunctions requires the WebAssembly exp and tanh to return the
// very bits of mathx.Exp and mathx.Tanh, NaN payloads included.
func TestMathFunctions(t *testing.T) {
	bin := mathModule()
	xs := f64Cases()
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			rt := wazero.NewRuntimeWithConfig(ctx, e.config())
			defer rt.Close(ctx)
			mod, err := rt.Instantiate(ctx, bin)
			require.NoError(t, err)
			for _, fc := range []struct {
				name string
				ref  func(float64) float64
			}{{"exp", mathx.Exp}, {"tanh", mathx.Tanh}} {
				f := mod.ExportedFunction(fc.name)
				require.NotNil(t, f)
				bad := 0
				for _, x := range xs {
					res, err := f.Call(ctx, api.EncodeF64(x))
					require.NoError(t, err)
					want := math.Float64bits(fc.ref(x))
					if !assert.Equal(t, want, res[0], "%s(%v) (bits %#x)", fc.name, x, math.Float64bits(x)) {
						if bad++; bad > 5 {
							t.FailNow()
						}
					}
				}
			}
		})
	}
}

// TestReLUEdgeCases runs the ReLU kernel on its own: v > 0 ? v : 0 maps
// -0 and NaN to +0, which f32.max, a plausible wrong kernel, does not.
func TestReLUEdgeCases(t *testing.T) {
	m := &module{
		funcs:   []function{reluFunc()},
		pages:   1,
		exports: []export{{"relu", exportFunc, 0}, {"memory", exportMemory, 0}},
	}
	bin := m.encode()
	x := []float32{float32(math.Copysign(0, -1)), float32(math.NaN()), -3, 2.5, 0x1p-149, -0x1p-149, float32(math.Inf(1)), float32(math.Inf(-1))}
	want := []uint32{0, 0, 0, math.Float32bits(2.5), 1, 0, 0x7f800000, 0}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			rt := wazero.NewRuntimeWithConfig(ctx, e.config())
			defer rt.Close(ctx)
			mod, err := rt.Instantiate(ctx, bin)
			require.NoError(t, err)
			mem := mod.Memory()
			for i, v := range x {
				require.True(t, mem.WriteFloat32Le(uint32(4*i), v))
			}
			// Out of place into 64, then in place at 0.
			for _, dst := range []uint64{64, 0} {
				_, err = mod.ExportedFunction("relu").Call(ctx, 0, dst, uint64(len(x)))
				require.NoError(t, err)
				got := make([]uint32, len(x))
				for i := range got {
					got[i], _ = mem.ReadUint32Le(uint32(dst) + uint32(4*i))
				}
				assert.Equal(t, want, got, "dst %d", dst)
			}
		})
	}
}
