package mathx

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxULP is the documented accuracy bound against package math.
const maxULP = 2

// ulpDiff returns the distance between a and b in units in the last place
// (the number of float64 values between them); NaN matches only NaN.
func ulpDiff(a, b float64) uint64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxUint64
	}
	ia, ib := ordered(a), ordered(b)
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// ordered maps float64 bits to integers that sort like the floats
// (-0 and +0 both map to 0).
func ordered(x float64) int64 {
	b := int64(math.Float64bits(x))
	if b < 0 {
		return math.MinInt64 - b
	}
	return b
}

func ulpDiff32(a, b float32) uint64 {
	return ulpDiff(float64(a), float64(b)) >> 29 // float64 ulps of a float32 value
}

// sweeper generates test inputs from a fixed splitmix64 stream, so every run
// (and every platform) tests the same points.
type sweeper struct{ s uint64 }

func (w *sweeper) next() uint64 {
	w.s += 0x9E3779B97F4A7C15
	z := w.s
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// logUniform returns ±m*2**e with a random 52-bit fraction and a biased
// exponent field drawn uniformly from [lo, hi] (0 gives subnormals).
func (w *sweeper) logUniform(lo, hi uint64, signed bool) float64 {
	r := w.next()
	e := lo + r%(hi-lo+1)
	b := e<<52 | w.next()&(1<<52-1)
	if signed && r>>63 == 1 {
		b |= 1 << 63
	}
	return math.Float64frombits(b)
}

// inputs builds the sweep for one function: n evenly spaced points on each
// linear range, n log-uniform points between biased exponents expLo and
// expHi (both signs when signed), 2000 neighbours of every edge, and the
// special values.
func inputs(n int, linear [][2]float64, expLo, expHi uint64, signed bool, edges []float64) []float64 {
	w := &sweeper{s: 1}
	var xs []float64
	for _, r := range linear {
		for i := 0; i <= n; i++ {
			xs = append(xs, r[0]+(r[1]-r[0])*float64(i)/float64(n))
		}
	}
	for i := 0; i < n; i++ {
		xs = append(xs, w.logUniform(expLo, expHi, signed))
	}
	for _, e := range edges {
		lo, hi := e, e
		for i := 0; i < 1000; i++ {
			lo = math.Nextafter(lo, math.Inf(-1))
			hi = math.Nextafter(hi, math.Inf(1))
			xs = append(xs, lo, hi)
		}
		xs = append(xs, e)
	}
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(),
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
		0x1p-1022, -0x1p-1022, 1, -1}
	return append(xs, specials...)
}

const sweepN = 400000

var sweeps = []struct {
	name string
	f    func(float64) float64
	ref  func(float64) float64 // package math
	ex   func(float64) float64 // math/big reference, correctly rounded
	xs   []float64
}{
	{"Exp", Exp, math.Exp, refExp, inputs(sweepN, [][2]float64{{-746, 710}, {-1, 1}}, 0, 1023+10, true,
		[]float64{7.09782712893383973096e+02, -7.45133219101941108420e+02, -708.3964185322641, 0x1p-28, -0x1p-28, 0, 0.5 * math.Ln2})},
	{"Log", Log, math.Log, refLog, inputs(sweepN, [][2]float64{{0.5, 2}, {0, 1e6}}, 0, 2046, false,
		[]float64{1, math.Sqrt2, math.Sqrt2 / 2, 2, 0x1p-1022, math.MaxFloat64})},
	{"Tanh", Tanh, math.Tanh, refTanh, inputs(sweepN, [][2]float64{{-25, 25}, {-1, 1}}, 0, 1023+6, true,
		[]float64{0.625, -0.625, 22, -22, 1e-8, 0})},
	{"Sin", Sin, math.Sin, refSin, inputs(sweepN, [][2]float64{{0, 2 * math.Pi}, {-100, 100}}, 0, 2046, true,
		[]float64{reduceThreshold, -reduceThreshold, math.Pi, math.Pi / 2, 2 * math.Pi, 0})},
	{"Cos", Cos, math.Cos, refCos, inputs(sweepN, [][2]float64{{0, 2 * math.Pi}, {-100, 100}}, 0, 2046, true,
		[]float64{reduceThreshold, -reduceThreshold, math.Pi, math.Pi / 2, 2 * math.Pi, 0})},
}

// TestSweep checks every function against package math on a dense sweep of
// its domain and prints the worst difference found. Where package math is
// itself more than maxULP away (its amd64 assembly Exp overflows from about
// 709.09, its amd64 assembly Log mishandles subnormals, and its Payne-Hanek
// reduction drops bits for huge arguments near a zero of Sin or Cos), the
// math/big reference decides: the result must then be within 1 ulp of the
// correctly rounded value.
func TestSweep(t *testing.T) {
	for _, sw := range sweeps {
		t.Run(sw.name, func(t *testing.T) {
			require.Greater(t, len(sw.xs), 2*sweepN)
			var worst, mathOff uint64
			var worstX float64
			for _, x := range sw.xs {
				got := sw.f(x)
				d := ulpDiff(sw.ref(x), got)
				if d > maxULP {
					require.False(t, math.IsNaN(x) || math.IsInf(x, 0), "x=%v", x)
					exact := sw.ex(x)
					require.LessOrEqual(t, ulpDiff(exact, got), uint64(1),
						"x=%v: got %v, math %v, exact %v", x, got, sw.ref(x), exact)
					mathOff++
					continue
				}
				if d > worst {
					worst, worstX = d, x
				}
			}
			t.Logf("%s: %d inputs, worst %d ulp from math at x=%v; %d inputs where math is off and the exact reference agrees",
				sw.name, len(sw.xs), worst, worstX, mathOff)
		})
	}
}

// TestAccuracy measures the error against the correctly rounded result on a
// sample of each sweep (every 500th input) and prints the worst.
//
// Sin and Cos near a zero (x close to a non-zero multiple of pi/2) are
// judged by absolute error instead: Cody-Waite reduction with a three-part
// pi/4, as in Cephes and package math, is accurate to about 3e-31*|x|
// absolutely, not relative to a result that is itself tiny.
func TestAccuracy(t *testing.T) {
	bound := map[string]uint64{"Exp": 1, "Log": 1, "Tanh": 1, "Sin": 1, "Cos": 1}
	for _, sw := range sweeps {
		t.Run(sw.name, func(t *testing.T) {
			var worst uint64
			var worstX, worstAbs float64
			n, nearZero := 0, 0
			for i := 0; i < len(sw.xs); i += 500 {
				x := sw.xs[i]
				if math.IsNaN(x) || math.IsInf(x, 0) || (sw.name == "Log" && x <= 0) {
					continue
				}
				n++
				got, exact := sw.f(x), sw.ex(x)
				d := ulpDiff(exact, got)
				trig := sw.name == "Sin" || sw.name == "Cos"
				if trig && d > bound[sw.name] && math.Abs(x) < reduceThreshold {
					nearZero++
					abs := math.Abs(got - exact)
					worstAbs = math.Max(worstAbs, abs)
					assert.LessOrEqual(t, abs, 1e-30*math.Max(1, math.Abs(x)), "x=%v", x)
					continue
				}
				if d > worst {
					worst, worstX = d, x
				}
			}
			t.Logf("%s: %d samples, worst %d ulp from correctly rounded at x=%v (%d near-zero results, worst absolute error %g)",
				sw.name, n, worst, worstX, nearZero, worstAbs)
			assert.LessOrEqual(t, worst, bound[sw.name], "x=%v", worstX)
		})
	}
}

// TestSweep32 checks the float32 variants on every 2048th float32 bit
// pattern (about 2 million inputs each, all exponents, both signs).
func TestSweep32(t *testing.T) {
	tests := []struct {
		name string
		f    func(float32) float32
		ref  func(float64) float64
	}{
		{"Exp32", Exp32, math.Exp},
		{"Log32", Log32, math.Log},
		{"Tanh32", Tanh32, math.Tanh},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var worst uint64
			var worstX float32
			for b := uint64(0); b < 1<<32; b += 2039 {
				x := math.Float32frombits(uint32(b))
				want := float32(tc.ref(float64(x)))
				if d := ulpDiff32(want, tc.f(x)); d > worst {
					worst, worstX = d, x
				}
			}
			t.Logf("%s: worst %d float32 ulp at x=%v", tc.name, worst, worstX)
			// 2 float64 ulps can change the float32 rounding by at most 1.
			assert.LessOrEqual(t, worst, uint64(1), "x=%v", worstX)
		})
	}
}

// TestSpecialCases checks the IEEE special values bit for bit.
func TestSpecialCases(t *testing.T) {
	inf, nan, negZero := math.Inf(1), math.NaN(), math.Copysign(0, -1)
	tests := []struct {
		name string
		f    func(float64) float64
		x    float64
		want float64
	}{
		{"Exp(+Inf)", Exp, inf, inf},
		{"Exp(-Inf)", Exp, -inf, 0},
		{"Exp(NaN)", Exp, nan, nan},
		{"Exp(0)", Exp, 0, 1},
		{"Exp(-0)", Exp, negZero, 1},
		{"Exp(710)", Exp, 710, inf},
		{"Exp(-746)", Exp, -746, 0},
		{"Exp(ln(2**-1074))", Exp, -744.4400719213812, 5e-324},
		{"Exp(1)", Exp, 1, math.E},
		{"Log(+Inf)", Log, inf, inf},
		{"Log(-Inf)", Log, -inf, nan},
		{"Log(NaN)", Log, nan, nan},
		{"Log(0)", Log, 0, -inf},
		{"Log(-0)", Log, negZero, -inf},
		{"Log(-1)", Log, -1, nan},
		{"Log(1)", Log, 1, 0},
		{"Log(2)", Log, 2, math.Ln2},
		{"Log(e)", Log, math.E, 1},
		{"Log(2**-1074)", Log, 5e-324, -744.4400719213812},
		{"Tanh(+Inf)", Tanh, inf, 1},
		{"Tanh(-Inf)", Tanh, -inf, -1},
		{"Tanh(NaN)", Tanh, nan, nan},
		{"Tanh(0)", Tanh, 0, 0},
		{"Tanh(-0)", Tanh, negZero, negZero},
		{"Tanh(1e-300)", Tanh, 1e-300, 1e-300},
		{"Tanh(-5e-324)", Tanh, -5e-324, -5e-324},
		{"Tanh(30)", Tanh, 30, 1},
		{"Tanh(-1e300)", Tanh, -1e300, -1},
		{"Sin(+Inf)", Sin, inf, nan},
		{"Sin(-Inf)", Sin, -inf, nan},
		{"Sin(NaN)", Sin, nan, nan},
		{"Sin(0)", Sin, 0, 0},
		{"Sin(-0)", Sin, negZero, negZero},
		{"Sin(5e-324)", Sin, 5e-324, 5e-324},
		{"Cos(+Inf)", Cos, inf, nan},
		{"Cos(-Inf)", Cos, -inf, nan},
		{"Cos(NaN)", Cos, nan, nan},
		{"Cos(0)", Cos, 0, 1},
		{"Cos(-0)", Cos, negZero, 1},
		{"Cos(pi)", Cos, math.Pi, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f(tc.x)
			if math.IsNaN(tc.want) {
				assert.True(t, math.IsNaN(got), "got %v", got)
				return
			}
			assert.Equal(t, math.Float64bits(tc.want), math.Float64bits(got), "want %v, got %v", tc.want, got)
		})
	}
}

// TestPinnedBits pins exact results, so any change in the arithmetic (a
// reordered sum, a fused multiply-add, a different platform) fails here.
func TestPinnedBits(t *testing.T) {
	tests := []struct {
		name string
		f    func(float64) float64
		x    float64
		want uint64
	}{
		{"Exp(1)", Exp, 1, 0x4005bf0a8b145769},
		{"Exp(-1)", Exp, -1, 0x3fd78b56362cef38},
		{"Exp(0.5)", Exp, 0.5, 0x3ffa61298e1e069c},
		{"Exp(1e-10)", Exp, 1e-10, 0x3ff000000006df38},
		{"Exp(10)", Exp, 10, 0x40d5829dcf950560},
		{"Exp(-10)", Exp, -10, 0x3f07cd79b5647c9a},
		{"Exp(88.5)", Exp, 88.5, 0x47e99b987155fe28},
		{"Exp(700)", Exp, 700, 0x7f0d945df4f8ec8e},
		{"Exp(709.78)", Exp, 709.78, 0x7fefe9ce5c4c52b4},
		{"Exp(-708.5)", Exp, -708.5, 0x000e6cf6d08897ac},
		{"Exp(-740)", Exp, -740, 0x0000000000000055},
		{"Exp(-745)", Exp, -745, 0x0000000000000001},
		{"Log(2)", Log, 2, 0x3fe62e42fefa39ef},
		{"Log(10)", Log, 10, 0x40026bb1bbb55516},
		{"Log(0.1)", Log, 0.1, 0xc0026bb1bbb55515},
		{"Log(0.75)", Log, 0.75, 0xbfd269621134db92},
		{"Log(1.5)", Log, 1.5, 0x3fd9f323ecbf984c},
		{"Log(1 + 0x1p-52)", Log, 1 + 0x1p-52, 0x3cafffffffffffff},
		{"Log(1 - 0x1p-53)", Log, 1 - 0x1p-53, 0xbca0000000000000},
		{"Log(1e300)", Log, 1e300, 0x4085963447f87fb5},
		{"Log(1e-310)", Log, 1e-310, 0xc0864e69394d9508},
		{"Log(5e-324)", Log, 5e-324, 0xc0874385446d71c3},
		{"Tanh(1e-9)", Tanh, 1e-9, 0x3e112e0be826d695},
		{"Tanh(0.1)", Tanh, 0.1, 0x3fb983d7795f413a},
		{"Tanh(-0.5)", Tanh, -0.5, 0xbfdd9353d7568af3},
		{"Tanh(0.6)", Tanh, 0.6, 0x3fe12f8292d2ccfc},
		{"Tanh(0.625)", Tanh, 0.625, 0x3fe1bf47eabb8f96},
		{"Tanh(0.7)", Tanh, 0.7, 0x3fe356fb17af2e91},
		{"Tanh(1)", Tanh, 1, 0x3fe85efab514f394},
		{"Tanh(-3)", Tanh, -3, 0xbfefd77d111a0b00},
		{"Tanh(10)", Tanh, 10, 0x3feffffffdc96f35},
		{"Tanh(20)", Tanh, 20, 0x3ff0000000000000},
		{"Sin(0.5)", Sin, 0.5, 0x3fdeaee8744b05f0},
		{"Sin(1)", Sin, 1, 0x3feaed548f090cee},
		{"Sin(2)", Sin, 2, 0x3fed18f6ead1b445},
		{"Sin(3)", Sin, 3, 0x3fc210386db6d55b},
		{"Sin(-4)", Sin, -4, 0x3fe837b9dddc1eae},
		{"Sin(5)", Sin, 5, 0xbfeeaf81f5e09933},
		{"Sin(6)", Sin, 6, 0xbfd1e1f18ab0a2c0},
		{"Sin(6.283185307179586)", Sin, 6.283185307179586, 0xbcb1a62633145c00},
		{"Sin(1e6)", Sin, 1e6, 0xbfd6664b2568d867},
		{"Sin(0x1p29)", Sin, 0x1p29, 0x3fd4e67c0e2622de},
		{"Sin(1e22)", Sin, 1e22, 0xbfeb453ab76bf397},
		{"Sin(1e300)", Sin, 1e300, 0xbfea2c16b010e386},
		{"Cos(0.5)", Cos, 0.5, 0x3fec1528065b7d50},
		{"Cos(1)", Cos, 1, 0x3fe14a280fb5068c},
		{"Cos(2)", Cos, 2, 0xbfdaa22657537205},
		{"Cos(3)", Cos, 3, 0xbfefae04be85e5d2},
		{"Cos(-4)", Cos, -4, 0xbfe4eaa606db24c1},
		{"Cos(5)", Cos, 5, 0x3fd22785706b4ada},
		{"Cos(6)", Cos, 6, 0x3feeb9b7097822f6},
		{"Cos(1.5707963267948966)", Cos, 1.5707963267948966, 0x3c91a62633145c00},
		{"Cos(1e6)", Cos, 1e6, 0x3fedf9df9906d32c},
		{"Cos(0x1p29)", Cos, 0x1p29, 0xbfee3edd2dfeef90},
		{"Cos(1e22)", Cos, 1e22, 0x3fe0be2cef01c8f4},
		{"Cos(1e300)", Cos, 1e300, 0xbfe2699022adc4c1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f(tc.x)
			assert.Equal(t, tc.want, math.Float64bits(got), "%s = %v", tc.name, got)
			// The pin must itself be within 1 ulp of the exact value (except
			// next to a zero of Sin or Cos; see TestAccuracy).
			if math.Abs(got) < 1e-10 {
				return
			}
			assert.LessOrEqual(t, ulpDiff(math.Float64frombits(tc.want), exactOf(tc.name)(tc.x)), uint64(1))
		})
	}
}

func TestPinnedBits32(t *testing.T) {
	tests := []struct {
		name string
		f    func(float32) float32
		x    float32
		want uint32
	}{
		{"Exp32(1)", Exp32, 1, 0x402df854},
		{"Exp32(-1)", Exp32, -1, 0x3ebc5ab2},
		{"Exp32(0.1)", Exp32, 0.1, 0x3f8d763e},
		{"Exp32(-20)", Exp32, -20, 0x310da433},
		{"Exp32(88)", Exp32, 88, 0x7ef882b7},
		{"Exp32(-100)", Exp32, -100, 0x0000001b},
		{"Log32(2)", Log32, 2, 0x3f317218},
		{"Log32(0.1)", Log32, 0.1, 0xc0135d8e},
		{"Log32(1e-40)", Log32, 1e-40, 0xc2b834f2},
		{"Log32(3.4e38)", Log32, 3.4e38, 0x42b171ab},
		{"Tanh32(0.001)", Tanh32, 0.001, 0x3a83126c},
		{"Tanh32(0.5)", Tanh32, 0.5, 0x3eec9a9f},
		{"Tanh32(-1)", Tanh32, -1, 0xbf42f7d6},
		{"Tanh32(3)", Tanh32, 3, 0x3f7ebbe9},
		{"Tanh32(9)", Tanh32, 9, 0x3f7fffff},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f(tc.x)
			assert.Equal(t, tc.want, math.Float32bits(got), "%s = %v", tc.name, got)
		})
	}
}

// exactOf returns the math/big reference for the function named by a test
// case name.
func exactOf(name string) func(float64) float64 {
	for _, sw := range sweeps {
		if len(name) > len(sw.name) && name[:len(sw.name)] == sw.name && name[len(sw.name)] == '(' {
			return sw.ex
		}
	}
	panic("mathx_test: no reference for " + name)
}

// TestFourOverPi recomputes the 4/pi table from Machin's formula
// pi = 16*atan(1/5) - 4*atan(1/239) in integer arithmetic.
func TestFourOverPi(t *testing.T) {
	const guard = 64
	prec := uint(64*len(fourOverPi) + guard)
	pi := machinPiScaled(prec) // pi * 2**prec
	// 4/pi * 2**(64*(len-1)) = 4 * 2**(64*(len-1)) * 2**prec / (pi * 2**prec)
	num := new(big.Int).Lsh(big.NewInt(4), uint(64*(len(fourOverPi)-1))+prec)
	v := new(big.Int).Quo(num, pi)
	mask := new(big.Int).SetUint64(math.MaxUint64)
	for i := range fourOverPi {
		w := new(big.Int).Rsh(v, uint(64*(len(fourOverPi)-1-i)))
		assert.Equal(t, new(big.Int).And(w, mask).Uint64(), fourOverPi[i], "word %d", i)
	}
}

// TestReduce checks the Cody-Waite reduction against Payne-Hanek (an
// independent method) below the threshold where Reduce switches between them.
func TestReduce(t *testing.T) {
	w := &sweeper{s: 7}
	xs := []float64{1, math.Pi, 1e3, 1e6, reduceThreshold - 1, math.Nextafter(reduceThreshold, 0)}
	for i := 0; i < 20000; i++ {
		xs = append(xs, w.logUniform(1023, 1023+28, false))
	}
	// Both keep z to a few ulp of z (Payne-Hanek rounds once more in
	// frac*pi/4); Cody-Waite is also absolutely accurate to about 2**-70.
	for _, x := range xs {
		j1, z1 := reduce(x)
		j2, z2 := payneHanek(x)
		if j1 != j2 {
			// Only possible when x*4/pi rounds across an octant boundary:
			// then both describe the same point from neighbouring octants.
			require.InDelta(t, math.Pi/4, math.Abs(z1), 1e-9, "x=%v", x)
			continue
		}
		require.InDelta(t, z2, z1, math.Abs(z1)*0x1p-50+0x1p-70, "x=%v", x)
		require.LessOrEqual(t, math.Abs(z1), math.Pi/4+1e-9, "x=%v", x)
	}
}
