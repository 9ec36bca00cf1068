package nn

import (
	"errors"
	"fmt"
	"math"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

// EpochStats is the mean loss and the accuracy over a pass through a data
// set.
type EpochStats struct {
	Loss     float64
	Accuracy float64
}

// Trainer trains a Sequential classifier whose last layer is a Softmax with
// mini-batch backpropagation. The layers before that Softmax produce the
// logits, and the loss is the fused softmax cross-entropy, so the Softmax's
// own Jacobian is never formed. All buffers are allocated once, in
// NewTrainer: a training step allocates nothing.
type Trainer[T Float] struct {
	model  *Sequential[T]
	layers []Layer[T] // the layers before the final Softmax
	widths []int      // widths[i] enters layers[i]; the last is the class count
	batch  int
	acts   [][]T // acts[i] is the input of layers[i], (batch, widths[i]); the last holds the logits
	grads  [][]T // grads[i] is dL/dacts[i]
	params []param[T]
	opt    optimizer[T]
	perm   []int
	xb     []T
	yb     []int
	kern   kernels[T] // the matrix products, on one or more goroutines (kernel_pool.go)
}

// NewTrainer returns a Trainer for s with mini-batches of at most batch rows.
// It returns an error if s does not end in a Softmax, its layers do not
// chain, or the optimiser configuration is invalid.
func NewTrainer[T Float](s *Sequential[T], opt OptimizerConfig, batch int) (*Trainer[T], error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d must be at least 1", batch)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	n := len(s.Layers)
	if a, ok := s.Layers[n-1].(*Act[T]); !ok || a.Kind != Softmax {
		return nil, errors.New("a trainable classifier must end in a softmax layer")
	}
	w, _ := s.widths(s.InWidth())
	t := &Trainer[T]{model: s, layers: s.Layers[:n-1], widths: w[:n], batch: batch}
	for _, width := range t.widths {
		t.acts = append(t.acts, make([]T, batch*width))
		t.grads = append(t.grads, make([]T, batch*width))
	}
	for _, l := range t.layers {
		if lin, ok := l.(*Linear[T]); ok {
			t.params = append(t.params,
				param[T]{w: lin.W, g: make([]T, len(lin.W))},
				param[T]{w: lin.B, g: make([]T, len(lin.B))})
		}
	}
	var err error
	if t.opt, err = newOptimizer(opt, t.params); err != nil {
		return nil, err
	}
	t.xb = make([]T, batch*w[0])
	t.yb = make([]int, batch)
	maxNT := 0
	for i := range t.layers {
		maxNT = max(maxNT, t.widths[i]*t.widths[i+1])
	}
	t.kern = newKernels[T](maxNT)
	return t, nil
}

func (t *Trainer[T]) classes() int { return t.widths[len(t.widths)-1] }

// check returns an error unless x holds len(y) rows of the input width and
// every label is a class index.
func (t *Trainer[T]) check(x []T, y []int) error {
	if len(y) == 0 || len(x) != len(y)*t.widths[0] {
		return fmt.Errorf("%w: %d values for %d rows of width %d", ErrShape, len(x), len(y), t.widths[0])
	}
	return checkLabels(y, t.classes())
}

// Epoch shuffles the rows of x with r, then trains on them in mini-batches
// in that order, updating the model after each. x is (rows, in), y holds a
// class index per row. It returns the mean loss and the accuracy of the
// batches as they were seen, before each update. A non-finite loss stops the
// epoch with an error wrapping ErrNonFinite.
func (t *Trainer[T]) Epoch(x []T, y []int, r *rng.Rand) (EpochStats, error) {
	if err := t.check(x, y); err != nil {
		return EpochStats{}, err
	}
	rows, in := len(y), t.widths[0]
	if cap(t.perm) < rows {
		t.perm = make([]int, rows)
	}
	perm := t.perm[:rows]
	for i := range perm {
		perm[i] = i
	}
	r.Shuffle(rows, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
	var sum float64
	correct := 0
	for start := 0; start < rows; start += t.batch {
		idx := perm[start:min(start+t.batch, rows)]
		for k, row := range idx {
			copy(t.xb[k*in:(k+1)*in], x[row*in:(row+1)*in])
			t.yb[k] = y[row]
		}
		s, c := t.step(t.xb[:len(idx)*in], t.yb[:len(idx)])
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return EpochStats{}, fmt.Errorf("batch at row %d: loss %w", start, ErrNonFinite)
		}
		sum += s
		correct += c
	}
	return EpochStats{Loss: sum / float64(rows), Accuracy: float64(correct) / float64(rows)}, nil
}

// Step trains on one mini-batch of at most the trainer's batch size and
// returns its mean loss. x is (rows, in).
func (t *Trainer[T]) Step(x []T, y []int) (float64, error) {
	if err := t.check(x, y); err != nil {
		return 0, err
	}
	if len(y) > t.batch {
		return 0, fmt.Errorf("%w: %d rows exceed the batch size %d", ErrShape, len(y), t.batch)
	}
	s, _ := t.step(x, y)
	return s / float64(len(y)), nil
}

// step runs forward, loss, backward and the optimiser on a checked batch and
// returns the summed loss and the number of correct predictions.
func (t *Trainer[T]) step(x []T, y []int) (float64, int) {
	s, c := t.lossAndGrad(x, y)
	t.opt.step(t.params)
	return s, c
}

// lossAndGrad runs the forward and backward passes, leaving dL/dparam in
// t.params, and returns the summed loss and the correct count.
func (t *Trainer[T]) lossAndGrad(x []T, y []int) (float64, int) {
	rows := len(y)
	n := len(t.layers)
	k := t.classes()
	s, c := t.forward(x, y, t.grads[n][:rows*k])
	p := len(t.params)
	for i := n - 1; i >= 0; i-- {
		in, out := t.widths[i], t.widths[i+1]
		dy := t.grads[i+1][:rows*out]
		switch l := t.layers[i].(type) {
		case *Linear[T]:
			p -= 2
			// dW = xᵀ·dy, db = sum over rows of dy, dx = dy·Wᵀ
			t.kern.matMulTN(t.params[p].g, t.acts[i][:rows*in], dy, rows, in, out)
			sumRows(t.params[p+1].g, dy, rows, out)
			if i > 0 {
				t.kern.matMulNT(t.grads[i][:rows*in], dy, l.W, rows, out, in)
			}
		case *Act[T]:
			if i > 0 {
				activateBackward(l.Kind, t.grads[i][:rows*in], dy, t.acts[i][:rows*in], t.acts[i+1][:rows*out], rows, in)
			}
		}
	}
	return s, c
}

// forward runs the layers before the softmax on a checked batch and returns
// the summed loss and the correct count; if grad is not nil it also sets it
// to dL/dlogits.
func (t *Trainer[T]) forward(x []T, y []int, grad []T) (float64, int) {
	rows := len(y)
	n := len(t.layers)
	copy(t.acts[0], x)
	for i, l := range t.layers {
		y, x := t.acts[i+1][:rows*t.widths[i+1]], t.acts[i][:rows*t.widths[i]]
		if lin, ok := l.(*Linear[T]); ok {
			t.kern.linearForward(lin, y, x, rows)
		} else {
			l.forward(y, x, rows, t.widths[i])
		}
	}
	k := t.classes()
	return softmaxCE(grad, t.acts[n][:rows*k], y, rows, k)
}

// Evaluate returns the mean cross-entropy loss and the accuracy of the
// classifier s on x, without changing it. s must end in a Softmax; x is
// (rows, in) and y holds a class index per row.
func Evaluate[T Float](s *Sequential[T], x []T, y []int) (EpochStats, error) {
	const chunk = 256
	if err := s.Validate(); err != nil {
		return EpochStats{}, err
	}
	n := len(s.Layers)
	if a, ok := s.Layers[n-1].(*Act[T]); !ok || a.Kind != Softmax {
		return EpochStats{}, errors.New("a classifier must end in a softmax layer")
	}
	w, _ := s.widths(s.InWidth())
	k := w[n-1]
	if len(y) == 0 || len(x) != len(y)*w[0] {
		return EpochStats{}, fmt.Errorf("%w: %d values for %d rows of width %d", ErrShape, len(x), len(y), w[0])
	}
	if err := checkLabels(y, k); err != nil {
		return EpochStats{}, err
	}
	maxw := 0
	for _, v := range w {
		maxw = max(maxw, v)
	}
	a, b := make([]T, chunk*maxw), make([]T, chunk*maxw)
	var sum float64
	correct := 0
	for start := 0; start < len(y); start += chunk {
		rows := min(chunk, len(y)-start)
		cur := a[:rows*w[0]]
		copy(cur, x[start*w[0]:(start+rows)*w[0]])
		next := b
		for i, l := range s.Layers[:n-1] {
			out := next[:rows*w[i+1]]
			l.forward(out, cur, rows, w[i])
			cur, next = out, cur[:cap(cur)]
		}
		ls, c := softmaxCE(nil, cur, y[start:start+rows], rows, k)
		sum += ls
		correct += c
	}
	return EpochStats{Loss: sum / float64(len(y)), Accuracy: float64(correct) / float64(len(y))}, nil
}
