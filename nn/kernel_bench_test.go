package nn

import (
	"fmt"
	"testing"
)

// benchShapes are (m, k, n) products: the digits and blobs networks'
// forward products, and a square one.
var benchShapes = [][3]int{{32, 64, 128}, {32, 128, 10}, {128, 64, 128}, {128, 128, 10}, {256, 256, 256}}

// BenchmarkKernels reports GFLOP/s (2mkn per product) of each kernel on
// each shape: the reference loops, the fast kernel on the calling
// goroutine, and the trainer's kernels on 2 workers. For matMulTN and
// matMulNT the shape is that of the product they compute, aᵀ·b and a·bᵀ.
func BenchmarkKernels(b *testing.B) {
	for _, s := range benchShapes {
		m, k, n := s[0], s[1], s[2]
		x, y := seq(m*k, 0.5), seq(k*n, 0.25)
		xt, yt := transposeGeneric(x, m, k), transposeGeneric(y, k, n)
		dst := make([]float32, m*n)
		par := newKernels[float32](k * n)
		par.setWorkers(2)
		par.minWork = 0 // split whatever the size, to measure the split
		for _, tc := range []struct {
			name string
			run  func()
		}{
			{"matMulRef", func() { matMulRef(dst, x, y, m, k, n) }},
			{"matMul", func() { matMul(dst, x, y, m, k, n) }},
			{"matMul2w", func() { par.matMul(dst, x, y, m, k, n) }},
			{"matMulTNRef", func() { matMulTNRef(dst, xt, y, k, m, n) }},
			{"matMulTN", func() { matMulTN(dst, xt, y, k, m, n) }},
			{"matMulTN2w", func() { par.matMulTN(dst, xt, y, k, m, n) }},
			{"matMulNTRef", func() { matMulNTRef(dst, x, yt, m, k, n) }},
			{"matMulNT", func() { matMulNT(dst, x, yt, m, k, n) }},
			{"matMulNT2w", func() { par.matMulNT(dst, x, yt, m, k, n) }},
		} {
			b.Run(fmt.Sprintf("%s/%dx%dx%d", tc.name, m, k, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					tc.run()
				}
				b.ReportMetric(2*float64(m*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				sink += dst[0]
			})
		}
	}
}

// BenchmarkJobs times issue 7's training jobs in process, from the seeded
// initialisation to the last epoch: with the reference kernels (digits
// only: blobs takes seconds), with the fast kernels as a Trainer runs them
// by default ("fast"), and with every product split between 2 workers
// ("split2w"). Targets on the 2-core machine: digits 0.3 s, blobs 0.8 s.
func BenchmarkJobs(b *testing.B) {
	digits, blobs := digitsJob(b), blobsJob(b, 200000)
	for _, tc := range []struct {
		name  string
		job   job
		setup func(*Trainer[float32])
	}{
		{"digits/ref", digits, func(t *Trainer[float32]) { t.kern.ref = true }},
		{"digits/fast", digits, nil},
		{"digits/split2w", digits, split2},
		{"blobs/fast", blobs, nil},
		{"blobs/split2w", blobs, split2},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var s *Sequential[float32]
			for b.Loop() {
				s = tc.job.train(b, tc.setup)
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/job")
			sink += s.Layers[0].(*Linear[float32]).W[0]
		})
	}
}

func split2(t *Trainer[float32]) {
	t.SetWorkers(2)
	t.kern.minWork = 0
}

// BenchmarkEpochs measures one epoch of each job in the steady state; its
// allocs/op is the allocations per epoch (0: the trainer preallocates).
func BenchmarkEpochs(b *testing.B) {
	digits, blobs := digitsJob(b), blobsJob(b, 200000)
	for _, tc := range []struct {
		name    string
		job     job
		workers int
	}{{"digits", digits, 1}, {"blobs", blobs, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			r := newTestRand()
			model, err := NewMLP[float32](tc.job.sizes, ReLU, r)
			if err != nil {
				b.Fatal(err)
			}
			tr, err := NewTrainer(model, jobOptimizer, tc.job.batch)
			if err != nil {
				b.Fatal(err)
			}
			tr.SetWorkers(tc.workers)
			// The first epoch allocates the permutation; measure the next.
			if _, err := tr.Epoch(tc.job.z, tc.job.y, r); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tr.Epoch(tc.job.z, tc.job.y, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
