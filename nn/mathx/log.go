package mathx

import "math"

// Log returns the natural logarithm of x.
//
// Special cases: Log(+Inf) = +Inf, Log(±0) = -Inf, Log(x < 0) = NaN,
// Log(NaN) = NaN. Subnormal x are handled exactly.
//
// Method (FreeBSD msun e_log.c):
//
//	x = 2**k * (1+f),  sqrt(2)/2 < 1+f < sqrt(2)
//	s = f/(2+f),  log(1+f) = 2s + 2/3 s**3 + 2/5 s**5 + ... = f - s*(f - R)
//	R(s) = L1*s**2 + ... + L7*s**14 (a Remez fit, error below 2**-58.45)
//	log(x) = k*ln2 + log(1+f)
//
// written as k*ln2Hi - ((f*f/2 - (s*(f*f/2 + R) + k*ln2Lo)) - f) so that
// the large terms are added last. The result is within 1 ulp.
func Log(x float64) float64 {
	const (
		L1 = 6.666666666666735130e-01 // 0x3fe5555555555593
		L2 = 3.999999999940941908e-01 // 0x3fd999999997fa04
		L3 = 2.857142874366239149e-01 // 0x3fd2492494229359
		L4 = 2.222219843214978396e-01 // 0x3fcc71c51d8e78af
		L5 = 1.818357216161805012e-01 // 0x3fc7466496cb03de
		L6 = 1.531383769920937332e-01 // 0x3fc39a09d078c69f
		L7 = 1.479819860511658591e-01 // 0x3fc2f112df3e5244
	)
	switch {
	case x != x || x > math.MaxFloat64: // NaN or +Inf
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}

	// Split x into 2**k * m with m in [1, 2) from the bits; a subnormal is
	// first made normal by an exact multiplication by 2**54.
	b := math.Float64bits(x)
	k := 0
	if b>>52 == 0 {
		b = math.Float64bits(x * 0x1p54)
		k = -54
	}
	k += int(b>>52) - 1023
	m := math.Float64frombits(b&(1<<52-1) | 1023<<52)
	// Centre m on 1: m in [sqrt(2)/2, sqrt(2)) keeps |f| <= 0.4143.
	if m >= math.Sqrt2 {
		m *= 0.5 // exact
		k++
	}
	f := m - 1 // exact (Sterbenz)
	fk := float64(k)

	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (L1 + float64(s4*(L3+float64(s4*(L5+float64(s4*L7)))))))
	t2 := float64(s4 * (L2 + float64(s4*(L4+float64(s4*L6)))))
	R := t1 + t2
	hfsq := float64(0.5 * f * f)
	return float64(fk*ln2Hi) - ((hfsq - (float64(s*(hfsq+R)) + float64(fk*ln2Lo))) - f)
}
