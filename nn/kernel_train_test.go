package nn

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrainedModelBitsIndependentOfKernels trains digits and a blobs
// sample with the reference kernels, and with the fast kernels on 1, 2 and
// 3 workers splitting every product, and requires byte-identical FINF
// files.
func TestTrainedModelBitsIndependentOfKernels(t *testing.T) {
	digits := digitsJob(t)
	digits.epochs = 5
	blobs := blobsJob(t, 6000)
	for _, tc := range []struct {
		name string
		job  job
	}{{"digits", digits}, {"blobs", blobs}} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.job.finf(t, tc.job.train(t, func(tr *Trainer[float32]) { tr.kern.ref = true }))
			for _, w := range []int{1, 2, 3} {
				got := tc.job.finf(t, tc.job.train(t, func(tr *Trainer[float32]) {
					tr.SetWorkers(w)
					tr.kern.minWork = 0 // split every product, however small
				}))
				assert.True(t, bytes.Equal(want, got), "%d workers: FINF sha256 %x, reference %x", w, sha256.Sum256(got), sha256.Sum256(want))
			}
		})
	}
}

// TestParallelKernelsMatchReferenceBits runs the trainer's products split
// between 2 and 3 workers on the kernel shapes against the reference loops.
func TestParallelKernelsMatchReferenceBits(t *testing.T) {
	r := newTestRand()
	for _, s := range kernelShapes {
		m, k, n := s[0], s[1], s[2]
		a, b := roundingValues(r, m*k), roundingValues(r, k*n)
		at, bt := transposeGeneric(a, m, k), transposeGeneric(b, k, n)
		for _, w := range []int{2, 3} {
			kern := newKernels[float32](k * n)
			kern.setWorkers(w)
			kern.minWork = 0
			for _, tc := range []struct {
				name      string
				fast, ref func(d []float32)
			}{
				{"matMul", func(d []float32) { kern.matMul(d, a, b, m, k, n) }, func(d []float32) { matMulRef(d, a, b, m, k, n) }},
				{"matMulTN", func(d []float32) { kern.matMulTN(d, at, b, k, m, n) }, func(d []float32) { matMulTNRef(d, at, b, k, m, n) }},
				{"matMulNT", func(d []float32) { kern.matMulNT(d, a, bt, m, k, n) }, func(d []float32) { matMulNTRef(d, a, bt, m, k, n) }},
			} {
				t.Run(fmt.Sprintf("%s/%dworkers/%dx%dx%d", tc.name, w, m, k, n), func(t *testing.T) {
					want, got := garbage[float32](m*n), garbage[float32](m*n)
					tc.ref(want)
					tc.fast(got)
					assert.Equal(t, bits32(want), bits32(got))
				})
			}
		}
	}
}

// TestEpochAllocatesNothing checks the steady state of training: once the
// trainer exists, an epoch allocates nothing, on one worker or two.
func TestEpochAllocatesNothing(t *testing.T) {
	j := blobsJob(t, 2000)
	for _, w := range []int{1, 2} {
		r := newTestRand()
		model, err := NewMLP[float32](j.sizes, ReLU, r)
		require.NoError(t, err)
		tr, err := NewTrainer(model, jobOptimizer, j.batch)
		require.NoError(t, err)
		tr.SetWorkers(w)
		tr.kern.minWork = 0
		allocs := testing.AllocsPerRun(3, func() {
			_, err := tr.Epoch(j.z, j.y, r)
			require.NoError(t, err)
		})
		assert.Equal(t, 0.0, allocs, "%d workers", w)
	}
}
