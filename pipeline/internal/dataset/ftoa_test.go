package dataset

import (
	"flag"
	"math"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var exhaustive = flag.Bool("exhaustive", false, "compare appendFloat32 with strconv on every binary32 value it handles itself")

func TestAppendFloat32(t *testing.T) {
	for _, x := range []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.1, 1.0 / 3, -4.0876, 8.01, 1e-4, -1e-4, 9.9999e-5,
		0.00012345, 999999.9, 999999.94, 1e6, 123456.7, 16777216, 0.5, 2, 1e-45, math.MaxFloat32, 1e21, 5e-5,
		float32(math.Inf(1)), float32(math.NaN()), 3.4e-3, 100, 1.5, 1e5, 99999.99} {
		want := strconv.FormatFloat(float64(x), 'g', -1, 32)
		assert.Equal(t, want, string(appendFloat32(nil, x)), "bits %#08x", math.Float32bits(x))
	}
	// The blobs file's values are the fast path's.
	for _, x := range []float32{-4.0876, 2.7586, 0.1, 0.0002, 12, -999999.94} {
		got, ok := appendShortFixed([]byte("a,"), x)
		assert.True(t, ok, "%v", x)
		assert.Equal(t, "a,"+strconv.FormatFloat(float64(x), 'g', -1, 32), string(got))
	}
}

// checkFloat32Range compares appendFloat32 with strconv on every bits
// value in [lo, hi) whose index is a multiple of step, and returns the
// first disagreement.
func checkFloat32Range(lo, hi, step uint32) (bad uint32, got, want string, fast int, ok bool) {
	var a, b []byte
	for u := lo; u < hi; u += step {
		x := math.Float32frombits(u)
		a = appendFloat32(a[:0], x)
		b = strconv.AppendFloat(b[:0], float64(x), 'g', -1, 32)
		if string(a) != string(b) {
			return u, string(a), string(b), fast, false
		}
		if _, ok := appendShortFixed(a[:0], x); ok {
			fast++
		}
	}
	return 0, "", "", fast, true
}

// The fast path handles 1e-4 <= |x| < 1e6; every binary32 value in
// [2^-14, 2^20), which holds that range, of either sign, is checked with
// -exhaustive (a minute on two cores), a spread sample of them otherwise.
func TestAppendFloat32MatchesStrconv(t *testing.T) {
	lo, hi := math.Float32bits(0x1p-14), math.Float32bits(0x1p20)
	step := uint32(97)
	if *exhaustive {
		step = 1
	}
	parts := 16
	var wg sync.WaitGroup
	type failure struct {
		bits      uint32
		got, want string
	}
	fails := make([]*failure, 2*parts)
	fast := make([]int, 2*parts)
	for i := range 2 * parts {
		sign := uint32(i%2) << 31
		p := uint32(i / 2)
		n := hi - lo
		from, to := lo+n/uint32(parts)*p, lo+n/uint32(parts)*(p+1)
		if int(p) == parts-1 {
			to = hi
		}
		wg.Go(func() {
			u, got, want, n, ok := checkFloat32Range(sign|from, sign|to, step)
			if !ok {
				fails[i] = &failure{u, got, want}
			}
			fast[i] = n
		})
	}
	wg.Wait()
	for _, f := range fails {
		require.Nil(t, f, "first disagreement")
	}
	total := 0
	for _, n := range fast {
		total += n
	}
	checked := 2 * int((hi-lo)/step)
	t.Logf("%d of %d values took the fast path", total, checked)
	assert.Greater(t, total, checked/2, "the fast path must be the common one")
}
