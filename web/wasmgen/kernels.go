package wasmgen

// This file emits the module's internal functions. Each is a line-by-line
// port of the engine code it stands for (named in its comment), keeping
// every operation, its operand order and its rounding: WebAssembly's f32 and
// f64 arithmetic is IEEE-754 with round-to-nearest-even and no fused
// multiply-add, as Go's is once every product is rounded on its own.

var (
	sigF64     = funcType{params: []byte{f64}, results: []byte{f64}}
	sigLinear  = funcType{params: []byte{i32, i32, i32, i32, i32, i32}}
	sigRowwise = funcType{params: []byte{i32, i32, i32}}
)

// expFunc returns mathx.Exp as a function (f64) -> f64.
//
//	x = k*ln2 + r,  r = hi - lo
//	c = r - t*(P1 + t*(P2 + t*(P3 + t*(P4 + t*P5)))),  t = r*r
//	exp(x) = 2**k * (1 - ((lo - r*c/(2-c)) - hi))
func expFunc() function {
	const (
		overflow  = 7.09782712893383973096e+02
		underflow = -7.45133219101941108420e+02
		nearZero  = 0x1p-28
		ln2Hi     = 6.93147180369123816490e-01
		ln2Lo     = 1.90821492927058770002e-10
		log2e     = 1.44269504088896338700e+00
		P1        = 1.66666666666666657415e-01
		P2        = -2.77777777770155933842e-03
		P3        = 6.61375632143793436117e-05
		P4        = -1.65339022054652515390e-06
		P5        = 4.13813679705723846039e-08
	)
	const (
		x  = 0 // parameter
		k  = 1 // i32
		fk = 2 // f64 locals from here on
		hi = 3
		lo = 4
		r  = 5
		t  = 6
		cc = 7
		y  = 8
	)
	var c code
	// NaN: return x itself.
	c.get(x)
	c.get(x)
	c.op(opF64Ne)
	c.ifThen(blockVoid)
	c.get(x)
	c.op(opReturn, opEnd)
	// x > overflow (and +Inf): +Inf.
	c.get(x)
	c.f64Const(overflow)
	c.op(opF64Gt)
	c.ifThen(blockVoid)
	c.f64Const(inf())
	c.op(opReturn, opEnd)
	// x < underflow (and -Inf): 0.
	c.get(x)
	c.f64Const(underflow)
	c.op(opF64Lt)
	c.ifThen(blockVoid)
	c.f64Const(0)
	c.op(opReturn, opEnd)
	// -nearZero < x < nearZero, that is |x| < nearZero for a non-NaN x: 1 + x.
	c.get(x)
	c.op(opF64Abs)
	c.f64Const(nearZero)
	c.op(opF64Lt)
	c.ifThen(blockVoid)
	c.f64Const(1)
	c.get(x)
	c.op(opF64Add, opReturn, opEnd)

	// k = int(log2e*x ± 0.5), truncated toward zero; a - 0.5 is a + (-0.5)
	// exactly in IEEE arithmetic.
	c.f64Const(log2e)
	c.get(x)
	c.op(opF64Mul)
	c.f64Const(-0.5)
	c.f64Const(0.5)
	c.get(x)
	c.f64Const(0)
	c.op(opF64Lt, opSelect, opF64Add, opI32TruncF64S)
	c.set(k)
	// hi = x - fk*ln2Hi; lo = fk*ln2Lo.
	c.get(x)
	c.get(k)
	c.op(opF64ConvertI32S)
	c.tee(fk)
	c.f64Const(ln2Hi)
	c.op(opF64Mul, opF64Sub)
	c.set(hi)
	c.get(fk)
	c.f64Const(ln2Lo)
	c.op(opF64Mul)
	c.set(lo)
	// r = hi - lo; t = r*r.
	c.get(hi)
	c.get(lo)
	c.op(opF64Sub)
	c.tee(r)
	c.get(r)
	c.op(opF64Mul)
	c.set(t)
	// c = r - t*(P1 + t*(P2 + t*(P3 + t*(P4 + t*P5)))).
	c.get(r)
	for _, p := range []float64{P1, P2, P3, P4} {
		c.get(t)
		c.f64Const(p)
	}
	c.get(t)
	c.f64Const(P5)
	c.op(opF64Mul)
	for range 4 {
		c.op(opF64Add, opF64Mul)
	}
	c.op(opF64Sub)
	c.set(cc)
	// y = 1 - ((lo - r*c/(2-c)) - hi).
	c.f64Const(1)
	c.get(lo)
	c.get(r)
	c.get(cc)
	c.op(opF64Mul)
	c.f64Const(2)
	c.get(cc)
	c.op(opF64Sub, opF64Div, opF64Sub)
	c.get(hi)
	c.op(opF64Sub, opF64Sub)
	c.set(y)
	// scale(y, k): y*2**k with one rounding, as mathx.scale.
	c.get(k)
	c.i32Const(1023)
	c.op(opI32GtS)
	c.ifThen(f64)
	{ // (y*2) * 2**(k-1)
		c.get(y)
		c.f64Const(2)
		c.op(opF64Mul)
		pow2(&c, k, -1)
		c.op(opF64Mul)
	}
	c.op(opElse)
	c.get(k)
	c.i32Const(-1021)
	c.op(opI32LtS)
	c.ifThen(f64)
	{ // (y * 2**(k+54)) * 2**-54
		c.get(y)
		pow2(&c, k, 54)
		c.op(opF64Mul)
		c.f64Const(0x1p-54)
		c.op(opF64Mul)
	}
	c.op(opElse)
	{ // y * 2**k
		c.get(y)
		pow2(&c, k, 0)
		c.op(opF64Mul)
	}
	c.op(opEnd, opEnd, opEnd)
	return function{typ: sigF64, locals: []byte{i32, f64, f64, f64, f64, f64, f64, f64}, body: c.b}
}

// pow2 pushes 2**(k+d) as mathx.pow2 builds it: the biased exponent
// k+d+1023 shifted into the exponent field of a float64.
func pow2(c *code, k uint32, d int32) {
	c.get(k)
	c.i32Const(1023 + d)
	c.op(opI32Add, opI64ExtendI32U)
	c.i64Const(52)
	c.op(opI64Shl, opF64ReinterpretI)
}

// tanhFunc returns mathx.Tanh as a function (f64) -> f64 that calls the
// exp function at index exp.
//
//	z < 0.625:        x + x*s*P(s)/Q(s),  s = x*x
//	0.625 <= z <= 22: ±(1 - 2/(exp(2z) + 1))
//	z > 22:           ±1
func tanhFunc(exp uint32) function {
	const (
		P0 = -9.64399179425052238628e-1
		P1 = -9.92877231001918586564e1
		P2 = -1.61468768441708447952e3
		Q0 = 1.12811678491632931402e2
		Q1 = 2.23548839060100448583e3
		Q2 = 4.84406305325125486048e3
	)
	const (
		x = 0 // parameter
		z = 1 // f64 locals
		s = 2
		p = 3
		q = 4
	)
	var c code
	// z = |x|. mathx negates a negative x instead; the two differ only for
	// -0 and a NaN's sign, and z is only compared.
	c.get(x)
	c.op(opF64Abs)
	c.set(z)
	// NaN: return x.
	c.get(z)
	c.get(z)
	c.op(opF64Ne)
	c.ifThen(blockVoid)
	c.get(x)
	c.op(opReturn, opEnd)
	// z > 22: x < 0 ? -1 : 1.
	c.get(z)
	c.f64Const(22)
	c.op(opF64Gt)
	c.ifThen(blockVoid)
	c.f64Const(-1)
	c.f64Const(1)
	c.get(x)
	c.f64Const(0)
	c.op(opF64Lt, opSelect, opReturn, opEnd)
	// z >= 0.625: z = 1 - 2/(Exp(2*z) + 1), negated when x < 0.
	c.get(z)
	c.f64Const(0.625)
	c.op(opF64Ge)
	c.ifThen(blockVoid)
	c.f64Const(1)
	c.f64Const(2)
	c.f64Const(2)
	c.get(z)
	c.op(opF64Mul)
	c.call(exp)
	c.f64Const(1)
	c.op(opF64Add, opF64Div, opF64Sub)
	c.tee(z)
	c.op(opF64Neg)
	c.get(z)
	c.get(x)
	c.f64Const(0)
	c.op(opF64Lt, opSelect, opReturn, opEnd)
	// x == 0: x, keeping the sign of -0.
	c.get(x)
	c.f64Const(0)
	c.op(opF64Eq)
	c.ifThen(blockVoid)
	c.get(x)
	c.op(opReturn, opEnd)
	// s = x*x; p = ((P0*s) + P1)*s + P2; q = (((s + Q0)*s) + Q1)*s + Q2.
	c.get(x)
	c.get(x)
	c.op(opF64Mul)
	c.set(s)
	c.f64Const(P0)
	c.get(s)
	c.op(opF64Mul)
	c.f64Const(P1)
	c.op(opF64Add)
	c.get(s)
	c.op(opF64Mul)
	c.f64Const(P2)
	c.op(opF64Add)
	c.set(p)
	c.get(s)
	c.f64Const(Q0)
	c.op(opF64Add)
	c.get(s)
	c.op(opF64Mul)
	c.f64Const(Q1)
	c.op(opF64Add)
	c.get(s)
	c.op(opF64Mul)
	c.f64Const(Q2)
	c.op(opF64Add)
	c.set(q)
	// x + ((x*s)*p)/q.
	c.get(x)
	c.get(x)
	c.get(s)
	c.op(opF64Mul)
	c.get(p)
	c.op(opF64Mul)
	c.get(q)
	c.op(opF64Div, opF64Add, opEnd)
	return function{typ: sigF64, locals: []byte{f64, f64, f64, f64}, body: c.b}
}

// linearFunc returns nn's Linear forward pass for one sample as a function
// (src, dst, w, b, in, out i32). src, dst, w and b are byte addresses of
// x (in), y (out), W (in, out) row-major and b (out); in and out are at
// least 1 and dst does not overlap src. The sum for each output runs as in
// nn's matMul then addBias:
//
//	y[j] = ((((0 + x[0]*W[0][j]) + x[1]*W[1][j]) + ...) + x[in-1]*W[in-1][j]) + b[j]
//
// each product rounded to f32 before it is added.
func linearFunc() function {
	const (
		src    = 0 // parameters
		dst    = 1
		w      = 2
		b      = 3
		in     = 4
		out    = 5
		j      = 6 // i32 locals: j is the byte offset of output j
		xp     = 7
		wp     = 8
		i      = 9
		stride = 10
		acc    = 11 // f32
	)
	var c code
	c.get(out)
	c.i32Const(2)
	c.op(opI32Shl)
	c.set(stride) // out*4, the bytes from W[i][j] to W[i+1][j]
	c.loop(blockVoid)
	{
		c.f32Const(0)
		c.set(acc)
		c.get(src)
		c.set(xp)
		c.get(w)
		c.get(j)
		c.op(opI32Add)
		c.set(wp)
		c.get(in)
		c.set(i)
		c.loop(blockVoid)
		{
			c.get(acc)
			c.get(xp)
			c.f32Load(0)
			c.get(wp)
			c.f32Load(0)
			c.op(opF32Mul, opF32Add)
			c.set(acc)
			c.get(xp)
			c.i32Const(4)
			c.op(opI32Add)
			c.set(xp)
			c.get(wp)
			c.get(stride)
			c.op(opI32Add)
			c.set(wp)
			c.get(i)
			c.i32Const(1)
			c.op(opI32Sub)
			c.tee(i)
			c.brIf(0)
		}
		c.op(opEnd)
		c.get(dst)
		c.get(j)
		c.op(opI32Add)
		c.get(acc)
		c.get(b)
		c.get(j)
		c.op(opI32Add)
		c.f32Load(0)
		c.op(opF32Add)
		c.f32Store(0)
		c.get(j)
		c.i32Const(4)
		c.op(opI32Add)
		c.tee(j)
		c.get(stride)
		c.op(opI32Ne)
		c.brIf(0)
	}
	c.op(opEnd, opEnd)
	return function{typ: sigLinear, locals: []byte{i32, i32, i32, i32, i32, f32}, body: c.b}
}

// elementwiseFunc returns a function (src, dst, n i32) that sets
// dst[k] = f(src[k]) for k ascending, n >= 1 values; dst may equal src.
// body appends the code that maps the f32 on top of the stack to f(it).
func elementwiseFunc(body func(c *code)) function {
	const (
		src = 0
		dst = 1
		n   = 2
	)
	var c code
	c.loop(blockVoid)
	c.get(dst)
	c.get(src)
	c.f32Load(0)
	body(&c)
	c.f32Store(0)
	for _, p := range []uint32{src, dst} {
		c.get(p)
		c.i32Const(4)
		c.op(opI32Add)
		c.set(p)
	}
	c.get(n)
	c.i32Const(1)
	c.op(opI32Sub)
	c.tee(n)
	c.brIf(0)
	c.op(opEnd, opEnd)
	return function{typ: sigRowwise, locals: []byte{f32}, body: c.b}
}

// reluFunc returns nn's ReLU, v > 0 ? v : 0, so -0 and NaN give +0.
func reluFunc() function {
	const v = 3 // the f32 local of elementwiseFunc
	return elementwiseFunc(func(c *code) {
		c.tee(v)
		c.f32Const(0)
		c.get(v)
		c.f32Const(0)
		c.op(opF32Gt, opSelect)
	})
}

// exp32 maps the f32 on the stack to float32(mathx.Exp(float64(it))), as
// nn's exp[float32] does.
func exp32(c *code, exp uint32) {
	c.op(opF64PromoteF32)
	c.call(exp)
	c.op(opF32DemoteF64)
}

// sigmoidFunc returns nn's sigmoid, 1 / (1 + exp(-v)) in f32 with exp as
// exp32.
func sigmoidFunc(exp uint32) function {
	const v = 3
	return elementwiseFunc(func(c *code) {
		c.set(v)
		c.f32Const(1)
		c.get(v)
		c.op(opF32Neg)
		exp32(c, exp)
		c.f32Const(1)
		c.op(opF32Add, opF32Div)
	})
}

// tanhActFunc returns nn's tanh, float32(mathx.Tanh(float64(v))).
func tanhActFunc(tanh uint32) function {
	return elementwiseFunc(func(c *code) {
		c.op(opF64PromoteF32)
		c.call(tanh)
		c.op(opF32DemoteF64)
	})
}

// softmaxFunc returns nn's softmax as a function (src, dst, n i32) for
// n >= 1 values; dst may equal src.
//
//	mx = max(x)            (a later value wins only if it is greater)
//	e[k] = exp32(x[k] - mx), sum = ((0 + e[0]) + e[1]) + ...
//	y[k] = e[k] / sum
func softmaxFunc(exp uint32) function {
	const (
		src = 0
		dst = 1
		n   = 2
		end = 3 // i32 locals: n*4
		k   = 4 // byte offset
		mx  = 5 // f32 locals
		sum = 6
		v   = 7
	)
	var c code
	c.get(n)
	c.i32Const(2)
	c.op(opI32Shl)
	c.set(end)
	c.get(src)
	c.f32Load(0)
	c.set(mx)
	// for k = 4; k < end; k += 4: v = x[k]; mx = v > mx ? v : mx.
	c.i32Const(4)
	c.set(k)
	c.block(blockVoid)
	c.loop(blockVoid)
	c.get(k)
	c.get(end)
	c.op(opI32GeU)
	c.brIf(1)
	c.get(src)
	c.get(k)
	c.op(opI32Add)
	c.f32Load(0)
	c.tee(v)
	c.get(mx)
	c.get(v)
	c.get(mx)
	c.op(opF32Gt, opSelect)
	c.set(mx)
	stepK(&c, k)
	c.br(0)
	c.op(opEnd, opEnd)
	// for k: e = exp32(x[k] - mx); y[k] = e; sum += e.
	c.i32Const(0)
	c.set(k)
	c.loop(blockVoid)
	c.get(dst)
	c.get(k)
	c.op(opI32Add)
	c.get(src)
	c.get(k)
	c.op(opI32Add)
	c.f32Load(0)
	c.get(mx)
	c.op(opF32Sub)
	exp32(&c, exp)
	c.tee(v)
	c.f32Store(0)
	c.get(sum)
	c.get(v)
	c.op(opF32Add)
	c.set(sum)
	stepK(&c, k)
	c.get(k)
	c.get(end)
	c.op(opI32Ne)
	c.brIf(0)
	c.op(opEnd)
	// for k: y[k] = y[k] / sum.
	c.i32Const(0)
	c.set(k)
	c.loop(blockVoid)
	c.get(dst)
	c.get(k)
	c.op(opI32Add)
	c.get(dst)
	c.get(k)
	c.op(opI32Add)
	c.f32Load(0)
	c.get(sum)
	c.op(opF32Div)
	c.f32Store(0)
	stepK(&c, k)
	c.get(k)
	c.get(end)
	c.op(opI32Ne)
	c.brIf(0)
	c.op(opEnd, opEnd)
	return function{typ: sigRowwise, locals: []byte{i32, i32, f32, f32, f32}, body: c.b}
}

// stepK appends k += 4.
func stepK(c *code, k uint32) {
	c.get(k)
	c.i32Const(4)
	c.op(opI32Add)
	c.set(k)
}
