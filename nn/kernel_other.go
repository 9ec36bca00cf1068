//go:build !amd64 || purego

package nn

// useAVX2 is false: this build has no assembly kernels.
const useAVX2 = false

// gemmF32 is gemm for float32 with the shape already checked; without
// assembly it is the portable loop.
func gemmF32(d, a, b []float32, rows, n, k, ldd, ars, ass, ldb int, acc bool) {
	gemmGo(d, a, b, rows, n, k, ldd, ars, ass, ldb, acc)
}

func reluF32(dst, x []float32) { reluGo(dst, x) }

func reluBackwardF32(dx, dy, x []float32) { reluBackwardGo(dx, dy, x) }
