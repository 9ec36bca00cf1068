package nn

import (
	"errors"
	"fmt"
	"math"
)

// Float is the set of element types the engine computes in.
type Float interface {
	~float32 | ~float64
}

// ErrShape is wrapped by every error about mismatched or invalid shapes.
var ErrShape = errors.New("shape mismatch")

// Tensor is a dense, row-major array: Data holds the elements and Shape the
// extent of each dimension, so a (3, 4) matrix is twelve contiguous values
// with element (i, j) at Data[i*4+j]. There are no views and no strides.
type Tensor[T Float] struct {
	Shape []int
	Data  []T
}

// NewTensor returns a zeroed tensor of the given shape. It returns an error
// wrapping ErrShape if a dimension is negative or the shape is empty.
func NewTensor[T Float](shape ...int) (Tensor[T], error) {
	n, err := numel(shape)
	if err != nil {
		return Tensor[T]{}, err
	}
	return Tensor[T]{Shape: append([]int(nil), shape...), Data: make([]T, n)}, nil
}

// FromData returns a tensor of the given shape over data (not copied). It
// returns an error wrapping ErrShape if len(data) does not match the shape.
func FromData[T Float](data []T, shape ...int) (Tensor[T], error) {
	n, err := numel(shape)
	if err != nil {
		return Tensor[T]{}, err
	}
	if n != len(data) {
		return Tensor[T]{}, fmt.Errorf("%w: shape %v holds %d values, data has %d", ErrShape, shape, n, len(data))
	}
	return Tensor[T]{Shape: append([]int(nil), shape...), Data: data}, nil
}

func numel(shape []int) (int, error) {
	if len(shape) == 0 {
		return 0, fmt.Errorf("%w: empty shape", ErrShape)
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("%w: negative dimension in %v", ErrShape, shape)
		}
		if d != 0 && n > math.MaxInt/d {
			return 0, fmt.Errorf("%w: shape %v holds more values than an int can count", ErrShape, shape)
		}
		n *= d
	}
	return n, nil
}

// Rows returns the first dimension of a matrix.
func (t Tensor[T]) Rows() int { return t.Shape[0] }

// Cols returns the second dimension of a matrix.
func (t Tensor[T]) Cols() int { return t.Shape[1] }

// Map returns a new tensor with f applied to every element.
func (t Tensor[T]) Map(f func(T) T) Tensor[T] {
	out := Tensor[T]{Shape: append([]int(nil), t.Shape...), Data: make([]T, len(t.Data))}
	for i, v := range t.Data {
		out.Data[i] = f(v)
	}
	return out
}

// matrix checks that t is a valid two-dimensional tensor.
func matrix[T Float](name string, t Tensor[T]) error {
	if len(t.Shape) != 2 {
		return fmt.Errorf("%w: %s must be a matrix, has shape %v", ErrShape, name, t.Shape)
	}
	if n, err := numel(t.Shape); err != nil || n != len(t.Data) {
		return fmt.Errorf("%w: %s has shape %v but %d values", ErrShape, name, t.Shape, len(t.Data))
	}
	return nil
}
