// Package nn is a small neural-network engine written from scratch with the
// standard library only: tensors, matrix kernels, activations, Linear layers,
// a Sequential model, fused softmax cross-entropy, SGD with momentum and Adam,
// backpropagation for multi-layer perceptrons, a z-score normaliser and a
// float64 finite-difference gradient check.
//
// Every type is generic over float32 and float64 (the Float constraint): the
// pipeline trains and ships float32 networks, and the gradient check runs the
// very same code in float64.
//
// The package is deterministic by construction (see DESIGN.md):
//
//   - all randomness comes from the caller's *rng.Rand;
//   - every product that is accumulated is rounded on its own with an
//     explicit conversion, T(a*b) + c, so no compiler may fuse it into a
//     fused multiply-add on any architecture;
//   - exp, log and tanh come from nn/mathx, never from package math;
//   - each output's summation order is fixed and documented on its kernel.
//
// The import graph is a strict stack, read it bottom up:
//
//	mathx, rng        deterministic math and the xorshift64* generator
//	tensor.go         Float, Tensor, shape errors
//	ops.go            matmul (i-k-j), bias add, transpose, row sums, ...;
//	                  the reference kernels every fast kernel must match
//	kernel_*.go       the fast kernels: one strided gemm (AVX2 assembly on
//	                  amd64, pure Go elsewhere or with -tags purego), a
//	                  vector ReLU, and a row-split worker pool, all giving
//	                  the reference kernels' bits
//	activation.go     ReLU, Sigmoid, Tanh, Softmax, Identity
//	layer.go          Linear and activation layers
//	model.go          Sequential, single-sample Predictor
//	loss.go           fused softmax cross-entropy
//	optim.go          SGD with momentum, Adam
//	init.go           He and Xavier normal initialisation, NewMLP
//	normalize.go      z-score Normalizer
//	train.go          Trainer: mini-batch backpropagation
//	gradcheck.go      float64 central-difference gradient check
//	finf.go           conversion to and from the FINF v2 model file
//
// nn does no file I/O and no logging, and builds for GOOS=js GOARCH=wasm.
package nn
