package nn

import (
	"errors"
	"fmt"
	"math"
)

// ErrNonFinite is wrapped by errors about a NaN or infinite input value.
var ErrNonFinite = errors.New("value is not finite")

// Normalizer holds per-feature z-score statistics.
type Normalizer[T Float] struct {
	Mean []T
	Std  []T
}

// FitNormalizer returns the mean and population standard deviation of each
// column of x, computed in float64 and rounded once to T. x is (rows, cols).
//
//	mean[j] = (sum_i x[i][j]) / rows
//	std[j]  = sqrt((sum_i (x[i][j] - mean[j])²) / rows)
//
// A constant column gets mean equal to its value and std 1, as
// scikit-learn's StandardScaler does, so it maps to 0. It returns an error
// wrapping ErrNonFinite naming the row and column of a NaN or infinity, and
// an error if there are no rows or no columns.
func FitNormalizer[T Float](x []T, rows, cols int) (*Normalizer[T], error) {
	if rows < 1 || cols < 1 || len(x) != rows*cols {
		return nil, fmt.Errorf("%w: cannot fit a normaliser on %d rows of %d columns from %d values", ErrShape, rows, cols, len(x))
	}
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("row %d, column %d: %w: %v", i/cols, i%cols, ErrNonFinite, f)
		}
	}
	n := &Normalizer[T]{Mean: make([]T, cols), Std: make([]T, cols)}
	for j := 0; j < cols; j++ {
		first, constant := x[j], true
		var sum float64
		for i := 0; i < rows; i++ {
			v := x[i*cols+j]
			constant = constant && v == first
			sum += float64(v)
		}
		if constant {
			n.Mean[j], n.Std[j] = first, 1
			continue
		}
		mean := sum / float64(rows)
		var ss float64
		for i := 0; i < rows; i++ {
			d := float64(x[i*cols+j]) - mean
			ss += float64(d * d)
		}
		std := T(math.Sqrt(ss / float64(rows)))
		if std == 0 || math.IsInf(float64(std), 0) {
			return nil, fmt.Errorf("column %d: standard deviation %v is not representable", j, math.Sqrt(ss/float64(rows)))
		}
		n.Mean[j], n.Std[j] = T(mean), std
	}
	return n, nil
}

// Width returns the number of features the normaliser expects.
func (n *Normalizer[T]) Width() int { return len(n.Mean) }

// Transform sets dst to the normalised rows of x: z = (x - mean) / std,
// computed in T. x and dst hold whole rows of Width values; dst may alias x.
// It returns an error wrapping ErrShape otherwise.
func (n *Normalizer[T]) Transform(dst, x []T) error {
	w := len(n.Mean)
	if w == 0 || len(n.Std) != w || len(x)%w != 0 || len(dst) != len(x) {
		return fmt.Errorf("%w: normalising %d values into %d with %d features", ErrShape, len(x), len(dst), w)
	}
	for r := 0; r < len(x); r += w {
		n.transformRow(dst[r:r+w], x[r:r+w])
	}
	return nil
}

func (n *Normalizer[T]) transformRow(dst, x []T) {
	mean, std := n.Mean[:len(x)], n.Std[:len(x)]
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = (v - mean[i]) / std[i]
	}
}
