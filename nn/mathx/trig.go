package mathx

import (
	"math"
	"math/bits"
)

// Sin returns the sine of the radian argument x.
//
// Special cases: Sin(±0) = ±0, Sin(±Inf) = NaN, Sin(NaN) = NaN.
//
// Method (Cephes sin.c): reduce x to z in [-pi/4, pi/4] and an octant j
// (see reduce), then
//
//	sin(z) = z + z**3 * S(z**2),  cos(z) = 1 - z**2/2 + z**4 * C(z**2)
//
// with S and C the degree-5 minimax polynomials of Cephes; the octant picks
// which of the two and the sign.
//
// Range and accuracy: every finite x. The tests find the result within 1 ulp
// of the correctly rounded value (and within 2 ulp of package math, or closer
// to the truth than package math for huge x), except next to a zero of sin
// for 1 < |x| < 2**29, where the three-part reduction leaves an absolute
// error of about 3e-31*|x| on a tiny result (as in Cephes and package math).
// Box-Muller only needs [0, 2*pi].
func Sin(x float64) float64 {
	if x == 0 || x != x {
		return x // ±0 or NaN
	}
	if x > math.MaxFloat64 || x < -math.MaxFloat64 {
		return math.NaN()
	}
	neg := false
	if x < 0 {
		x = -x
		neg = true // sin is odd
	}
	j, z := reduce(x)
	if j > 3 { // sin(z + pi) = -sin(z)
		neg = !neg
		j -= 4
	}
	var y float64
	if j == 2 { // sin(z + pi/2) = cos(z)
		y = cosKernel(z)
	} else {
		y = sinKernel(z)
	}
	if neg {
		y = -y
	}
	return y
}

// Cos returns the cosine of the radian argument x.
//
// Special cases: Cos(±Inf) = NaN, Cos(NaN) = NaN. Method, range and
// accuracy as for Sin (the zeros are near odd multiples of pi/2).
func Cos(x float64) float64 {
	if x != x || x > math.MaxFloat64 || x < -math.MaxFloat64 {
		return math.NaN()
	}
	if x < 0 {
		x = -x // cos is even
	}
	j, z := reduce(x)
	neg := false
	if j > 3 { // cos(z + pi) = -cos(z)
		neg = true
		j -= 4
	}
	var y float64
	if j == 2 { // cos(z + pi/2) = -sin(z)
		neg = !neg
		y = sinKernel(z)
	} else {
		y = cosKernel(z)
	}
	if neg {
		y = -y
	}
	return y
}

// sinKernel returns sin(z) for |z| <= pi/4.
func sinKernel(z float64) float64 {
	const (
		S0 = 1.58962301576546568060e-10 // 0x3de5d8fd1fd19ccd
		S1 = -2.50507477628578072866e-8 // 0xbe5ae5e5a9291f5d
		S2 = 2.75573136213857245213e-6  // 0x3ec71de3567d48a1
		S3 = -1.98412698295895385996e-4 // 0xbf2a01a019bfdf03
		S4 = 8.33333333332211858878e-3  // 0x3f8111111110f7d0
		S5 = -1.66666666666666307295e-1 // 0xbfc5555555555548
	)
	zz := float64(z * z)
	p := float64((float64((float64((float64((float64(S0*zz)+S1)*zz)+S2)*zz)+S3)*zz)+S4)*zz) + S5
	return z + float64(float64(z*zz)*p)
}

// cosKernel returns cos(z) for |z| <= pi/4.
func cosKernel(z float64) float64 {
	const (
		C0 = -1.13585365213876817300e-11 // 0xbda8fa49a0861a9b
		C1 = 2.08757008419747316778e-9   // 0x3e21ee9d7b4e3f05
		C2 = -2.75573141792967388112e-7  // 0xbe927e4f7eac4bc6
		C3 = 2.48015872888517045348e-5   // 0x3efa01a019c844f5
		C4 = -1.38888888888730564116e-3  // 0xbf56c16c16c14f91
		C5 = 4.16666666666665929218e-2   // 0x3fa555555555554b
	)
	zz := float64(z * z)
	p := float64((float64((float64((float64((float64(C0*zz)+C1)*zz)+C2)*zz)+C3)*zz)+C4)*zz) + C5
	return 1.0 - float64(0.5*zz) + float64(float64(zz*zz)*p)
}

// reduceThreshold is where reduce switches from Cody-Waite to Payne-Hanek:
// below it j*PI4A and j*PI4B carry few enough bits that the three-term
// subtraction loses nothing that matters.
const reduceThreshold = 1 << 29

// reduce returns j in [0, 7] and z in [-pi/4, pi/4] with
//
//	x = (8n + j)*pi/4 + z  for some integer n
//
// for finite x >= 0. The octant is rounded up to an even j ("zeros to the
// origin"), so z is measured from the nearest multiple of pi/2. Below
// reduceThreshold, pi/4 is split into PI4A + PI4B + PI4C, each with enough
// trailing zero bits that j*PI4A and j*PI4B are (nearly) exact, and
// x - j*pi/4 is computed as ((x - j*PI4A) - j*PI4B) - j*PI4C (Cody-Waite).
// Above it, payneHanek multiplies by 4/pi in integer arithmetic.
func reduce(x float64) (uint64, float64) {
	const (
		PI4A = 7.85398125648498535156e-1  // 0x3fe921fb40000000, pi/4 split into three parts
		PI4B = 3.77489470793079817668e-8  // 0x3e64442d00000000
		PI4C = 2.69515142907905952645e-15 // 0x3ce8469898cc5170
	)
	if x >= reduceThreshold {
		return payneHanek(x)
	}
	j := uint64(float64(x * (4 / math.Pi))) // octant, truncated; the product rounded on its own
	y := float64(j)
	if j&1 == 1 {
		j++
		y++
	}
	z := ((x - float64(y*PI4A)) - float64(y*PI4B)) - float64(y*PI4C)
	return j & 7, z
}

// fourOverPi holds the binary expansion of 4/pi, 1280 bits with the binary
// point after the lowest bit of the first word: 4/pi = 1.0100010111110011...
// The test checks it against a Machin-formula computation with math/big.
var fourOverPi = [...]uint64{
	0x0000000000000001, 0x45f306dc9c882a53, 0xf84eafa3ea69bb81, 0xb6c52b3278872083,
	0xfca2c757bd778ac3, 0x6e48dc74849ba5c0, 0x0c925dd413a32439, 0xfc3bd63962534e7d,
	0xd1046bea5d768909, 0xd338e04d68befc82, 0x7323ac7306a673e9, 0x3908bf177bf25076,
	0x3ff12fffbc0b301f, 0xde5e2316b414da3e, 0xda6cfd9e4f96136e, 0x9e8c7ecd3cbfd45a,
	0xea4f758fd7cbe2f6, 0x7a0e73ef14a525d4, 0xd7f6bf623f1aba10, 0xac06608df8f6d757,
}

// payneHanek is reduce for x >= reduceThreshold (finite).
//
// Write x = m * 2**e with m the 53-bit integer significand. Only the
// fractional part and the last 3 integer bits of x*4/pi matter (8 octants
// make a full turn), and bits of 4/pi worth more than 2**(3-e) contribute
// whole multiples of 8, so it suffices to multiply m by a 192-bit window of
// 4/pi chosen so that the top 3 bits of the 128-bit product are the octant
// and the remaining 125 bits are the fraction.
func payneHanek(x float64) (uint64, float64) {
	b := math.Float64bits(x)
	e := int(b>>52&0x7ff) - 1023 - 52 // x = m * 2**e, e >= -23 here
	m := b&(1<<52-1) | 1<<52

	// Window: skip the first e+61 bits of the table (e+61 >= 38 > 0).
	word, shift := uint(e+61)/64, uint(e+61)%64
	w0 := fourOverPi[word]<<shift | fourOverPi[word+1]>>(64-shift)
	w1 := fourOverPi[word+1]<<shift | fourOverPi[word+2]>>(64-shift)
	w2 := fourOverPi[word+2]<<shift | fourOverPi[word+3]>>(64-shift)
	// (Go defines v >> 64 as 0, so shift == 0 needs no special case.)

	// Upper 128 bits of m * (w0, w1, w2), modulo 2**128.
	w2hi, _ := bits.Mul64(w2, m)
	w1hi, w1lo := bits.Mul64(w1, m)
	lo, c := bits.Add64(w1lo, w2hi, 0)
	hi, _ := bits.Add64(w0*m, w1hi, c)

	j := hi >> 61
	// The fraction is the next 125 bits, as a 128-bit fixed-point number
	// f = (fhi, flo) * 2**-128. For an odd octant measure from the next
	// multiple of pi/4 instead: z = (f - 1)*pi/4, with 1 - f taken in
	// integer arithmetic so that f close to 1 loses nothing.
	fhi, flo := hi<<3|lo>>61, lo<<3
	neg := false
	if j&1 == 1 {
		j++
		var borrow uint64
		flo, borrow = bits.Sub64(0, flo, 0)
		fhi, _ = bits.Sub64(0, fhi, borrow)
		neg = true
	}
	// Normalise so the top bit is set.
	lz := uint(bits.LeadingZeros64(fhi))
	if lz == 64 { // f within 2**-64 of an octant boundary
		fhi, flo = flo, 0
		lz = 64 + uint(bits.LeadingZeros64(fhi))
		if lz == 128 {
			return j & 7, 0 // unreachable for float64 input: 4/pi is irrational
		}
		fhi <<= lz - 64
	} else if lz > 0 {
		fhi = fhi<<lz | flo>>(64-lz)
	}
	// Now f = fhi * 2**(-64-lz) with 64 significant bits. Multiply by pi/4
	// in integer arithmetic too and round once, so z carries only its final
	// rounding (a float64 f*(math.Pi/4) would add up to 1.5 ulp).
	const pi4 = 0xc90fdaa22168c235 // pi/4 * 2**64, rounded (next bits c4c6628b...)
	zhi, zlo := bits.Mul64(fhi, pi4)
	ze := -128 - int(lz) // z = (zhi, zlo) * 2**ze
	if zhi>>63 == 0 {
		zhi, zlo = zhi<<1|zlo>>63, zlo<<1
		ze--
	}
	// Round the 64-bit zhi (with sticky bits from zlo) to 53 bits, to nearest
	// even.
	mant, rest := zhi>>11, zhi&(1<<11-1)
	if rest > 1<<10 || (rest == 1<<10 && (zlo != 0 || mant&1 == 1)) {
		mant++
	}
	z := float64(mant) * pow2(ze+64+11) // mant <= 2**53 is exact in float64
	if neg {
		z = -z
	}
	return j & 7, z
}
