package nn

import "fmt"

// Layer is one step of a Sequential model: a *Linear or an *Act. The set is
// closed so that every layer can be trained, checked and written to a FINF
// file.
type Layer[T Float] interface {
	// OutWidth returns the width of the layer's output for an input of
	// width in, or an error wrapping ErrShape if it cannot take that width.
	OutWidth(in int) (int, error)

	// forward sets y = layer(x) without checks. x is (rows, in), y is
	// (rows, out); y must not alias x.
	forward(y, x []T, rows, in int)
}

// Linear is a fully connected layer, y = xW + b.
type Linear[T Float] struct {
	In, Out int
	W       []T // (In, Out), row-major: W[i*Out+j] connects input i to output j
	B       []T // (Out)
}

// NewLinear returns a Linear layer of the given widths with zero weights. It
// returns an error wrapping ErrShape unless both widths are at least 1.
func NewLinear[T Float](in, out int) (*Linear[T], error) {
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("%w: linear layer %d -> %d", ErrShape, in, out)
	}
	return &Linear[T]{In: in, Out: out, W: make([]T, in*out), B: make([]T, out)}, nil
}

// OutWidth returns l.Out if in equals l.In.
func (l *Linear[T]) OutWidth(in int) (int, error) {
	if in != l.In {
		return 0, fmt.Errorf("%w: linear layer expects width %d, got %d", ErrShape, l.In, in)
	}
	if len(l.W) != l.In*l.Out || len(l.B) != l.Out {
		return 0, fmt.Errorf("%w: linear layer %d -> %d holds %d weights and %d biases", ErrShape, l.In, l.Out, len(l.W), len(l.B))
	}
	return l.Out, nil
}

// forward computes y = xW + b: the product first, then the bias.
//
//	y[r][j] = (sum_{i=0}^{In-1} x[r][i] * W[i][j]) + b[j]
func (l *Linear[T]) forward(y, x []T, rows, _ int) {
	matMul(y, x, l.W, rows, l.In, l.Out)
	addBias(y, l.B, rows, l.Out)
}

// Act is an activation layer.
type Act[T Float] struct {
	Kind Activation
}

// OutWidth returns in: activations keep the width.
func (a *Act[T]) OutWidth(in int) (int, error) {
	if !a.Kind.Valid() {
		return 0, fmt.Errorf("unknown activation kind %d", uint8(a.Kind))
	}
	return in, nil
}

func (a *Act[T]) forward(y, x []T, rows, in int) {
	activate(a.Kind, y, x, rows, in)
}
