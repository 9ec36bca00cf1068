package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustTensor[T Float](t *testing.T, data []T, shape ...int) Tensor[T] {
	t.Helper()
	x, err := FromData(data, shape...)
	require.NoError(t, err)
	return x
}

func TestTensorShapes(t *testing.T) {
	_, err := NewTensor[float32](2, -1)
	assert.ErrorIs(t, err, ErrShape)
	_, err = NewTensor[float32]()
	assert.ErrorIs(t, err, ErrShape)
	_, err = FromData([]float32{1, 2, 3}, 2, 2)
	assert.ErrorIs(t, err, ErrShape)
	// (2^62+1)*4 wraps to 4 in an int: an overflowing shape is an error,
	// never a tensor the kernels would index past its end.
	_, err = FromData([]float32{1, 2, 3, 4}, 1<<62+1, 4)
	assert.ErrorIs(t, err, ErrShape)
	_, err = MatMul(Tensor[float32]{Shape: []int{1<<62 + 1, 4}, Data: make([]float32, 4)}, Tensor[float32]{Shape: []int{4, 1}, Data: make([]float32, 4)})
	assert.ErrorIs(t, err, ErrShape)
	x, err := NewTensor[float64](2, 3)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, x.Shape)
	assert.Len(t, x.Data, 6)
	y := mustTensor(t, []float32{1, -2}, 1, 2).Map(func(v float32) float32 { return v * 2 })
	assert.Equal(t, []float32{2, -4}, y.Data)
}

func TestMatMulKnown(t *testing.T) {
	a := mustTensor(t, []float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := mustTensor(t, []float32{7, 8, 9, 10, 11, 12}, 3, 2)
	got, err := MatMul(a, b)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 2}, got.Shape)
	assert.Equal(t, []float32{58, 64, 139, 154}, got.Data)

	_, err = MatMul(a, a)
	assert.ErrorIs(t, err, ErrShape)
	_, err = MatMul(Tensor[float32]{Shape: []int{6}, Data: a.Data}, b)
	assert.ErrorIs(t, err, ErrShape)
}

// naiveMatMul is the textbook i-j-k product, the reference the kernels are
// checked against: each output summed over p in ascending order.
func naiveMatMul(a, b []float32, m, k, n int) []float32 {
	out := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float32
			for p := 0; p < k; p++ {
				s += float32(a[i*k+p] * b[p*n+j])
			}
			out[i*n+j] = s
		}
	}
	return out
}

func transposeData(x []float32, m, n int) []float32 {
	out := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			out[j*m+i] = x[i*n+j]
		}
	}
	return out
}

func seq(n int, scale float32) []float32 {
	out := make([]float32, n)
	for i := range out {
		// Values with many significant bits, so summation order matters.
		out[i] = scale * float32((i*7919)%97-48) / 13
	}
	return out
}

func TestKernelsMatchNaive(t *testing.T) {
	for _, s := range [][3]int{{1, 1, 1}, {1, 7, 3}, {7, 1, 33}, {33, 7, 1}, {3, 33, 7}, {129, 3, 7}, {5, 129, 2}} {
		m, k, n := s[0], s[1], s[2]
		a, b := seq(m*k, 1.1), seq(k*n, 0.7)
		want := naiveMatMul(a, b, m, k, n)

		got := make([]float32, m*n)
		matMul(got, a, b, m, k, n)
		assert.Equal(t, want, got, "matMul %v", s)

		// aᵀ is (k, m): matMulTN(aᵀ stored as (m... )) computes (aᵀ)ᵀ·b.
		at := transposeData(a, m, k) // (k, m)
		got = make([]float32, m*n)
		matMulTN(got, at, b, k, m, n)
		assert.Equal(t, want, got, "matMulTN %v", s)

		bt := transposeData(b, k, n) // (n, k)
		got = make([]float32, m*n)
		matMulNT(got, a, bt, m, k, n)
		assert.Equal(t, want, got, "matMulNT %v", s)
	}
}

func TestSmallOps(t *testing.T) {
	x := mustTensor(t, []float64{1, 2, 3, 4, 5, 6}, 2, 3)

	tr, err := Transpose(x)
	require.NoError(t, err)
	assert.Equal(t, []int{3, 2}, tr.Shape)
	assert.Equal(t, []float64{1, 4, 2, 5, 3, 6}, tr.Data)

	sums, err := SumRows(x)
	require.NoError(t, err)
	assert.Equal(t, []float64{5, 7, 9}, sums)

	biased, err := AddBias(x, []float64{10, 20, 30})
	require.NoError(t, err)
	assert.Equal(t, []float64{11, 22, 33, 14, 25, 36}, biased.Data)
	assert.Equal(t, []float64{1, 2, 3, 4, 5, 6}, x.Data, "AddBias must not change its input")
	_, err = AddBias(x, []float64{1})
	assert.ErrorIs(t, err, ErrShape)

	prod, err := Mul(x, x)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 4, 9, 16, 25, 36}, prod.Data)
	_, err = Mul(x, tr)
	assert.ErrorIs(t, err, ErrShape)

	idx, err := Argmax(mustTensor(t, []float64{1, 3, 3, 9, 0, -1}, 2, 3))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 0}, idx, "first index wins a tie")
}

func TestSoftmaxStable(t *testing.T) {
	x := mustTensor(t, []float32{1000, 1000, 1000, 0, 0, 0}, 2, 3)
	p, err := SoftmaxRows(x)
	require.NoError(t, err)
	third := float32(1) / 3
	for i, v := range p.Data {
		assert.InDelta(t, third, v, 1e-7, "entry %d", i)
	}

	q, err := SoftmaxRows(mustTensor(t, []float64{1, 2, 3}, 1, 3))
	require.NoError(t, err)
	// e^-2, e^-1, 1 over their sum.
	assert.InDeltaSlice(t, []float64{0.09003057317038046, 0.24472847105479764, 0.6652409557748218}, q.Data, 1e-15)
}
