package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

// kernelShapes are the awkward (m, k, n) products every fast kernel is
// checked on: 1, 3, 7, 33 and 129 wide, non-square, around the 4-row and
// 8-, 16- and 32-column blocks of the assembly and the 64-wide tiles of
// gemmNT, and the shapes of the digits and blobs networks.
var kernelShapes = [][3]int{
	{1, 1, 1}, {1, 7, 3}, {3, 1, 7}, {7, 33, 1}, {33, 7, 129}, {129, 3, 7},
	{5, 129, 2}, {4, 16, 16}, {4, 8, 8}, {3, 3, 3}, {8, 65, 33}, {9, 17, 31},
	{2, 130, 65}, {6, 64, 24}, {33, 129, 129},
	{32, 64, 128}, {32, 128, 10}, {5, 64, 128}, {128, 64, 128}, {128, 128, 10},
}

// roundingValues returns n values that make the order of a sum matter:
// mantissas full of bits over exponents 2^-20..2^20, both signs, and
// exact zeros of both signs (0 + -0 is +0, but -0 + -0 is -0).
func roundingValues(r *rng.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		switch r.Intn(16) {
		case 0:
			out[i] = 0
		case 1:
			out[i] = float32(math.Copysign(0, -1))
		default:
			e := r.Intn(41) - 20
			out[i] = float32(r.Normal() * math.Ldexp(1, e))
		}
	}
	return out
}

func bits32(x []float32) []uint32 {
	out := make([]uint32, len(x))
	for i, v := range x {
		out[i] = math.Float32bits(v)
	}
	return out
}

func bits64(x []float64) []uint64 {
	out := make([]uint64, len(x))
	for i, v := range x {
		out[i] = math.Float64bits(v)
	}
	return out
}

// garbage returns n values that the kernels must overwrite, not add to.
func garbage[T Float](n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = T(math.NaN())
	}
	return out
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v) * (1 + 1.0/3)
	}
	return out
}

// products runs each fast kernel and its reference on one shape: name,
// fast result and reference result.
type kernelCase[T Float] struct {
	name      string
	fast, ref func(dst []T)
	size      int
}

func kernelCases[T Float](a, b []T, m, k, n int) []kernelCase[T] {
	at := transposeGeneric(a, m, k) // (k, m)
	bt := transposeGeneric(b, k, n) // (n, k)
	return []kernelCase[T]{
		{"matMul", func(d []T) { matMul(d, a, b, m, k, n) }, func(d []T) { matMulRef(d, a, b, m, k, n) }, m * n},
		// aᵀ·b with a (k, m) stored: the product is again (m, n).
		{"matMulTN", func(d []T) { matMulTN(d, at, b, k, m, n) }, func(d []T) { matMulTNRef(d, at, b, k, m, n) }, m * n},
		{"matMulNT", func(d []T) { matMulNT(d, a, bt, m, k, n) }, func(d []T) { matMulNTRef(d, a, bt, m, k, n) }, m * n},
		{"gemmGo", func(d []T) { gemmGo(d, a, b, m, n, k, n, k, 1, n, false) }, func(d []T) { matMulRef(d, a, b, m, k, n) }, m * n},
		{"gemmGoTN", func(d []T) { gemmGo(d, at, b, m, n, k, n, 1, m, n, false) }, func(d []T) { matMulTNRef(d, at, b, k, m, n) }, m * n},
	}
}

func transposeGeneric[T Float](x []T, m, n int) []T {
	out := make([]T, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			out[j*m+i] = x[i*n+j]
		}
	}
	return out
}

// TestFastKernelsMatchReferenceBits checks every fast kernel (AVX2 where the
// CPU has it, the portable loop otherwise, and the portable loop directly)
// against the reference loops of ops.go, bit for bit, in float32 and
// float64.
func TestFastKernelsMatchReferenceBits(t *testing.T) {
	t.Logf("AVX2 kernels: %v", useAVX2)
	r := newTestRand()
	for _, s := range kernelShapes {
		m, k, n := s[0], s[1], s[2]
		a, b := roundingValues(r, m*k), roundingValues(r, k*n)
		for _, tc := range kernelCases(a, b, m, k, n) {
			t.Run(fmt.Sprintf("%s/f32/%dx%dx%d", tc.name, m, k, n), func(t *testing.T) {
				want, got := garbage[float32](tc.size), garbage[float32](tc.size)
				tc.ref(want)
				tc.fast(got)
				assert.Equal(t, bits32(want), bits32(got))
			})
		}
		for _, tc := range kernelCases(widen(a), widen(b), m, k, n) {
			t.Run(fmt.Sprintf("%s/f64/%dx%dx%d", tc.name, m, k, n), func(t *testing.T) {
				want, got := garbage[float64](tc.size), garbage[float64](tc.size)
				tc.ref(want)
				tc.fast(got)
				assert.Equal(t, bits64(want), bits64(got))
			})
		}
	}
}

// TestKernelsSignOfZero pins the one place where starting a sum from the
// first product instead of from +0 would differ: a sum of negative zeros is
// +0 in the reference (0 + -0 = +0).
func TestKernelsSignOfZero(t *testing.T) {
	for _, s := range [][3]int{{1, 1, 1}, {4, 3, 16}, {5, 2, 13}, {4, 65, 70}} {
		m, k, n := s[0], s[1], s[2]
		a := make([]float32, m*k)
		for i := range a {
			a[i] = float32(math.Copysign(0, -1))
		}
		b := make([]float32, k*n)
		for i := range b {
			b[i] = 1
		}
		for _, tc := range kernelCases(a, b, m, k, n) {
			got := garbage[float32](tc.size)
			tc.fast(got)
			for i, v := range got {
				require.Equal(t, uint32(0), math.Float32bits(v), "%s %v entry %d", tc.name, s, i)
			}
		}
	}
}

// TestKernelsEmptySum checks k = 0: every output is the empty sum +0.
func TestKernelsEmptySum(t *testing.T) {
	for _, tc := range kernelCases[float32](nil, nil, 3, 0, 5) {
		got := garbage[float32](tc.size)
		tc.fast(got)
		assert.Equal(t, make([]uint32, 15), bits32(got), tc.name)
	}
}

func TestGemmPanicsOnShortSlices(t *testing.T) {
	d, a, b := make([]float32, 6), make([]float32, 6), make([]float32, 9)
	assert.PanicsWithValue(t, "nn: gemm destination too short", func() { gemm(d[:5], a, b, 2, 3, 3, 3, 3, 1, 3, false) })
	assert.PanicsWithValue(t, "nn: gemm operand too short", func() { gemm(d, a[:5], b, 2, 3, 3, 3, 3, 1, 3, false) })
	assert.PanicsWithValue(t, "nn: gemm operand too short", func() { gemm(d, a, b[:8], 2, 3, 3, 3, 3, 1, 3, false) })
}

func newTestRand() *rng.Rand { return rng.New(7) }

// TestBiasAndRowSumsMatchReferenceBits checks addBias and sumRows, which
// run through gemm with a stride-0 operand of ones, against their loops.
func TestBiasAndRowSumsMatchReferenceBits(t *testing.T) {
	r := newTestRand()
	for _, s := range [][2]int{{1, 1}, {1, 7}, {3, 33}, {7, 3}, {33, 129}, {129, 10}, {128, 128}, {5, 0}, {0, 5}} {
		m, n := s[0], s[1]
		x, b := roundingValues(r, m*n), roundingValues(r, n)
		t.Run(fmt.Sprintf("%dx%d", m, n), func(t *testing.T) {
			want, got := append([]float32(nil), x...), append([]float32(nil), x...)
			addBiasRef(want, b, m, n)
			addBias(got, b, m, n)
			assert.Equal(t, bits32(want), bits32(got), "addBias")

			sumWant, sumGot := garbage[float32](n), garbage[float32](n)
			sumRowsRef(sumWant, x, m, n)
			sumRows(sumGot, x, m, n)
			assert.Equal(t, bits32(sumWant), bits32(sumGot), "sumRows")

			x64, b64 := widen(x), widen(b)
			want64, got64 := append([]float64(nil), x64...), append([]float64(nil), x64...)
			addBiasRef(want64, b64, m, n)
			addBias(got64, b64, m, n)
			assert.Equal(t, bits64(want64), bits64(got64), "addBias float64")
		})
	}
}
