package nn

import (
	"fmt"

	"github.com/ferrum-ml/ferrum/nn/mathx"
)

// Activation is an element-wise (or, for Softmax, row-wise) non-linearity.
// Its values are the activation kind codes of the FINF v2 file format.
type Activation uint8

// The activations, numbered as in FINF v2.
const (
	ReLU     Activation = 0
	Sigmoid  Activation = 1
	Tanh     Activation = 2
	Softmax  Activation = 3
	Identity Activation = 4
)

var activationNames = [...]string{"relu", "sigmoid", "tanh", "softmax", "identity"}

// String returns the activation's lower-case name, as written in experiment
// files.
func (a Activation) String() string {
	if int(a) < len(activationNames) {
		return activationNames[a]
	}
	return fmt.Sprintf("activation(%d)", uint8(a))
}

// Valid reports whether a is one of the defined activations.
func (a Activation) Valid() bool { return int(a) < len(activationNames) }

// ParseActivation returns the activation named s ("relu", "sigmoid", "tanh",
// "softmax" or "identity").
func ParseActivation(s string) (Activation, error) {
	for i, name := range activationNames {
		if s == name {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("unknown activation %q (want relu, sigmoid, tanh, softmax or identity)", s)
}

// exp, log and tanh route every transcendental the engine needs through the
// deterministic mathx implementations, in float64, rounded once to T.
func exp[T Float](x T) T  { return T(mathx.Exp(float64(x))) }
func log[T Float](x T) T  { return T(mathx.Log(float64(x))) }
func tanh[T Float](x T) T { return T(mathx.Tanh(float64(x))) }

// sigmoid returns 1 / (1 + exp(-x)).
func sigmoid[T Float](x T) T { return 1 / (1 + exp(-x)) }

// activate sets dst = a(x) for rows of width n. x and dst are (m, n); dst
// may alias x.
func activate[T Float](a Activation, dst, x []T, m, n int) {
	x = x[:m*n]
	dst = dst[:len(x)]
	switch a {
	case ReLU:
		relu(dst, x) // kernel_relu.go
	case Sigmoid:
		for i, v := range x {
			dst[i] = sigmoid(v)
		}
	case Tanh:
		for i, v := range x {
			dst[i] = tanh(v)
		}
	case Softmax:
		softmaxRows(dst, x, m, n)
	case Identity:
		copy(dst, x)
	default:
		panic("nn: unknown activation")
	}
}

// activateBackward sets dx = dL/dx given dy = dL/dy, the layer's input x and
// its output y = a(x). All are (m, n); dx may alias dy.
//
//	ReLU:     dx = dy * [x > 0]
//	Sigmoid:  dx = dy * y(1 - y)
//	Tanh:     dx = dy * (1 - y²)
//	Softmax:  dx[i] = y[i] * (dy[i] - sum_j dy[j] y[j])   per row
//	Identity: dx = dy
func activateBackward[T Float](a Activation, dx, dy, x, y []T, m, n int) {
	dy = dy[:m*n]
	dx = dx[:len(dy)]
	switch a {
	case ReLU:
		reluBackward(dx, dy, x[:len(dy)]) // kernel_relu.go
	case Sigmoid:
		y = y[:len(dy)]
		for i, g := range dy {
			dx[i] = g * T(y[i]*(1-y[i]))
		}
	case Tanh:
		y = y[:len(dy)]
		for i, g := range dy {
			dx[i] = g * (1 - T(y[i]*y[i]))
		}
	case Softmax:
		for r := 0; r < m; r++ {
			gy, yy, gx := dy[r*n:(r+1)*n], y[r*n:(r+1)*n], dx[r*n:(r+1)*n]
			var dot T
			for j, g := range gy {
				dot += T(g * yy[j])
			}
			for j, g := range gy {
				gx[j] = yy[j] * (g - dot)
			}
		}
	case Identity:
		copy(dx, dy)
	default:
		panic("nn: unknown activation")
	}
}
