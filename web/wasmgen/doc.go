// Package wasmgen compiles a FINF v2 model ahead of time into a standalone
// WebAssembly module of a few kilobytes: the forward pass as straight loops
// over linear memory, the weights and the normaliser in a data segment, and
// no runtime. The compiled reference Iris model (4 -> 32 ReLU -> 3 Softmax)
// is about 2 KB, against about 0.5 MB compressed for the Go engine built
// for js/wasm.
//
// Compile writes the binary format directly (WebAssembly 1.0 MVP: type,
// function, memory, global, export, code and data sections); no toolchain is
// needed. The package uses the standard library and finf only.
//
// # Module interface
//
// A compiled module imports nothing and exports:
//
//	memory        the linear memory; it never grows
//	predict       func () -> (): runs the model on the input buffer
//	input_ptr     immutable i32 global: byte address of the input, input_width f32
//	output_ptr    immutable i32 global: byte address of the output, output_width f32
//	input_width   immutable i32 global: the model's input width
//	output_width  immutable i32 global: the model's output width
//
// To predict, write input_width little-endian f32 values at input_ptr, call
// predict, and read output_width f32 values at output_ptr. predict leaves
// the input unchanged, and the output stays valid until the next call.
// Both addresses are multiples of 4, so Float32Array views on the memory
// work. loader.js in this directory wraps all of this for a web page:
//
//	import { loadModel } from "./loader.js";
//	const model = await loadModel("model.wasm"); // or the module's bytes
//	const probs = model.predict(features);       // Float32Array(model.outWidth)
//
// # Memory layout
//
//	0                  input   (input_width f32)
//	4*in               scratch buffer A (widest layer f32)
//	A + 4*widest       scratch buffer B
//	B + 4*widest       data segment: mean and std (input_width f32 each,
//	                   only with a normaliser), then W and b of each Linear
//	                   layer in file order, W row-major (in, out)
//
// # Same bits as the engine
//
// The code computes exactly what nn.Predictor computes in float32, one
// operation at a time in the same order, and WebAssembly arithmetic is
// IEEE-754 binary32/binary64 with round-to-nearest-even and no fused
// multiply-add, so the outputs are the engine's bits:
//
//	normalise  z[i] = (x[i] - mean[i]) / std[i]
//	Linear     y[j] = ((((0 + x[0]*W[0][j]) + x[1]*W[1][j]) + ...) + b[j]
//	           (each product rounded to f32 before it is added, i ascending)
//	ReLU       v > 0 ? v : 0                 (so -0 and NaN give +0)
//	Sigmoid    1 / (1 + exp32(-v))
//	Tanh       float32(mathx.Tanh(float64(v)))
//	Softmax    m = max(v); e = exp32(v - m); sum ascending in f32; e / sum
//	Identity   nothing
//
// where exp32(v) = float32(mathx.Exp(float64(v))). mathx.Exp and mathx.Tanh
// are ported instruction by instruction to f64 WebAssembly functions inside
// the module; only those the model needs are emitted. The one thing not
// reproduced is a NaN's sign and payload, which neither Go nor WebAssembly
// fixes (Go on amd64 and arm64 already disagree): a NaN output is a NaN.
//
// # Errors
//
// A model Compile cannot handle is an error at compile time, never a module
// that traps: the model must satisfy every FINF v2 rule (finf.Marshal's
// checks, whose *finf.ModelError and sentinel errors come back wrapped), and
// its weights and buffers must fit MaxMemory bytes of linear memory
// (ErrTooLarge). Every loop of a compiled module runs over widths of at
// least 1 and stays inside its memory.
package wasmgen
