// Package rng is the engine's only source of randomness: a seeded
// xorshift64* generator (Vigna 2014) with the uniform, integer, normal and
// shuffling helpers that initialisation, splitting and training need.
//
// The generator keeps one non-zero 64-bit state and steps it with the
// xorshift triple (12, 25, 27); each output is the new state times a fixed
// odd multiplier:
//
//	x ^= x >> 12; x ^= x << 25; x ^= x >> 27
//	return x * 0x2545F4914F6CDD1D
//
// The same seed gives the same sequence on every platform, native or
// js/wasm: the arithmetic is integer, and Normal uses the deterministic
// nn/mathx functions instead of package math. A Rand is not safe for
// concurrent use; give each goroutine its own.
package rng

import (
	"math"
	"math/bits"

	"github.com/ferrum-ml/ferrum/nn/mathx"
)

// ZeroSeed replaces a zero seed in New: xorshift maps the all-zero state to
// itself, so 0 cannot be used. It is 2**64 divided by the golden ratio.
const ZeroSeed = 0x9E3779B97F4A7C15

// multiplier is the xorshift64* output multiplier (Vigna's M32).
const multiplier = 0x2545F4914F6CDD1D

// Rand is a xorshift64* generator. The zero value is not usable; call New.
type Rand struct {
	state uint64 // never zero
}

// New returns a generator seeded with seed; seed 0 is replaced by ZeroSeed.
func New(seed uint64) *Rand {
	if seed == 0 {
		seed = ZeroSeed
	}
	return &Rand{state: seed}
}

// Uint64 returns the next 64 uniformly distributed bits. It panics on a
// zero-value Rand (not created by New).
func (r *Rand) Uint64() uint64 {
	x := r.state
	if x == 0 {
		panic("rng: Rand used without New")
	}
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	r.state = x
	return x * multiplier
}

// Float64 returns a uniform float64 in [0, 1): the top 53 bits of Uint64
// scaled by 2**-53, so every value is a multiple of 2**-53.
func (r *Rand) Float64() float64 {
	return float64(r.Uint64()>>11) * 0x1p-53
}

// Float32 returns a uniform float32 in [0, 1): the top 24 bits of Uint64
// scaled by 2**-24.
func (r *Rand) Float32() float32 {
	return float32(r.Uint64()>>40) * 0x1p-24
}

// Intn returns a uniform int in [0, n). It panics if n <= 0.
//
// Unbiased by rejection (Lemire's multiply-shift method): with the 128-bit
// product x*n = hi*2**64 + lo for a uniform 64-bit x, hi is the result and
// is exactly uniform once the draws with lo < 2**64 mod n are rejected
// (fewer than n in 2**64 of them). Using the product's high bits also uses
// the generator's strongest bits rather than its low ones.
func (r *Rand) Intn(n int) int {
	if n <= 0 {
		panic("rng: Intn argument must be positive")
	}
	bound := uint64(n)
	hi, lo := bits.Mul64(r.Uint64(), bound)
	if lo < bound { // only then can lo be below the threshold
		threshold := -bound % bound // 2**64 mod bound
		for lo < threshold {
			hi, lo = bits.Mul64(r.Uint64(), bound)
		}
	}
	return int(hi)
}

// Normal returns a standard normal sample (mean 0, variance 1) by the
// Box-Muller transform, drawing two uniforms per call:
//
//	u1 = 1 - Float64()   in (0, 1], so Log never sees 0
//	u2 = Float64()       in [0, 1)
//	z  = sqrt(-2*ln(u1)) * cos(2*pi*u2)
//
// The second value of the pair, sqrt(-2*ln(u1)) * sin(2*pi*u2), is not
// cached: every call costs two draws, which keeps the generator's state the
// only state. The largest possible |z| is sqrt(-2*ln(2**-53)), about 8.57.
func (r *Rand) Normal() float64 {
	u1 := 1 - float64(r.Float64()) // no fused 1 - x*2^-53 (exact either way)
	u2 := r.Float64()
	return math.Sqrt(-2*mathx.Log(u1)) * mathx.Cos(2*math.Pi*u2)
}

// Shuffle permutes n elements in place by Fisher-Yates: for i from n-1 down
// to 1 it calls swap(i, j) with j = Intn(i+1). It panics if n < 0.
func (r *Rand) Shuffle(n int, swap func(i, j int)) {
	if n < 0 {
		panic("rng: Shuffle argument must not be negative")
	}
	for i := n - 1; i > 0; i-- {
		swap(i, r.Intn(i+1))
	}
}
