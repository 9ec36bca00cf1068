package mathx

import (
	"math"
	"math/big"
)

// An independent reference: the functions evaluated with math/big to far
// more than float64 precision, then rounded once. Slow (tens of
// microseconds a call), so the tests use it on samples and to settle
// disagreements with package math, whose amd64 assembly Exp overflows early
// (x > ~709.09) and whose amd64 assembly Log mishandles subnormal inputs.

const refPrec = 256 // bits for the series

// bigPi is pi to about 1600 bits (enough to reduce any float64 by pi/2),
// from Machin's formula pi = 16*atan(1/5) - 4*atan(1/239).
var bigPi = machinPi(1600)

func machinPi(prec uint) *big.Float {
	pi := machinPiScaled(prec + 64)
	f := new(big.Float).SetPrec(prec).SetInt(pi)
	return f.SetMantExp(f, -int(prec+64))
}

// machinPiScaled returns pi * 2**prec, to within a few units, in integer arithmetic, from
// Machin's formula pi = 16*atan(1/5) - 4*atan(1/239) with
// atan(1/n) = sum (-1)**k / ((2k+1) n**(2k+1)), each term truncated.
func machinPiScaled(prec uint) *big.Int {
	one := new(big.Int).Lsh(big.NewInt(1), prec)
	atanInv := func(n int64) *big.Int {
		sum, term, q := new(big.Int), new(big.Int).Quo(one, big.NewInt(n)), new(big.Int)
		n2 := big.NewInt(n * n)
		for k := int64(0); term.Sign() != 0; k++ {
			q.Quo(term, big.NewInt(2*k+1))
			if k%2 == 0 {
				sum.Add(sum, q)
			} else {
				sum.Sub(sum, q)
			}
			term.Quo(term, n2)
		}
		return sum
	}
	pi := new(big.Int).Mul(big.NewInt(16), atanInv(5))
	return pi.Sub(pi, new(big.Int).Mul(big.NewInt(4), atanInv(239)))
}

func newF(x float64, prec uint) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(x) }

// atanhSeries returns 2*atanh(t) = 2*(t + t**3/3 + t**5/5 + ...), |t| <= 1/3.
func atanhSeries(t *big.Float) *big.Float {
	prec := t.Prec()
	sum := new(big.Float).SetPrec(prec).Set(t)
	t2 := new(big.Float).SetPrec(prec).Mul(t, t)
	pow := new(big.Float).SetPrec(prec).Set(t)
	q := new(big.Float).SetPrec(prec)
	for k := int64(3); ; k += 2 {
		pow.Mul(pow, t2)
		q.Quo(pow, newF(float64(k), prec))
		if q.Sign() == 0 || q.MantExp(nil)-sum.MantExp(nil) < -int(prec) {
			break
		}
		sum.Add(sum, q)
	}
	return sum.Add(sum, sum)
}

// bigLn2 is ln(2) = 2*atanh(1/3).
var bigLn2 = atanhSeries(new(big.Float).SetPrec(refPrec+64).Quo(newF(1, refPrec+64), newF(3, refPrec+64)))

// refExp returns e**x rounded to float64.
func refExp(x float64) float64 {
	if x > 710 {
		return math.Inf(1)
	}
	if x < -746 {
		return 0
	}
	prec := uint(refPrec + 64)
	k := math.Round(x / math.Ln2)
	r := newF(x, prec)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(newF(k, prec), bigLn2)) // |r| <= ~0.35
	sum, term := newF(1, prec), newF(1, prec)
	for n := 1; ; n++ {
		term.Mul(term, r)
		term.Quo(term, newF(float64(n), prec))
		if term.Sign() == 0 || term.MantExp(nil) < -int(refPrec+8) {
			break
		}
		sum.Add(sum, term)
	}
	sum.SetMantExp(sum, int(k))
	f, _ := sum.Float64()
	return f
}

// refLog returns ln(x) rounded to float64, for finite x > 0.
func refLog(x float64) float64 {
	prec := uint(refPrec + 64)
	m := newF(x, prec)
	e := m.MantExp(m) // x = m * 2**e, m in [0.5, 1)
	if m.Cmp(newF(math.Sqrt2/2, prec)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	// ln(m) = 2*atanh((m-1)/(m+1)), |t| < 0.172
	num := new(big.Float).SetPrec(prec).Sub(m, newF(1, prec))
	den := new(big.Float).SetPrec(prec).Add(m, newF(1, prec))
	sum := atanhSeries(num.Quo(num, den))
	sum.Add(sum, new(big.Float).SetPrec(prec).Mul(newF(float64(e), prec), bigLn2))
	f, _ := sum.Float64()
	return f
}

// refTanh returns tanh(x) rounded to float64.
func refTanh(x float64) float64 {
	ax := math.Abs(x)
	if ax > 40 {
		return math.Copysign(1, x)
	}
	prec := uint(refPrec + 64)
	var r *big.Float
	if ax < 0x1p-40 {
		// x - x**3/3: the next term is below 2**-160 relative.
		bx := newF(x, prec)
		c := new(big.Float).SetPrec(prec).Mul(bx, bx)
		c.Mul(c, bx)
		c.Quo(c, newF(3, prec))
		r = bx.Sub(bx, c)
	} else {
		// (e**2x - 1)/(e**2x + 1) with e**2x from the series at high precision.
		e := bigExp(2*x, prec+64)
		num := new(big.Float).SetPrec(prec).Sub(e, newF(1, prec))
		r = num.Quo(num, new(big.Float).SetPrec(prec).Add(e, newF(1, prec)))
	}
	f, _ := r.Float64()
	return f
}

// bigExp returns e**x for |x| <= 80 as a big.Float.
func bigExp(x float64, prec uint) *big.Float {
	k := math.Round(x / math.Ln2)
	r := newF(x, prec)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(newF(k, prec), bigLn2))
	sum, term := newF(1, prec), newF(1, prec)
	for n := 1; ; n++ {
		term.Mul(term, r)
		term.Quo(term, newF(float64(n), prec))
		if term.Sign() == 0 || term.MantExp(nil) < -int(prec) {
			break
		}
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, int(k))
}

// refSinCos returns sin(x) and cos(x) rounded to float64, for finite x.
func refSinCos(x float64) (float64, float64) {
	// Reduce: x = n*pi/2 + r, |r| <= pi/4, with enough bits of pi that r
	// keeps refPrec bits even for x = MaxFloat64.
	prec := uint(bigPi.Prec())
	bx := newF(x, prec)
	halfPi := new(big.Float).SetPrec(prec).SetMantExp(bigPi, -1)
	q := new(big.Float).SetPrec(prec).Quo(bx, halfPi)
	q.Add(q, newF(0.5, prec))
	n, _ := q.Int(nil) // floor for q >= 0, trunc otherwise
	if q.Sign() < 0 && !q.IsInt() {
		n.Sub(n, big.NewInt(1))
	}
	r := new(big.Float).SetPrec(prec).Mul(new(big.Float).SetPrec(prec).SetInt(n), halfPi)
	r.Sub(bx, r)
	r.SetPrec(refPrec + 64)
	// Taylor series for sin(r) and cos(r).
	p := r.Prec()
	s, c := new(big.Float).SetPrec(p).Set(r), newF(1, p)
	term := new(big.Float).SetPrec(p).Set(r)
	r2 := new(big.Float).SetPrec(p).Mul(r, r)
	cterm := newF(1, p)
	for k := int64(1); k < 200; k++ {
		term.Mul(term, r2)
		term.Quo(term, newF(float64((2*k)*(2*k+1)), p))
		term.Neg(term)
		s.Add(s, term)
		cterm.Mul(cterm, r2)
		cterm.Quo(cterm, newF(float64((2*k-1)*(2*k)), p))
		cterm.Neg(cterm)
		c.Add(c, cterm)
		if term.Sign() == 0 || term.MantExp(nil) < -int(p)-8 {
			break
		}
	}
	quad := new(big.Int).And(n, big.NewInt(3)).Int64()
	switch quad { // sin(r + quad*pi/2)
	case 1:
		s, c = c, s.Neg(s)
	case 2:
		s, c = s.Neg(s), c.Neg(c)
	case 3:
		s, c = c.Neg(c), s
	}
	sf, _ := s.Float64()
	cf, _ := c.Float64()
	return sf, cf
}

func refSin(x float64) float64 { s, _ := refSinCos(x); return s }
func refCos(x float64) float64 { _, c := refSinCos(x); return c }
