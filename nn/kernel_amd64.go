//go:build amd64 && !purego

package nn

// useAVX2 reports whether the CPU and the operating system support AVX2,
// which the float32 kernels of kernel_amd64.s need. Which kernel runs never
// changes a bit: they all follow the reference order.
var useAVX2 = detectAVX2()

// detectAVX2 reads CPUID: AVX and OSXSAVE (leaf 1 ECX bits 28 and 27), the
// OS saving the YMM state (XCR0 bits 1 and 2), and AVX2 (leaf 7 EBX bit 5).
func detectAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&(1<<27) == 0 || ecx1&(1<<28) == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// cpuid executes the CPUID instruction with EAX = leaf, ECX = sub.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// xgetbv returns XCR0 (EDX:EAX of XGETBV with ECX = 0).
func xgetbv() (eax, edx uint32)

// gemm4AVX2 is gemm on 4 rows: for r < 4 and j < n,
//
//	d[r*ldd+j] = (acc ? d[r*ldd+j] : 0) + a[r*ars]*b[j] + a[r*ars+ass]*b[ldb+j] + ...
//
// summed over s < k in ascending order, each product rounded (VMULPS, then
// VADDPS), 8 outputs j per register. k must be at least 1.
//
//go:noescape
func gemm4AVX2(d, a, b *float32, n, k, ldd, ars, ass, ldb int, acc bool)

// gemm1AVX2 is gemm4AVX2 on one row.
//
//go:noescape
func gemm1AVX2(d, a, b *float32, n, k, ass, ldb int, acc bool)

// gemmF32 is gemm for float32 with the shape already checked: the AVX2
// kernels 4 rows at a time where the CPU has them, gemmGo otherwise.
func gemmF32(d, a, b []float32, rows, n, k, ldd, ars, ass, ldb int, acc bool) {
	if !useAVX2 || k == 0 {
		gemmGo(d, a, b, rows, n, k, ldd, ars, ass, ldb, acc)
		return
	}
	r := 0
	for ; r+4 <= rows; r += 4 {
		gemm4AVX2(&d[r*ldd], &a[r*ars], &b[0], n, k, ldd, ars, ass, ldb, acc)
	}
	for ; r < rows; r++ {
		gemm1AVX2(&d[r*ldd], &a[r*ars], &b[0], n, k, ass, ldb, acc)
	}
}

// reluAVX2 is relu on n values, n a positive multiple of 8: a mask of
// x > 0 (ordered, so NaN fails it) ANDed with x.
//
//go:noescape
func reluAVX2(dst, x *float32, n int)

// reluBackwardAVX2 is reluBackward on n values, n a positive multiple of 8.
//
//go:noescape
func reluBackwardAVX2(dx, dy, x *float32, n int)

func reluF32(dst, x []float32) {
	dst = dst[:len(x)]
	n := len(x) &^ 7
	if useAVX2 && n > 0 {
		reluAVX2(&dst[0], &x[0], n)
	} else {
		n = 0
	}
	reluGo(dst[n:], x[n:])
}

func reluBackwardF32(dx, dy, x []float32) {
	dx = dx[:len(dy)]
	x = x[:len(dy)]
	n := len(dy) &^ 7
	if useAVX2 && n > 0 {
		reluBackwardAVX2(&dx[0], &dy[0], &x[0], n)
	} else {
		n = 0
	}
	reluBackwardGo(dx[n:], dy[n:], x[n:])
}
