// Package blobs makes a synthetic classification data set, Gaussian blobs
// as scikit-learn's make_blobs draws them, from the project's xorshift64*
// generator, so the same seed gives the same values on every machine. It is
// the data of issue 7's benchmark: pipeline/blobs writes it as CSV, and nn's
// job benchmarks train on it in memory.
package blobs

import (
	"math"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

// Make returns rows samples of cols features in classes blobs. x is
// (rows, cols), y holds each row's class in [0, classes). The order of the
// draws from rng.New(seed) is part of the contract:
//
//   - one centre per class, row by row, each coordinate uniform in
//     [-10, 10): -10 + 20*Float64();
//   - then per row its label, Intn(classes), and its features in order,
//     each the class centre plus Normal(), rounded to four decimals and
//     then to float32.
//
// It panics if rows, cols or classes is below 1.
func Make(seed uint64, rows, cols, classes int) (x []float32, y []int) {
	if rows < 1 || cols < 1 || classes < 1 {
		panic("blobs: rows, cols and classes must be at least 1")
	}
	r := rng.New(seed)
	centers := make([]float64, classes*cols)
	for i := range centers {
		// The conversion keeps the product rounded on its own (no FMA).
		centers[i] = -10 + float64(20*r.Float64())
	}
	x, y = make([]float32, rows*cols), make([]int, rows)
	for i := range y {
		c := r.Intn(classes)
		y[i] = c
		row := x[i*cols : (i+1)*cols]
		for f, m := range centers[c*cols : (c+1)*cols] {
			row[f] = float32(math.Round((m+r.Normal())*1e4) / 1e4)
		}
	}
	return x, y
}
