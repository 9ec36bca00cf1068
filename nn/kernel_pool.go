package nn

import (
	"runtime"
	"sync"
)

// The Trainer's matrix products on more than one core. A product is split
// by rows of its output (never along its sum), so every output is computed
// by exactly the same instructions whichever goroutine runs it: one worker
// or two give the same bits. Small products stay on the calling goroutine,
// where handing work to another costs more than it saves.

// parallelMinWork is the number of multiply-adds (rows*n*k) below which a
// product runs on the calling goroutine. Handing half a product to a
// parked helper goroutine costs about 20 microseconds on the 2-core AMD
// EPYC this was measured on (BenchmarkKernels, matMul2w against matMul),
// while the AVX2 kernel does about 40,000 multiply-adds per microsecond:
// every product of the digits and blobs networks (at most 128x64x128, 1M
// multiply-adds, 25 microseconds) ran slower on two workers than on one,
// and 256x256x256 (16M) ran faster. Polling instead of parking the helper
// made training ten times slower when other processes held the cores.
const parallelMinWork = 1 << 22

// kernels runs a Trainer's matrix products: the fast kernels on up to
// workers goroutines, or, for tests, the reference loops of ops.go. Its
// buffers are allocated once, so a product allocates nothing.
type kernels[T Float] struct {
	ref     bool // run the reference kernels (to prove the fast ones equal them)
	workers int  // goroutines per product, at least 1
	minWork int  // multiply-adds below which a product is not split; tests set 0
	wt      []T  // bᵀ for matMulNT
	job     gemmJob[T]
	done    chan struct{} // one receive per part run by a helper
}

// newKernels returns kernels for products whose transposed operand of
// matMulNT holds at most maxNT values, on runtime.GOMAXPROCS goroutines.
func newKernels[T Float](maxNT int) kernels[T] {
	k := kernels[T]{wt: make([]T, maxNT), minWork: parallelMinWork}
	k.setWorkers(runtime.GOMAXPROCS(0))
	return k
}

// setWorkers sets the number of goroutines per product (n < 1 means 1) and
// starts the shared helper goroutines it needs.
func (k *kernels[T]) setWorkers(n int) {
	n = max(n, 1)
	k.workers = n
	if cap(k.done) < n {
		k.done = make(chan struct{}, n)
	}
	startHelpers(n - 1)
}

// SetWorkers sets the number of goroutines that each of t's matrix products
// may use (n < 1 means 1); the default is runtime.GOMAXPROCS(0). Only
// products of at least 2^22 multiply-adds are split, where a benchmark
// shows a gain. The worker count never changes a trained model's bits:
// work is split by output rows, and each output's sum is computed the same
// way.
func (t *Trainer[T]) SetWorkers(n int) { t.kern.setWorkers(n) }

// matMul is matMul on the trainer's workers.
func (k *kernels[T]) matMul(dst, a, b []T, m, kk, n int) {
	if k.ref {
		matMulRef(dst, a, b, m, kk, n)
		return
	}
	k.gemm(dst, a, b, m, n, kk, n, kk, 1, n)
}

// matMulTN is matMulTN on the trainer's workers.
func (k *kernels[T]) matMulTN(dst, a, b []T, m, kk, n int) {
	if k.ref {
		matMulTNRef(dst, a, b, m, kk, n)
		return
	}
	k.gemm(dst, a, b, kk, n, m, n, 1, kk, n)
}

// matMulNT is matMulNT on the trainer's workers: b is transposed once into
// the scratch buffer, then multiplied as a·(bᵀ) in the reference order.
func (k *kernels[T]) matMulNT(dst, a, b []T, m, n, kk int) {
	if k.ref {
		matMulNTRef(dst, a, b, m, n, kk)
		return
	}
	if len(k.wt) < n*kk {
		// Not a Trainer's shape; keep the no-allocation promise anyway.
		gemmNT(dst, a, b, m, n, kk)
		return
	}
	wt := k.wt[:n*kk]
	transposeTile(wt, b, kk, n, n)
	k.gemm(dst, a, wt, m, kk, n, kk, n, 1, kk)
}

// linearForward is Linear.forward with the product on the trainer's
// workers: y = xW + b. x is (rows, l.In), y is (rows, l.Out).
func (k *kernels[T]) linearForward(l *Linear[T], y, x []T, rows int) {
	k.matMul(y, x, l.W, rows, l.In, l.Out)
	addBias(y, l.B, rows, l.Out)
}

// gemm runs gemm (without acc), split by rows between up to k.workers
// goroutines when the product is large enough to gain from it.
func (k *kernels[T]) gemm(d, a, b []T, rows, n, kk, ldd, ars, ass, ldb int) {
	parts := min(k.workers, rows/8)
	if parts < 2 || rows*n*kk < k.minWork {
		gemm(d, a, b, rows, n, kk, ldd, ars, ass, ldb, false)
		return
	}
	k.job = gemmJob[T]{d: d, a: a, b: b, rows: rows, n: n, k: kk, ldd: ldd, ars: ars, ass: ass, ldb: ldb, parts: parts}
	for p := 1; p < parts; p++ {
		helperQueue <- helperTask{job: &k.job, part: p, done: k.done}
	}
	k.job.runPart(0)
	for p := 1; p < parts; p++ {
		<-k.done
	}
	k.job = gemmJob[T]{}
}

// gemmJob is one gemm split into parts of whole 4-row panels.
type gemmJob[T Float] struct {
	d, a, b                        []T
	rows, n, k, ldd, ars, ass, ldb int
	parts                          int
}

// runPart computes the rows of part p.
func (j *gemmJob[T]) runPart(p int) {
	per := (j.rows + j.parts - 1) / j.parts
	per = (per + 3) &^ 3
	lo := min(p*per, j.rows)
	hi := min(lo+per, j.rows)
	if lo == hi {
		return
	}
	gemm(j.d[lo*j.ldd:], j.a[lo*j.ars:], j.b, hi-lo, j.n, j.k, j.ldd, j.ars, j.ass, j.ldb, false)
}

// partRunner is a gemmJob of any element type.
type partRunner interface{ runPart(p int) }

type helperTask struct {
	job  partRunner
	part int
	done chan<- struct{}
}

// The helper goroutines are shared by every Trainer and live as long as the
// program: an idle one is a blocked receive and costs nothing.
var (
	helperQueue = make(chan helperTask)
	helperMu    sync.Mutex
	helperCount int
)

// startHelpers makes sure that at least n helper goroutines run.
func startHelpers(n int) {
	helperMu.Lock()
	defer helperMu.Unlock()
	for ; helperCount < n; helperCount++ {
		go func() {
			for t := range helperQueue {
				t.job.runPart(t.part)
				t.done <- struct{}{}
			}
		}()
	}
}
