package dataset

import (
	"math"
	"strconv"
)

// pow10f64 holds 10^k for k <= 12; each is exact in binary64, and so is
// its product with any binary32 value (24 + 28 significant bits).
var pow10f64 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12}

// appendFloat32 appends strconv.FormatFloat(float64(x), 'g', -1, 32), the
// shortest text that parses back to x (the closest such to x), to dst.
//
// For 1e-4 <= |x| < 1e6 whose significand is not a power of two (so the
// values that round to x form an interval symmetric about it, of half
// width h = ulp(x)/2), it finds the text directly: the shortest decimal in
// that interval is the multiple of 10^-k nearest to x for the least k that
// puts one within h (a multiple of a coarser power of ten, or a power of
// ten straddled, would be a multiple at a smaller k). With
//
//	m = round(x * 10^k),  in the interval iff |m - x*10^k| < h * 10^k
//
// every quantity is exact in binary64, so the test is too; ties, exact
// boundaries and anything else go to strconv. A test compares the two on
// every binary32 value in the range.
func appendFloat32(dst []byte, x float32) []byte {
	if b, ok := appendShortFixed(dst, x); ok {
		return b
	}
	return strconv.AppendFloat(dst, float64(x), 'g', -1, 32)
}

// appendShortFixed is appendFloat32's fast path; it returns dst and false
// for the values it leaves to strconv.
func appendShortFixed(dst []byte, x float32) ([]byte, bool) {
	a := math.Abs(float64(x))
	bits := math.Float32bits(x)
	if !(a >= 1e-4 && a < 1e6) || bits&(1<<23-1) == 0 {
		return dst, false
	}
	// h = ulp(x)/2 = 2^(e-24), e the unbiased binary exponent of x.
	e := int(bits>>23&0xff) - 127
	h := math.Float64frombits(uint64(e-24+1023) << 52)
	for k, p := range pow10f64 {
		xk := float64(a * p)      // rounded on its own: no fused m - a*p below
		m := math.RoundToEven(xk) // a tie (d == 0.5) is refused below either way
		d := math.Abs(m - xk)     // exact: m and xk are within 1/2 of each other
		if d >= h*p {
			continue
		}
		// 'g' writes values below 1e-4 or from 1e6 with an exponent, and
		// a tie between two nearest multiples is strconv's to break.
		u := uint64(m)
		if d == 0.5 || k >= 4 && u < pow10u64[k-4] || u >= pow10u64[k+6] {
			break
		}
		return appendFixed(dst, x < 0, u, k), true
	}
	return dst, false
}

// pow10u64 holds 10^k for k <= 18.
var pow10u64 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18}

// appendFixed appends m * 10^-k, negated if neg, with no exponent, as
// strconv's %f does: "0.05", "4.0876", "12".
func appendFixed(dst []byte, neg bool, m uint64, k int) []byte {
	var buf [32]byte // m < 10^18 and k <= 12: at most 1 + 19 + 1 + 12 bytes
	i := len(buf)
	for range k {
		i--
		buf[i] = byte('0' + m%10)
		m /= 10
	}
	if k > 0 {
		i--
		buf[i] = '.'
	}
	for first := true; first || m > 0; first = false {
		i--
		buf[i] = byte('0' + m%10)
		m /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return append(dst, buf[i:]...)
}
