package mathx

import (
	"math"
	"testing"
)

// benchInputs returns 1024 arguments spread over the range hot loops use.
func benchInputs(lo, hi float64) []float64 {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(len(xs))
	}
	return xs
}

var sink float64

// BenchmarkFuncs times each function beside its package math counterpart;
// ns/op is per call.
func BenchmarkFuncs(b *testing.B) {
	benches := []struct {
		name   string
		f, ref func(float64) float64
		xs     []float64
	}{
		{"Exp", Exp, math.Exp, benchInputs(-20, 20)},
		{"Log", Log, math.Log, benchInputs(1e-6, 100)},
		{"Tanh", Tanh, math.Tanh, benchInputs(-5, 5)},
		{"Sin", Sin, math.Sin, benchInputs(0, 2*math.Pi)},
		{"Cos", Cos, math.Cos, benchInputs(0, 2*math.Pi)},
		{"SinHuge", Sin, math.Sin, benchInputs(1e10, 1e20)},
	}
	for _, bb := range benches {
		for _, impl := range []struct {
			name string
			f    func(float64) float64
		}{{"mathx", bb.f}, {"math", bb.ref}} {
			b.Run(bb.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				f, xs := impl.f, bb.xs
				var s float64
				for i := 0; b.Loop(); i++ {
					s += f(xs[i&1023])
				}
				sink = s
			})
		}
	}
}

var sink32 float32

func BenchmarkFuncs32(b *testing.B) {
	benches := []struct {
		name string
		f    func(float32) float32
		lo   float32
		hi   float32
	}{
		{"Exp32", Exp32, -20, 20},
		{"Log32", Log32, 1e-6, 100},
		{"Tanh32", Tanh32, -5, 5},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			xs := make([]float32, 1024)
			for i := range xs {
				xs[i] = bb.lo + (bb.hi-bb.lo)*float32(i)/1024
			}
			var s float32
			for i := 0; b.Loop(); i++ {
				s += bb.f(xs[i&1023])
			}
			sink32 = s
		})
	}
}
