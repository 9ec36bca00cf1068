package report

import (
	"errors"
	"fmt"
	"math"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/mathx"
)

// LogLossEps is the clipping bound of LogLoss, scikit-learn's historical
// default for log_loss (eps=1e-15 in float64).
const LogLossEps = 1e-15

// ErrEmpty is returned by the metric functions for zero rows or runs.
var ErrEmpty = errors.New("no rows")

// ConfusionMatrix returns the classes-by-classes matrix whose entry
// [t][p] counts the rows of true class t predicted as class p. It returns
// an error if truth and pred differ in length or hold a class outside
// [0, classes); the error names the first bad row.
func ConfusionMatrix(classes int, truth, pred []int) ([][]int, error) {
	if classes < 1 {
		return nil, fmt.Errorf("confusion matrix: %d classes, want at least 1", classes)
	}
	if len(truth) != len(pred) {
		return nil, fmt.Errorf("confusion matrix: %d true labels but %d predictions", len(truth), len(pred))
	}
	m := make([][]int, classes)
	for i := range m {
		m[i] = make([]int, classes)
	}
	for i, t := range truth {
		p := pred[i]
		if t < 0 || t >= classes || p < 0 || p >= classes {
			return nil, fmt.Errorf("confusion matrix: row %d: true class %d, predicted %d, want both in [0, %d)", i, t, p, classes)
		}
		m[t][p]++
	}
	return m, nil
}

// Accuracy returns the fraction of rows on the diagonal of the confusion
// matrix c, trace(c) / sum(c), or ErrEmpty when c counts no rows.
func Accuracy(c [][]int) (float64, error) {
	var right, all int
	for i, row := range c {
		for j, n := range row {
			all += n
			if i == j {
				right += n
			}
		}
	}
	if all == 0 {
		return 0, fmt.Errorf("accuracy: %w", ErrEmpty)
	}
	return float64(right) / float64(all), nil
}

// LogLoss returns the mean cross-entropy of the class probabilities p
// against the true classes, as scikit-learn's log_loss with eps=1e-15:
//
//	q_i  = min(max(p[i, truth_i], eps), 1 - eps)   (float64)
//	loss = -(1/n) sum_i log(q_i)
//
// p is (rows, classes), row-major; rows are used as given (not
// renormalised), so they should be softmax outputs. The sum runs in row
// order and log is mathx.Log, so the result is the same on every machine.
// It returns an error on a length mismatch, a class out of range, zero
// rows, or a NaN probability.
func LogLoss[T nn.Float](p []T, truth []int, classes int) (float64, error) {
	if classes < 1 {
		return 0, fmt.Errorf("log loss: %d classes, want at least 1", classes)
	}
	if len(truth) == 0 {
		return 0, fmt.Errorf("log loss: %w", ErrEmpty)
	}
	if len(p) != len(truth)*classes {
		return 0, fmt.Errorf("log loss: %d probabilities for %d rows of %d classes", len(p), len(truth), classes)
	}
	var sum float64
	for i, t := range truth {
		if t < 0 || t >= classes {
			return 0, fmt.Errorf("log loss: row %d: class %d, want [0, %d)", i, t, classes)
		}
		q := float64(p[i*classes+t])
		if math.IsNaN(q) {
			return 0, fmt.Errorf("log loss: row %d: probability is NaN", i)
		}
		q = min(max(q, LogLossEps), 1-LogLossEps)
		sum -= mathx.Log(q)
	}
	return sum / float64(len(truth)), nil
}

// Scores holds the confusion matrix (Confusion[true][predicted]) of one
// partition, each class's precision, recall and F1, and their macro F1.
// A class that is never predicted has precision 0, a class with no rows
// recall 0, and F1 is 0 when there is no true positive: scikit-learn's
// zero_division=0. A class with no rows that is never predicted either is
// Absent: it keeps its row (all zeros) but takes no part in the macro F1.
type Scores struct {
	Confusion [][]int      `json:"confusion"`
	PerClass  []ClassScore `json:"per_class"`
	MacroF1   Float        `json:"macro_f1"`
}

// ClassScore is one class's row of Scores. Support is the number of rows
// whose true class it is. Absent is true when the class has no rows and
// no predictions (a held-out fold without it, say): its scores are 0 and
// the macro F1 leaves it out. JSON holds the key only when it is true.
type ClassScore struct {
	Class     string `json:"class"`
	Support   int    `json:"support"`
	Precision Float  `json:"precision"`
	Recall    Float  `json:"recall"`
	F1        Float  `json:"f1"`
	Absent    bool   `json:"absent,omitempty"`
}

// Score returns the Scores of the predictions pred against truth, both
// class indices into classes:
//
//	precision_c = tp / (tp + fp)
//	recall_c    = tp / (tp + fn)
//	F1_c        = 2 tp / (2 tp + fp + fn)     (= 2 P R / (P + R), from counts
//	                                           as scikit-learn computes it)
//	macro F1    = (1/|L|) sum_{c in L} F1_c
//
// where L is the classes that have rows or predictions (every class but
// the Absent ones): scikit-learn's f1_score(average="macro") without
// labels=, which averages over the labels present in y_true or y_pred.
// A class that has rows but is never predicted, or is predicted but has
// no rows, is in L with F1 0. With no rows at all L is empty and the
// macro F1 is 0. It returns an error as ConfusionMatrix does.
func Score(classes []string, truth, pred []int) (Scores, error) {
	c, err := ConfusionMatrix(len(classes), truth, pred)
	if err != nil {
		return Scores{}, err
	}
	return ScoreConfusion(classes, c)
}

// ScoreConfusion returns the Scores of the confusion matrix c, as Score
// does; c must be len(classes) square with no negative count.
func ScoreConfusion(classes []string, c [][]int) (Scores, error) {
	k := len(classes)
	if k < 1 || len(c) != k {
		return Scores{}, fmt.Errorf("score: confusion matrix has %d rows for %d classes", len(c), k)
	}
	for i, row := range c {
		if len(row) != k {
			return Scores{}, fmt.Errorf("score: confusion matrix row %d has %d columns, want %d", i, len(row), k)
		}
		for j, n := range row {
			if n < 0 {
				return Scores{}, fmt.Errorf("score: confusion matrix [%d][%d] is %d", i, j, n)
			}
		}
	}
	s := Scores{Confusion: make([][]int, k), PerClass: make([]ClassScore, k)}
	var sumF1 float64
	present := 0
	for i := range k {
		s.Confusion[i] = append([]int(nil), c[i]...)
		tp := c[i][i]
		var support, predicted int
		for j := range k {
			support += c[i][j]
			predicted += c[j][i]
		}
		cs := ClassScore{Class: classes[i], Support: support}
		if predicted > 0 {
			cs.Precision = Float(float64(tp) / float64(predicted))
		}
		if support > 0 {
			cs.Recall = Float(float64(tp) / float64(support))
		}
		if tp > 0 {
			cs.F1 = Float(float64(2*tp) / float64(support+predicted))
		}
		if support == 0 && predicted == 0 {
			cs.Absent = true
		} else {
			sumF1 += float64(cs.F1)
			present++
		}
		s.PerClass[i] = cs
	}
	if present > 0 {
		s.MacroF1 = Float(sumF1 / float64(present))
	}
	return s, nil
}

// Accuracy returns the accuracy of the confusion matrix, or 0 when it
// counts no rows.
func (s Scores) Accuracy() float64 {
	a, _ := Accuracy(s.Confusion)
	return a
}

// Spread is the mean and the sample standard deviation of N values, one
// per fold or seed:
//
//	mean = (1/N) sum_i x_i
//	std  = sqrt( sum_i (x_i - mean)^2 / (N - 1) )   (numpy's ddof=1)
//
// The sample (not population) deviation is the usual one for a handful of
// folds or seeds; with N = 1 it is undefined and Std is 0.
type Spread struct {
	Mean Float `json:"mean"`
	Std  Float `json:"std"`
	N    int   `json:"n"`
}

// MeanStd returns the Spread of xs, summed left to right (each square
// rounded on its own, so no fused multiply-add). When every value is the
// same (several seeds with the same test accuracy), Mean is that value and
// Std exactly 0, where the rounded sum would leave a residue such as 1e-16.
// It returns ErrEmpty for no values and an error for a NaN or infinite one.
func MeanStd(xs []float64) (Spread, error) {
	if len(xs) == 0 {
		return Spread{}, fmt.Errorf("mean and std: %w", ErrEmpty)
	}
	var sum float64
	same := true
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Spread{}, fmt.Errorf("mean and std: value %d is %v", i, x)
		}
		sum += x
		same = same && x == xs[0]
	}
	if same {
		return Spread{Mean: Float(xs[0]), N: len(xs)}, nil
	}
	n := float64(len(xs))
	mean := sum / n
	s := Spread{Mean: Float(mean), N: len(xs)}
	if len(xs) > 1 {
		var ss float64
		for _, x := range xs {
			d := x - mean
			ss += float64(d * d)
		}
		s.Std = Float(math.Sqrt(ss / (n - 1)))
	}
	return s, nil
}
