package nn

import (
	"fmt"
	"testing"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

var sink float32

// BenchmarkPredict measures single-sample inference of the reference
// 4-32-3 network with its normaliser. Target: at most 150 ns/op, 0 allocs.
func BenchmarkPredict(b *testing.B) {
	run := trainIris(b, 5)
	p, err := NewPredictor(run.model, run.norm)
	if err != nil {
		b.Fatal(err)
	}
	x := []float32{5.1, 3.5, 1.4, 0.2}
	b.ReportAllocs()
	for b.Loop() {
		sink += p.Predict(x)[0]
	}
}

// BenchmarkMatMul reports GFLOP/s of the reference i-k-j kernel.
func BenchmarkMatMul(b *testing.B) {
	for _, n := range []int{32, 128, 256} {
		b.Run(fmt.Sprintf("%dx%dx%d", n, n, n), func(b *testing.B) {
			a, c := seq(n*n, 0.5), seq(n*n, 0.25)
			dst := make([]float32, n*n)
			b.ReportAllocs()
			for b.Loop() {
				matMul(dst, a, c, n, n, n)
			}
			b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			sink += dst[0]
		})
	}
}

// BenchmarkIrisEpoch measures one epoch (150 rows, batch 16) of the
// reference network.
func BenchmarkIrisEpoch(b *testing.B) {
	run := trainIris(b, 0)
	tr, err := NewTrainer(run.model, OptimizerConfig{Name: "sgd", LR: 0.05, Momentum: 0.9}, 16)
	if err != nil {
		b.Fatal(err)
	}
	r := rng.New(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.Epoch(run.z, run.y, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIrisTrain500 measures the article's whole job: 500 epochs of the
// 4-32-3 network on Iris at batch 16, from initialisation. Target: 50 ms.
func BenchmarkIrisTrain500(b *testing.B) {
	run := trainIris(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		r := rng.New(42)
		model, err := NewMLP[float32]([]int{4, 32, 3}, ReLU, r)
		if err != nil {
			b.Fatal(err)
		}
		tr, err := NewTrainer(model, OptimizerConfig{Name: "sgd", LR: 0.05, Momentum: 0.9}, 16)
		if err != nil {
			b.Fatal(err)
		}
		for e := 0; e < 500; e++ {
			if _, err := tr.Epoch(run.z, run.y, r); err != nil {
				b.Fatal(err)
			}
		}
	}
}
