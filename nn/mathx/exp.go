package mathx

import "math"

// Constants shared by Exp and Log.
const (
	// ln2Hi + ln2Lo = ln(2) to about 2**-85. ln2Hi has its low 32 bits zero,
	// so k*ln2Hi is exact for every |k| < 2**20 that the reductions use.
	ln2Hi = 6.93147180369123816490e-01 // 0x3fe62e42fee00000
	ln2Lo = 1.90821492927058770002e-10 // 0x3dea39ef35793c76
	log2e = 1.44269504088896338700e+00 // 1/ln(2)
)

// Exp returns e**x.
//
// Special cases: Exp(+Inf) = +Inf, Exp(-Inf) = 0, Exp(NaN) = NaN; results
// too large overflow to +Inf and results too small underflow to 0, through
// the subnormal range with a single rounding.
//
// Method (FreeBSD msun e_exp.c):
//
//	x = k*ln2 + r,  |r| <= ln2/2, with r kept as hi - lo for precision
//	exp(r) = 1 + r + r*c/(2-c),  c = r - r**2*(P1 + r**2*P2 + ... + r**8*P5)
//	exp(x) = 2**k * exp(r)
//
// The polynomial approximates r*(exp(r)+1)/(exp(r)-1) with an error below
// 2**-59; the whole result is within 1 ulp.
func Exp(x float64) float64 {
	const (
		// Beyond these exp(x) overflows, or rounds to zero.
		overflow  = 7.09782712893383973096e+02  // ln(MaxFloat64)
		underflow = -7.45133219101941108420e+02 // ln(2**-1075)
		// Below 2**-28 in magnitude, 1+x is exp(x) correctly rounded.
		nearZero = 0x1p-28
	)
	switch {
	case x != x || x > overflow: // NaN or +Inf or too large
		if x != x {
			return x
		}
		return math.Inf(1)
	case x < underflow: // also -Inf
		return 0
	case -nearZero < x && x < nearZero:
		return 1 + x
	}

	// k = round(x/ln2); the rounding direction does not matter, only that
	// |r| stays near ln2/2.
	var k int
	if x < 0 {
		k = int(float64(log2e*x) - 0.5)
	} else {
		k = int(float64(log2e*x) + 0.5)
	}
	fk := float64(k)
	hi := x - float64(fk*ln2Hi) // exact: fk*ln2Hi is exact and close to x
	lo := float64(fk * ln2Lo)
	return expKernel(hi, lo, k)
}

// expKernel returns e**(hi-lo) * 2**k for |hi-lo| <= ln2/2 (or tiny).
func expKernel(hi, lo float64, k int) float64 {
	const (
		P1 = 1.66666666666666657415e-01  // 0x3fc5555555555555
		P2 = -2.77777777770155933842e-03 // 0xbf66c16c16bebd93
		P3 = 6.61375632143793436117e-05  // 0x3f11566aaf25de2c
		P4 = -1.65339022054652515390e-06 // 0xbebbbd41c5d26bf1
		P5 = 4.13813679705723846039e-08  // 0x3e66376972bea4d0
	)
	r := hi - lo
	t := float64(r * r)
	c := r - float64(t*(P1+float64(t*(P2+float64(t*(P3+float64(t*(P4+float64(t*P5)))))))))
	y := 1 - ((lo - float64(r*c)/(2-c)) - hi)
	return scale(y, k)
}

// scale returns y * 2**k with a single rounding, for y in [0.5, 2] and k in
// the range Exp produces (-1075..1024).
func scale(y float64, k int) float64 {
	switch {
	case k > 1023:
		// y*2 is exact; the product is finite because x <= overflow.
		return (y * 2) * pow2(k-1)
	case k < -1021:
		// The result may be subnormal: scale into the normal range first
		// (exact), then let the one multiplication by 2**-54 round.
		return (y * pow2(k+54)) * 0x1p-54
	}
	return y * pow2(k)
}

// pow2 returns 2**k for -1022 <= k <= 1023, built from its bits.
func pow2(k int) float64 {
	return math.Float64frombits(uint64(k+1023) << 52)
}
