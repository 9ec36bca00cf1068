package nn

import (
	"fmt"
	"math"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

// Init names a weight initialisation scheme.
type Init uint8

const (
	// HeNormal draws weights from N(0, 2/in), suited to ReLU.
	HeNormal Init = iota
	// XavierNormal draws weights from N(0, 2/(in+out)), suited to
	// Sigmoid, Tanh and Identity.
	XavierNormal
)

// InitLinear fills l.W with normal samples from r scaled for the scheme,
// drawn in row-major order, and sets l.B to zero.
func InitLinear[T Float](l *Linear[T], scheme Init, r *rng.Rand) {
	var std float64
	switch scheme {
	case HeNormal:
		std = math.Sqrt(2 / float64(l.In))
	case XavierNormal:
		std = math.Sqrt(2 / float64(l.In+l.Out))
	default:
		panic("nn: unknown init scheme")
	}
	for i := range l.W {
		l.W[i] = T(std * r.Normal())
	}
	clear(l.B)
}

// NewMLP returns a multi-layer perceptron classifier: for sizes
// [in, h1, ..., hk, out], k hidden Linear layers each followed by the hidden
// activation, then a Linear layer to out classes and a Softmax. Hidden
// weights are He normal for ReLU and Xavier normal otherwise; the output
// layer, which feeds the softmax, is Xavier normal. Weights are drawn from r
// layer by layer; biases are zero. It returns an error for fewer than two sizes, a
// size below 1, or a hidden activation that is Softmax or unknown.
func NewMLP[T Float](sizes []int, hidden Activation, r *rng.Rand) (*Sequential[T], error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("an MLP needs an input and an output size, got %v", sizes)
	}
	if !hidden.Valid() || hidden == Softmax {
		return nil, fmt.Errorf("hidden activation %v is not allowed", hidden)
	}
	scheme := XavierNormal
	if hidden == ReLU {
		scheme = HeNormal
	}
	s := &Sequential[T]{}
	for i := 0; i+1 < len(sizes); i++ {
		l, err := NewLinear[T](sizes[i], sizes[i+1])
		if err != nil {
			return nil, err
		}
		last := i+2 == len(sizes)
		if last {
			InitLinear(l, XavierNormal, r)
		} else {
			InitLinear(l, scheme, r)
		}
		s.Layers = append(s.Layers, l)
		if last {
			s.Layers = append(s.Layers, &Act[T]{Kind: Softmax})
		} else {
			s.Layers = append(s.Layers, &Act[T]{Kind: hidden})
		}
	}
	return s, nil
}

// Convert returns a deep copy of s with every value converted to U.
func Convert[U, T Float](s *Sequential[T]) *Sequential[U] {
	out := &Sequential[U]{Layers: make([]Layer[U], len(s.Layers))}
	for i, l := range s.Layers {
		switch l := l.(type) {
		case *Linear[T]:
			c := &Linear[U]{In: l.In, Out: l.Out, W: make([]U, len(l.W)), B: make([]U, len(l.B))}
			for k, v := range l.W {
				c.W[k] = U(v)
			}
			for k, v := range l.B {
				c.B[k] = U(v)
			}
			out.Layers[i] = c
		case *Act[T]:
			out.Layers[i] = &Act[U]{Kind: l.Kind}
		}
	}
	return out
}
