package nn

// The fast matrix kernels. All three products of the engine (a·b, aᵀ·b and
// a·bᵀ) are one strided loop, gemm, whose every output is summed in exactly
// the order of the reference kernels in ops.go, each product rounded to T
// before it is added (never a fused multiply-add):
//
//	d[r][j] = (((0 + A(r,0)*b[0][j]) + A(r,1)*b[1][j]) + ... + A(r,k-1)*b[k-1][j])
//
// where A(r,s) = a[r*ars + s*ass], b[s][j] = b[s*ldb + j], d[r][j] =
// d[r*ldd + j]. The outputs of one row are independent of one another, so
// the assembly kernel (kernel_amd64.s) computes 8 of them per AVX2 register,
// and 4 rows at once, walking s in ascending order for each: vectorising
// across outputs changes no output's arithmetic. Splitting the rows between
// goroutines (kernel_pool.go) changes nothing either.
//
// a·bᵀ sums along the rows of b, a dot product per output. Rather than
// vectorise a dot product (which would reassociate its sum), gemmNT
// transposes b into a scratch buffer, which makes it a gemm with the same
// per-output order.

// ntBlock is the side of the square tiles of b that gemmNT transposes on
// the stack: 64*64 values (16 KiB of float32) at a time.
const ntBlock = 64

// gemm sets d = A·b on the calling goroutine, as the comment at the top of
// this file defines; with acc it adds to the values already in d instead of
// starting from zero (the partial sums that gemmNT carries between tiles).
// It panics if a slice is too short for its shape.
func gemm[T Float](d, a, b []T, rows, n, k, ldd, ars, ass, ldb int, acc bool) {
	if rows <= 0 || n <= 0 {
		return
	}
	if len(d) < (rows-1)*ldd+n || n > ldd {
		panic("nn: gemm destination too short")
	}
	if k > 0 && (len(a) < (rows-1)*ars+(k-1)*ass+1 || len(b) < (k-1)*ldb+n) {
		panic("nn: gemm operand too short")
	}
	if d32, ok := any(d).([]float32); ok {
		gemmF32(d32, any(a).([]float32), any(b).([]float32), rows, n, k, ldd, ars, ass, ldb, acc)
		return
	}
	gemmGo(d, a, b, rows, n, k, ldd, ars, ass, ldb, acc)
}

// gemmGo is the portable gemm: the reference loop order (row, s, j), with
// the shape already checked.
func gemmGo[T Float](d, a, b []T, rows, n, k, ldd, ars, ass, ldb int, acc bool) {
	for r := 0; r < rows; r++ {
		out := d[r*ldd : r*ldd+n]
		if !acc {
			clear(out)
		}
		for s := 0; s < k; s++ {
			av := a[r*ars+s*ass]
			row := b[s*ldb : s*ldb+n]
			row = row[:len(out)]
			for j, bv := range row {
				out[j] += T(av * bv)
			}
		}
	}
}

// gemmNT sets dst = a·bᵀ on the calling goroutine. a is (m, n), b is (k, n),
// dst is (m, k):
//
//	dst[i][p] = (((0 + a[i][0]*b[p][0]) + a[i][1]*b[p][1]) + ...)   (j ascending)
//
// It transposes b one ntBlock x ntBlock tile at a time into a buffer on the
// stack and runs gemm on each tile, carrying the partial sums in dst from
// one tile of j to the next, which keeps the order of every sum.
func gemmNT[T Float](dst, a, b []T, m, n, k int) {
	if m <= 0 || k <= 0 {
		return
	}
	if n == 0 {
		clear(dst[:m*k])
		return
	}
	var buf [ntBlock * ntBlock]T
	for p0 := 0; p0 < k; p0 += ntBlock {
		pb := min(ntBlock, k-p0)
		for j0 := 0; j0 < n; j0 += ntBlock {
			jb := min(ntBlock, n-j0)
			transposeTile(buf[:jb*pb], b[p0*n+j0:], pb, jb, n)
			gemm(dst[p0:], a[j0:], buf[:jb*pb], m, pb, jb, k, n, 1, pb, j0 > 0)
		}
	}
}

// transposeTile sets dst[j*rows+p] = src[p*ld+j] for p < rows, j < cols:
// dst is (cols, rows), src is (rows, cols) with row stride ld.
func transposeTile[T Float](dst, src []T, rows, cols, ld int) {
	for p := 0; p < rows; p++ {
		row := src[p*ld : p*ld+cols]
		for j, v := range row {
			dst[j*rows+p] = v
		}
	}
}
