// Package mathx provides deterministic, pure-Go elementary functions for the
// engine: Exp, Log, Tanh, Sin and Cos in float64, and Exp32, Log32 and Tanh32
// in float32.
//
// Why not package math: on amd64 math.Exp and math.Log are assembly, and on
// js/wasm they are pure Go, so the same call can differ in the last bit
// between machines and between a native build and the browser. Every function
// here is plain Go arithmetic on float64, so it gives the same bits on every
// GOOS/GOARCH.
//
// Why the explicit conversions: the Go specification allows a compiler to
// fuse x*y + z into one fused multiply-add (and gc does so on arm64, ppc64le,
// s390x and riscv64), which changes the rounding. An explicit conversion such
// as float64(x*y) + z forbids the fusion, so every product that is added or
// subtracted in this package is wrapped in float64(...).
//
// The algorithms are the classical ones: argument reduction followed by a
// short polynomial or rational approximation, with the constants of FreeBSD
// msun (Exp, Log) and Cephes (Tanh, Sin, Cos). Each function is within 2 ulp
// of package math over its whole domain and within 1 ulp of the correctly
// rounded result (the tests sweep densely against package math, check
// samples against a math/big reference, and pin exact bit patterns). Sin and
// Cos accept every finite argument, using Payne-Hanek reduction for
// |x| >= 2**29; see Sin for the one caveat near their zeros.
//
// Where package math is wrong, mathx follows the true value: on amd64 the
// assembly math.Exp returns +Inf for x in about (709.09, 709.78] and the
// assembly math.Log mishandles subnormal x, and math.Sin/math.Cos lose a
// few bits for huge x near a zero.
//
// The float32 variants round the float64 result once:
//
//	Exp32(x) = float32(Exp(float64(x)))
package mathx
