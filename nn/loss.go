package nn

import "fmt"

// SoftmaxCrossEntropy returns the mean cross-entropy of softmax(logits)
// against labels and, in the same pass, sets grad to its gradient with
// respect to the logits. logits and grad are (batch, classes); grad may alias
// logits. It returns an error wrapping ErrShape if the sizes disagree and an
// error naming the row of a label outside [0, classes).
//
//	p    = softmax(z)                     (max subtracted first)
//	loss = (1/batch) sum_r -log p[r][t_r]
//	grad = (p - onehot(t)) / batch
//
// The division is computed as a product with T(1/batch), which can differ
// from a true division in the last bit when batch is not a power of two;
// it is the same product on every machine.
func SoftmaxCrossEntropy[T Float](grad, logits []T, labels []int, classes int) (float64, error) {
	batch := len(labels)
	if classes < 1 || batch < 1 || len(logits) != batch*classes || len(grad) != len(logits) {
		return 0, fmt.Errorf("%w: %d logits and %d gradients for %d labels of %d classes", ErrShape, len(logits), len(grad), batch, classes)
	}
	if err := checkLabels(labels, classes); err != nil {
		return 0, err
	}
	sum, _ := softmaxCE(grad, logits, labels, batch, classes)
	return sum / float64(batch), nil
}

func checkLabels(labels []int, classes int) error {
	for r, t := range labels {
		if t < 0 || t >= classes {
			return fmt.Errorf("row %d: label %d outside [0, %d)", r, t, classes)
		}
	}
	return nil
}

// softmaxCE returns the summed (not averaged) cross-entropy of a batch and
// the number of rows whose largest logit is the label's; if grad is not nil
// it also sets grad = (p - onehot)/batch. grad may alias logits.
func softmaxCE[T Float](grad, logits []T, labels []int, batch, classes int) (sum float64, correct int) {
	inv := 1 / T(batch)
	for r := 0; r < batch; r++ {
		z := logits[r*classes : (r+1)*classes]
		t := labels[r]
		best := argmax(z)
		if best == t {
			correct++
		}
		mx, zt := z[best], z[t]
		var s T
		if grad == nil {
			for _, v := range z {
				s += exp(v - mx)
			}
		} else {
			// Keep each exp in grad (which may alias z: every z[j] is read
			// before grad[j] is written), so it is computed once.
			g := grad[r*classes : (r+1)*classes]
			for j, v := range z {
				e := exp(v - mx)
				g[j] = e
				s += e
			}
			for j, e := range g {
				p := e / s
				if j == t {
					p--
				}
				g[j] = p * inv
			}
		}
		// -log p_t = -(z_t - max - log s)
		sum += float64(log(s) - (zt - mx))
	}
	return sum, correct
}
