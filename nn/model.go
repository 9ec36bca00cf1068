package nn

import (
	"errors"
	"fmt"
)

// Sequential is a model that applies its layers in order.
type Sequential[T Float] struct {
	Layers []Layer[T]
}

// widths returns the width entering each layer and the final output width,
// checking that they chain; in is the model's input width.
func (s *Sequential[T]) widths(in int) ([]int, error) {
	if len(s.Layers) == 0 {
		return nil, errors.New("model has no layers")
	}
	w := make([]int, len(s.Layers)+1)
	w[0] = in
	for i, l := range s.Layers {
		out, err := l.OutWidth(w[i])
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		w[i+1] = out
	}
	return w, nil
}

// InWidth returns the input width of the first Linear layer, or 0 if the
// model has none.
func (s *Sequential[T]) InWidth() int {
	for _, l := range s.Layers {
		if lin, ok := l.(*Linear[T]); ok {
			return lin.In
		}
	}
	return 0
}

// Validate returns an error if the layers do not chain from InWidth.
func (s *Sequential[T]) Validate() error {
	if s.InWidth() == 0 {
		return errors.New("model has no linear layer")
	}
	_, err := s.widths(s.InWidth())
	return err
}

// OutWidth returns the model's output width, or 0 if its layers do not
// chain.
func (s *Sequential[T]) OutWidth() int {
	w, err := s.widths(s.InWidth())
	if err != nil {
		return 0
	}
	return w[len(w)-1]
}

// ParamCount returns the number of trainable values: every weight and bias.
func (s *Sequential[T]) ParamCount() int {
	n := 0
	for _, l := range s.Layers {
		if lin, ok := l.(*Linear[T]); ok {
			n += len(lin.W) + len(lin.B)
		}
	}
	return n
}

// Forward returns the model's output for a batch. x is (batch, in), the
// result is (batch, out). It returns an error wrapping ErrShape if x does not
// fit the model.
func (s *Sequential[T]) Forward(x Tensor[T]) (Tensor[T], error) {
	if err := matrix("x", x); err != nil {
		return Tensor[T]{}, err
	}
	w, err := s.widths(x.Cols())
	if err != nil {
		return Tensor[T]{}, err
	}
	rows := x.Rows()
	cur := x.Data
	for i, l := range s.Layers {
		next := make([]T, rows*w[i+1])
		l.forward(next, cur, rows, w[i])
		cur = next
	}
	return Tensor[T]{Shape: []int{rows, w[len(w)-1]}, Data: cur}, nil
}

// Predictor runs single-sample inference with preallocated buffers, so that
// Predict allocates nothing. It is not safe for concurrent use.
type Predictor[T Float] struct {
	model  *Sequential[T]
	norm   *Normalizer[T]
	widths []int
	a, b   []T
}

// NewPredictor returns a Predictor for s that first normalises its input
// with n (which may be nil). It returns an error if the layers do not chain
// or n does not match the model's input width.
func NewPredictor[T Float](s *Sequential[T], n *Normalizer[T]) (*Predictor[T], error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	w, _ := s.widths(s.InWidth())
	if n != nil && (len(n.Mean) != w[0] || len(n.Std) != w[0]) {
		return nil, fmt.Errorf("%w: normaliser has %d means and %d stds for %d inputs", ErrShape, len(n.Mean), len(n.Std), w[0])
	}
	maxw := 0
	for _, v := range w {
		maxw = max(maxw, v)
	}
	return &Predictor[T]{model: s, norm: n, widths: w, a: make([]T, maxw), b: make([]T, maxw)}, nil
}

// Predict returns the model's output for one sample x of the model's input
// width. The result is an internal buffer, valid until the next call. It
// panics if len(x) is not the input width.
func (p *Predictor[T]) Predict(x []T) []T {
	in := p.widths[0]
	if len(x) != in {
		panic("nn: Predict input has the wrong width")
	}
	cur, next := p.a[:in], p.b
	if p.norm != nil {
		p.norm.transformRow(cur, x)
	} else {
		copy(cur, x)
	}
	for i, l := range p.model.Layers {
		out := next[:p.widths[i+1]]
		l.forward(out, cur, 1, p.widths[i])
		cur, next = out, cur[:cap(cur)]
	}
	return cur
}
