package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// reluValues are the values whose ReLU the reference loop pins: both zeros,
// NaNs of both signs, infinities, subnormals and ordinary numbers.
var reluValues = []float32{
	0, float32(math.Copysign(0, -1)), float32(math.NaN()), -float32(math.NaN()),
	float32(math.Inf(1)), float32(math.Inf(-1)), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	1.5, -2.25, math.MaxFloat32, -math.MaxFloat32, 1e-30, -1e-30,
}

func reluInput(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = reluValues[(i*5+n)%len(reluValues)]
	}
	return x
}

// TestReLUKernelsMatchReferenceBits checks the vector ReLU and its
// gradient against the reference loops on every length up to 41 (the
// vector body and the scalar tail), bit for bit, in place and not.
func TestReLUKernelsMatchReferenceBits(t *testing.T) {
	for n := 0; n <= 41; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			x, dy := reluInput(n), reluInput(n + 3)[3:]
			want, got := garbage[float32](n), garbage[float32](n)
			reluGo(want, x)
			relu(got, x)
			assert.Equal(t, bits32(want), bits32(got), "relu")
			inPlace := append([]float32(nil), x...)
			relu(inPlace, inPlace)
			assert.Equal(t, bits32(want), bits32(inPlace), "relu in place")

			reluBackwardGo(want, dy, x)
			reluBackward(got, dy, x)
			assert.Equal(t, bits32(want), bits32(got), "reluBackward")
			inPlace = append([]float32(nil), dy...)
			reluBackward(inPlace, inPlace, x)
			assert.Equal(t, bits32(want), bits32(inPlace), "reluBackward in place")

			x64, dy64 := make([]float64, n), make([]float64, n)
			for i := range x64 {
				x64[i], dy64[i] = float64(x[i]), float64(dy[i])
			}
			want64, got64 := garbage[float64](n), garbage[float64](n)
			reluGo(want64, x64)
			relu(got64, x64)
			assert.Equal(t, bits64(want64), bits64(got64), "relu float64")
		})
	}
	// The NaN and zero cases are the point: spell them out.
	got := make([]float32, 8)
	relu(got, []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), -1, 2, 0, float32(math.Inf(1)), -3, 4})
	assert.Equal(t, []uint32{0, 0, 0, math.Float32bits(2), 0, math.Float32bits(float32(math.Inf(1))), 0, math.Float32bits(4)}, bits32(got))
}
