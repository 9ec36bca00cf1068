package blobs

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sum is the FNV-1a hash of the float32 bits of every feature, then every
// label, each as 8 little-endian bytes.
func sum(x []float32, y []int) uint64 {
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		for i := 0; i < 8; i++ {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	for _, v := range x {
		mix(uint64(math.Float32bits(v)))
	}
	for _, v := range y {
		mix(uint64(v))
	}
	return h
}

// TestMakePinned pins the values of 1,000 rows of the benchmark's shape:
// pipeline/blobs pins the SHA-256 of the same rows written as CSV.
func TestMakePinned(t *testing.T) {
	x, y := Make(1, 1000, 64, 10)
	require.Len(t, x, 64000)
	require.Len(t, y, 1000)
	assert.Equal(t, uint64(0x4b70aab17f7adc5e), sum(x, y))
}

func TestMakeShape(t *testing.T) {
	x, y := Make(7, 500, 3, 4)
	counts := make([]int, 4)
	for i, c := range y {
		require.True(t, c >= 0 && c < 4, "row %d label %d", i, c)
		counts[c]++
	}
	for c, n := range counts {
		assert.Greater(t, n, 80, "class %d is drawn about a quarter of the time", c)
	}
	for i, v := range x {
		// Four decimals: v*1e4 is within float32 rounding of an integer.
		assert.InDelta(t, math.Round(float64(v)*1e4), float64(v)*1e4, 1e-2, "value %d", i)
		assert.Less(t, math.Abs(float64(v)), 10+6.0, "value %d is a centre in [-10, 10) plus noise", i)
	}
	x2, y2 := Make(7, 500, 3, 4)
	assert.Equal(t, x, x2)
	assert.Equal(t, y, y2)
	x3, _ := Make(8, 500, 3, 4)
	assert.NotEqual(t, x, x3)
	assert.Panics(t, func() { Make(1, 0, 3, 4) })
}
