package nn

import (
	"fmt"
	"math"
)

// OptimizerConfig selects and configures an optimiser. Zero values of the
// Adam constants take PyTorch's defaults (Beta1 0.9, Beta2 0.999, Eps 1e-8).
type OptimizerConfig struct {
	Name        string  // "sgd" or "adam"
	LR          float64 // learning rate, > 0
	Momentum    float64 // SGD momentum in [0, 1)
	Beta1       float64 // Adam first-moment decay in [0, 1)
	Beta2       float64 // Adam second-moment decay in [0, 1)
	Eps         float64 // Adam denominator term, > 0
	WeightDecay float64 // L2 penalty added to every gradient, >= 0
}

// param is one trainable tensor and its gradient.
type param[T Float] struct {
	w, g []T
}

type optimizer[T Float] interface {
	step(ps []param[T])
}

func newOptimizer[T Float](c OptimizerConfig, ps []param[T]) (optimizer[T], error) {
	bad := func(what string, v float64) error {
		return fmt.Errorf("optimizer %s: %s %v out of range", c.Name, what, v)
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return nil, bad("learning rate", c.LR)
	}
	if !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) {
		return nil, bad("weight decay", c.WeightDecay)
	}
	state := func() [][]T {
		s := make([][]T, len(ps))
		for i, p := range ps {
			s[i] = make([]T, len(p.w))
		}
		return s
	}
	switch c.Name {
	case "sgd":
		if !(c.Momentum >= 0 && c.Momentum < 1) {
			return nil, bad("momentum", c.Momentum)
		}
		return &sgd[T]{lr: T(c.LR), mu: T(c.Momentum), wd: T(c.WeightDecay), v: state()}, nil
	case "adam":
		b1, b2, eps := c.Beta1, c.Beta2, c.Eps
		if b1 == 0 {
			b1 = 0.9
		}
		if b2 == 0 {
			b2 = 0.999
		}
		if eps == 0 {
			eps = 1e-8
		}
		if !(b1 > 0 && b1 < 1) {
			return nil, bad("beta1", b1)
		}
		if !(b2 > 0 && b2 < 1) {
			return nil, bad("beta2", b2)
		}
		if !(eps > 0) || math.IsInf(eps, 0) {
			return nil, bad("eps", eps)
		}
		return &adam[T]{lr: c.LR, b1: b1, b2: b2, eps: T(eps), wd: T(c.WeightDecay), p1: 1, p2: 1, m: state(), v: state()}, nil
	}
	return nil, fmt.Errorf("unknown optimizer %q (want sgd or adam)", c.Name)
}

// sgd is stochastic gradient descent with momentum, as PyTorch defines it:
//
//	g = g + wd*w;  v = mu*v + g;  w = w - lr*v
type sgd[T Float] struct {
	lr, mu, wd T
	v          [][]T
}

func (o *sgd[T]) step(ps []param[T]) {
	for k, p := range ps {
		v := o.v[k][:len(p.w)]
		g := p.g[:len(p.w)]
		for i, w := range p.w {
			gi := g[i] + T(o.wd*w)
			v[i] = T(o.mu*v[i]) + gi
			p.w[i] = w - T(o.lr*v[i])
		}
	}
}

// adam is Adam (Kingma and Ba) with bias correction and L2 weight decay
// added to the gradient, as PyTorch's Adam:
//
//	g = g + wd*w
//	m = b1*m + (1-b1)*g;      v = b2*v + (1-b2)*g²
//	w = w - lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
//
// b1^t and b2^t are running products in float64, never a pow call.
type adam[T Float] struct {
	lr, b1, b2 float64
	eps, wd    T
	p1, p2     float64
	m, v       [][]T
}

func (o *adam[T]) step(ps []param[T]) {
	// Rounded on their own, so 1 - p below is never fused (DESIGN rule 2).
	o.p1 = float64(o.p1 * o.b1)
	o.p2 = float64(o.p2 * o.b2)
	b1, b2 := T(o.b1), T(o.b2)
	c1, c2 := 1-b1, 1-b2
	bc1, bc2 := T(1-o.p1), T(1-o.p2)
	lr := T(o.lr)
	for k, p := range ps {
		m, v := o.m[k][:len(p.w)], o.v[k][:len(p.w)]
		g := p.g[:len(p.w)]
		for i, w := range p.w {
			gi := g[i] + T(o.wd*w)
			m[i] = T(b1*m[i]) + T(c1*gi)
			v[i] = T(b2*v[i]) + T(c2*T(gi*gi))
			den := T(math.Sqrt(float64(v[i]/bc2))) + o.eps
			p.w[i] = w - T(lr*(m[i]/bc1))/den
		}
	}
}
