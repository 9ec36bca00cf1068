package mathx

// Tanh returns the hyperbolic tangent of x.
//
// Special cases: Tanh(±0) = ±0, Tanh(±Inf) = ±1, Tanh(NaN) = NaN.
//
// Method (Cephes tanh.c), with z = |x|:
//
//	z < 0.625:        tanh(x) = x + x*s*P(s)/Q(s),  s = x*x
//	0.625 <= z <= 22: tanh(z) = 1 - 2/(exp(2z) + 1)
//	z > 22:           tanh(z) = 1 (to double precision: 1 - tanh(22) < 2**-63)
//
// The rational function P/Q (degree 2 over 3) is Moshier's minimax fit for
// (tanh(x) - x)/x**3 on [0, 0.625]; computing only the small correction
// x*s*P/Q and adding x last keeps small |x| accurate, and for |x| below
// about 1e-8 the correction vanishes and Tanh returns x exactly. Above 0.625
// the cancellation in 1 - 2/(e+1) is at most one bit, so the exp form keeps
// the result within 2 ulp; the odd symmetry is applied at the end.
func Tanh(x float64) float64 {
	const (
		P0 = -9.64399179425052238628e-1
		P1 = -9.92877231001918586564e1
		P2 = -1.61468768441708447952e3
		Q0 = 1.12811678491632931402e2
		Q1 = 2.23548839060100448583e3
		Q2 = 4.84406305325125486048e3
	)
	z := x
	if z < 0 {
		z = -z
	}
	switch {
	case z != z: // NaN
		return x
	case z > 22:
		if x < 0 {
			return -1
		}
		return 1
	case z >= 0.625:
		e := Exp(2 * z)
		z = 1 - 2/(e+1)
		if x < 0 {
			z = -z
		}
		return z
	case x == 0:
		return x // keeps the sign of -0
	}
	s := float64(x * x)
	p := float64((float64(P0*s)+P1)*s) + P2
	q := float64((float64((s+Q0)*s)+Q1)*s) + Q2
	return x + float64(float64(x*s)*p)/q
}
