package nn

import (
	"fmt"
	"math"
)

// GradCheckFloor is the magnitude below which GradCheck judges a gradient
// entry by its absolute error: the relative error of entry i is
//
//	|analytic - numeric| / max(|analytic|, |numeric|, GradCheckFloor)
//
// Central differences in float64 carry round-off of about 1e-10 (the loss's
// ulp over 2*eps), which would swamp the relative error of a gradient that
// is itself near zero. torch.autograd.gradcheck makes the same compromise
// with its atol and rtol.
const GradCheckFloor = 1e-3

// GradCheckRow is the worst disagreement between the analytic gradient and
// central differences over one tensor.
type GradCheckRow struct {
	Name      string  // e.g. "layer 0 linear 4x32 weight" or "loss logits"
	Size      int     // number of entries checked
	MaxAbsErr float64 // max |analytic - numeric|
	MaxRelErr float64 // max relative error, see GradCheckFloor
	Analytic  float64 // the analytic value at the worst relative error
	Numeric   float64 // the numeric value at the worst relative error
}

// GradCheck compares the analytic gradient of the mean softmax
// cross-entropy of s on (x, y) with float64 central differences
//
//	numeric = (L(w + eps) - L(w - eps)) / (2 eps)
//
// for every weight and bias of every Linear layer (so through every
// activation between them) and for the logits themselves (the fused loss).
// s must end in a Softmax; it is restored exactly after each perturbation.
// x is (rows, in).
func GradCheck(s *Sequential[float64], x []float64, y []int, eps float64) ([]GradCheckRow, error) {
	if !(eps > 0) {
		return nil, fmt.Errorf("gradient check step %v must be positive", eps)
	}
	t, err := NewTrainer(s, OptimizerConfig{Name: "sgd", LR: 1}, max(len(y), 1))
	if err != nil {
		return nil, err
	}
	if err := t.check(x, y); err != nil {
		return nil, err
	}
	rows := float64(len(y))
	t.lossAndGrad(x, y)
	loss := func() float64 {
		sum, _ := t.forward(x, y, nil)
		return sum / rows
	}
	var out []GradCheckRow
	p := 0
	for i, l := range t.layers {
		lin, ok := l.(*Linear[float64])
		if !ok {
			continue
		}
		for k, name := range []string{"weight", "bias"} {
			pr := t.params[p+k]
			row := GradCheckRow{Name: fmt.Sprintf("layer %d linear %dx%d %s", i, lin.In, lin.Out, name), Size: len(pr.w)}
			for j, w0 := range pr.w {
				pr.w[j] = w0 + eps
				up := loss()
				pr.w[j] = w0 - eps
				down := loss()
				pr.w[j] = w0
				row.add(pr.g[j], (up-down)/(2*eps))
			}
			out = append(out, row)
		}
		p += 2
	}

	// The fused loss on its own: perturb the logits of the forward pass.
	n := len(t.layers)
	k := t.classes()
	logits := append([]float64(nil), t.acts[n][:len(y)*k]...)
	grad := make([]float64, len(logits))
	if _, err := SoftmaxCrossEntropy(grad, logits, y, k); err != nil {
		return nil, err
	}
	row := GradCheckRow{Name: "loss logits", Size: len(logits)}
	scratch := make([]float64, len(logits))
	for j, z0 := range logits {
		logits[j] = z0 + eps
		up, _ := SoftmaxCrossEntropy(scratch, logits, y, k)
		logits[j] = z0 - eps
		down, _ := SoftmaxCrossEntropy(scratch, logits, y, k)
		logits[j] = z0
		row.add(grad[j], (up-down)/(2*eps))
	}
	return append(out, row), nil
}

func (r *GradCheckRow) add(analytic, numeric float64) {
	abs := math.Abs(analytic - numeric)
	rel := abs / max(math.Abs(analytic), math.Abs(numeric), GradCheckFloor)
	r.MaxAbsErr = max(r.MaxAbsErr, abs)
	if rel > r.MaxRelErr || (r.MaxRelErr == 0 && r.Analytic == 0 && r.Numeric == 0) {
		r.MaxRelErr, r.Analytic, r.Numeric = rel, analytic, numeric
	}
}
