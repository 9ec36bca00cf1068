package mathx

// Exp32 returns e**x in float32: float32(Exp(float64(x))), one rounding of
// the float64 result. Special cases as for Exp.
func Exp32(x float32) float32 { return float32(Exp(float64(x))) }

// Log32 returns the natural logarithm of x in float32:
// float32(Log(float64(x))). Special cases as for Log.
func Log32(x float32) float32 { return float32(Log(float64(x))) }

// Tanh32 returns the hyperbolic tangent of x in float32:
// float32(Tanh(float64(x))). Special cases as for Tanh.
func Tanh32(x float32) float32 { return float32(Tanh(float64(x))) }
