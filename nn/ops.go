package nn

import "fmt"

// MatMul returns a·b. a is (m, k), b is (k, n), the result is (m, n).
// It returns an error wrapping ErrShape if the inner dimensions differ.
//
//	out[i][j] = sum_{p=0}^{k-1} a[i][p] * b[p][j]   (p ascending)
func MatMul[T Float](a, b Tensor[T]) (Tensor[T], error) {
	if err := matrix("a", a); err != nil {
		return Tensor[T]{}, err
	}
	if err := matrix("b", b); err != nil {
		return Tensor[T]{}, err
	}
	if a.Cols() != b.Rows() {
		return Tensor[T]{}, fmt.Errorf("%w: matmul (%d, %d) by (%d, %d)", ErrShape, a.Rows(), a.Cols(), b.Rows(), b.Cols())
	}
	out := Tensor[T]{Shape: []int{a.Rows(), b.Cols()}, Data: make([]T, a.Rows()*b.Cols())}
	matMul(out.Data, a.Data, b.Data, a.Rows(), a.Cols(), b.Cols())
	return out, nil
}

// AddBias returns x with b added to every row. x is (m, n), b is (n).
func AddBias[T Float](x Tensor[T], b []T) (Tensor[T], error) {
	if err := matrix("x", x); err != nil {
		return Tensor[T]{}, err
	}
	if len(b) != x.Cols() {
		return Tensor[T]{}, fmt.Errorf("%w: bias of %d for %d columns", ErrShape, len(b), x.Cols())
	}
	out := Tensor[T]{Shape: []int{x.Rows(), x.Cols()}, Data: append([]T(nil), x.Data...)}
	addBias(out.Data, b, x.Rows(), x.Cols())
	return out, nil
}

// Transpose returns the transpose of x. x is (m, n), the result is (n, m).
func Transpose[T Float](x Tensor[T]) (Tensor[T], error) {
	if err := matrix("x", x); err != nil {
		return Tensor[T]{}, err
	}
	m, n := x.Rows(), x.Cols()
	out := Tensor[T]{Shape: []int{n, m}, Data: make([]T, m*n)}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			out.Data[j*m+i] = x.Data[i*n+j]
		}
	}
	return out, nil
}

// SumRows returns the column sums of x (the sum over axis 0). x is (m, n),
// the result has n values, each summed over rows in ascending order.
func SumRows[T Float](x Tensor[T]) ([]T, error) {
	if err := matrix("x", x); err != nil {
		return nil, err
	}
	out := make([]T, x.Cols())
	sumRows(out, x.Data, x.Rows(), x.Cols())
	return out, nil
}

// Mul returns the element-wise product of a and b, which must have the same
// shape.
func Mul[T Float](a, b Tensor[T]) (Tensor[T], error) {
	if !sameShape(a.Shape, b.Shape) || len(a.Data) != len(b.Data) {
		return Tensor[T]{}, fmt.Errorf("%w: element-wise product of %v and %v", ErrShape, a.Shape, b.Shape)
	}
	out := Tensor[T]{Shape: append([]int(nil), a.Shape...), Data: make([]T, len(a.Data))}
	for i := range a.Data {
		out.Data[i] = a.Data[i] * b.Data[i]
	}
	return out, nil
}

// Argmax returns, for each row of x, the index of its largest value; the
// first one wins a tie. x is (m, n) with n >= 1.
func Argmax[T Float](x Tensor[T]) ([]int, error) {
	if err := matrix("x", x); err != nil {
		return nil, err
	}
	if x.Cols() == 0 {
		return nil, fmt.Errorf("%w: argmax of a matrix with no columns", ErrShape)
	}
	out := make([]int, x.Rows())
	for i := range out {
		out[i] = argmax(x.Data[i*x.Cols() : (i+1)*x.Cols()])
	}
	return out, nil
}

// SoftmaxRows returns the row-wise softmax of x, computed stably by subtracting
// each row's maximum before exponentiating. x is (m, n).
func SoftmaxRows[T Float](x Tensor[T]) (Tensor[T], error) {
	if err := matrix("x", x); err != nil {
		return Tensor[T]{}, err
	}
	out := Tensor[T]{Shape: []int{x.Rows(), x.Cols()}, Data: make([]T, len(x.Data))}
	softmaxRows(out.Data, x.Data, x.Rows(), x.Cols())
	return out, nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The kernels below do no checks: their callers have checked the shapes.
// Each one's summation order is part of its contract, since the engine's
// bit-for-bit reproducibility depends on it.

// matMul sets dst = a·b with exactly the bits of matMulRef: a is (m, k), b
// is (k, n), dst is (m, n); dst must not alias a or b. It runs the fast
// kernel of kernel_gemm.go on the calling goroutine.
func matMul[T Float](dst, a, b []T, m, k, n int) {
	gemm(dst, a, b, m, n, k, n, k, 1, n, false)
}

// matMulTN sets dst = aᵀ·b with exactly the bits of matMulTNRef: a is
// (m, k), b is (m, n), dst is (k, n); dst must not alias a or b.
func matMulTN[T Float](dst, a, b []T, m, k, n int) {
	gemm(dst, a, b, k, n, m, n, 1, k, n, false)
}

// matMulNT sets dst = a·bᵀ with exactly the bits of matMulNTRef: a is
// (m, n), b is (k, n), dst is (m, k); dst must not alias a or b.
func matMulNT[T Float](dst, a, b []T, m, n, k int) {
	gemmNT(dst, a, b, m, n, k)
}

// The reference kernels: the plain loops whose per-output summation order
// defines the engine's bits. The fast kernels are tested against them.

// matMulRef sets dst = a·b in i-k-j order, so the innermost loop walks b and
// dst contiguously. a is (m, k), b is (k, n), dst is (m, n); dst must not
// alias a or b.
//
//	dst[i][j] = (((0 + a[i][0]*b[0][j]) + a[i][1]*b[1][j]) + ...)
func matMulRef[T Float](dst, a, b []T, m, k, n int) {
	for i := 0; i < m; i++ {
		out := dst[i*n : (i+1)*n]
		clear(out)
		for p := 0; p < k; p++ {
			aip := a[i*k+p]
			row := b[p*n : (p+1)*n]
			row = row[:len(out)]
			for j, bv := range row {
				out[j] += T(aip * bv)
			}
		}
	}
}

// matMulTNRef sets dst = aᵀ·b. a is (m, k), b is (m, n), dst is (k, n); dst
// must not alias a or b.
//
//	dst[p][j] = sum_{i=0}^{m-1} a[i][p] * b[i][j]   (i ascending)
func matMulTNRef[T Float](dst, a, b []T, m, k, n int) {
	clear(dst[:k*n])
	for i := 0; i < m; i++ {
		brow := b[i*n : (i+1)*n]
		for p := 0; p < k; p++ {
			aip := a[i*k+p]
			out := dst[p*n : (p+1)*n]
			out = out[:len(brow)]
			for j, bv := range brow {
				out[j] += T(aip * bv)
			}
		}
	}
}

// matMulNTRef sets dst = a·bᵀ. a is (m, n), b is (k, n), dst is (m, k); dst
// must not alias a or b.
//
//	dst[i][p] = sum_{j=0}^{n-1} a[i][j] * b[p][j]   (j ascending)
func matMulNTRef[T Float](dst, a, b []T, m, n, k int) {
	for i := 0; i < m; i++ {
		arow := a[i*n : (i+1)*n]
		for p := 0; p < k; p++ {
			brow := b[p*n : (p+1)*n]
			brow = brow[:len(arow)]
			var s T
			for j, av := range arow {
				s += T(av * brow[j])
			}
			dst[i*k+p] = s
		}
	}
}

// addBias adds b to every row of x in place, with exactly the bits of
// addBiasRef. x is (m, n), b is (n).
//
// It is gemm with a one-term sum started from x: x[i][j] + 1*b[j], and
// 1*b[j] is b[j] exactly.
func addBias[T Float](x, b []T, m, n int) {
	if m == 1 {
		// One row (single-sample predict): the plain loop beats the
		// kernel call, with the same bits.
		addBiasRef(x, b, m, n)
		return
	}
	one := [1]T{1}
	gemm(x, one[:], b, m, n, 1, n, 0, 0, n, true)
}

// sumRows sets dst to the column sums of x, rows added in ascending order,
// with exactly the bits of sumRowsRef. x is (m, n), dst is (n).
//
// It is gemm on one row of ones: (((0 + 1*x[0][j]) + 1*x[1][j]) + ...),
// and 1*x[i][j] is x[i][j] exactly.
func sumRows[T Float](dst, x []T, m, n int) {
	one := [1]T{1}
	gemm(dst, one[:], x, 1, n, m, n, 0, 0, n, false)
}

// addBiasRef is the reference loop of addBias.
func addBiasRef[T Float](x, b []T, m, n int) {
	for i := 0; i < m; i++ {
		row := x[i*n : (i+1)*n]
		row = row[:len(b)]
		for j, bv := range b {
			row[j] += bv
		}
	}
}

// sumRowsRef is the reference loop of sumRows.
func sumRowsRef[T Float](dst, x []T, m, n int) {
	clear(dst[:n])
	for i := 0; i < m; i++ {
		row := x[i*n : (i+1)*n]
		for j, v := range row {
			dst[j] += v
		}
	}
}

// argmax returns the index of the largest value of x, the first on a tie.
// A NaN never wins.
func argmax[T Float](x []T) int {
	best := 0
	for i := 1; i < len(x); i++ {
		if x[i] > x[best] {
			best = i
		}
	}
	return best
}

// softmaxRows sets each row of dst to the softmax of the same row of x.
// dst may alias x. x and dst are (m, n).
//
//	dst[i][j] = exp(x[i][j] - max_i) / sum_j exp(x[i][j] - max_i)
func softmaxRows[T Float](dst, x []T, m, n int) {
	for i := 0; i < m; i++ {
		softmax(dst[i*n:(i+1)*n], x[i*n:(i+1)*n])
	}
}

// softmax sets dst to the softmax of x; dst may alias x.
func softmax[T Float](dst, x []T) {
	if len(x) == 0 {
		return
	}
	dst = dst[:len(x)]
	mx := x[0]
	for _, v := range x[1:] {
		if v > mx {
			mx = v
		}
	}
	var sum T
	for j, v := range x {
		e := exp(v - mx)
		dst[j] = e
		sum += e
	}
	for j := range dst {
		dst[j] /= sum
	}
}
