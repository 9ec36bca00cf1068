package report

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handTol is the tolerance against values worked out by hand to 6 digits.
const handTol = 5e-7

// The hand-computed case, 20 rows of 3 classes a, b, c:
//
//	true\pred   a  b  c   support
//	a           5  1  0      6
//	b           1  2  1      4
//	c           0  2  8     10
//	predicted   6  5  9     20
//
//	class  tp  precision     recall        F1 = 2tp/(support+predicted)
//	a       5  5/6 = .833333 5/6 = .833333 10/12 = .833333
//	b       2  2/5 = .4      2/4 = .5       4/9  = .444444
//	c       8  8/9 = .888889 8/10 = .8     16/19 = .842105
//
//	accuracy = (5+2+8)/20 = .75
//	macro F1 = (.833333 + .444444 + .842105)/3 = .706628
func handCase() (classes []string, truth, pred []int) {
	classes = []string{"a", "b", "c"}
	add := func(t, p, n int) {
		for range n {
			truth = append(truth, t)
			pred = append(pred, p)
		}
	}
	// Interleave the cells so nothing depends on row order.
	add(2, 2, 4)
	add(0, 0, 5)
	add(1, 0, 1)
	add(2, 1, 2)
	add(0, 1, 1)
	add(1, 1, 2)
	add(1, 2, 1)
	add(2, 2, 4)
	return
}

func TestScoreHandComputed(t *testing.T) {
	classes, truth, pred := handCase()
	s, err := Score(classes, truth, pred)
	require.NoError(t, err)
	assert.Equal(t, [][]int{{5, 1, 0}, {1, 2, 1}, {0, 2, 8}}, s.Confusion)
	want := []struct {
		class                 string
		support               int
		precision, recall, f1 float64
		hp, hr, hf            float64 // by hand, 6 digits
	}{
		{"a", 6, 5.0 / 6, 5.0 / 6, 10.0 / 12, .833333, .833333, .833333},
		{"b", 4, 2.0 / 5, 2.0 / 4, 4.0 / 9, .4, .5, .444444},
		{"c", 10, 8.0 / 9, 8.0 / 10, 16.0 / 19, .888889, .8, .842105},
	}
	require.Len(t, s.PerClass, len(want))
	for i, w := range want {
		t.Run(w.class, func(t *testing.T) {
			got := s.PerClass[i]
			assert.Equal(t, w.class, got.Class)
			assert.Equal(t, w.support, got.Support)
			// Exact bits: each is one division of two counts.
			assert.Equal(t, math.Float64bits(w.precision), math.Float64bits(float64(got.Precision)))
			assert.Equal(t, math.Float64bits(w.recall), math.Float64bits(float64(got.Recall)))
			assert.Equal(t, math.Float64bits(w.f1), math.Float64bits(float64(got.F1)))
			assert.InDelta(t, w.hp, float64(got.Precision), handTol)
			assert.InDelta(t, w.hr, float64(got.Recall), handTol)
			assert.InDelta(t, w.hf, float64(got.F1), handTol)
		})
	}
	macro := (10.0/12 + 4.0/9 + 16.0/19) / 3
	assert.Equal(t, math.Float64bits(macro), math.Float64bits(float64(s.MacroF1)))
	assert.InDelta(t, .706628, float64(s.MacroF1), handTol)
	assert.Equal(t, 0.75, s.Accuracy())
}

// TestScoreZeroDivision: class b is never predicted (precision 0) and
// class c has no rows (recall 0); both have F1 0, scikit-learn's
// zero_division=0.
//
//	true\pred  a  b  c
//	a          2  0  1
//	b          1  0  0
//	c          0  0  0
func TestScoreZeroDivision(t *testing.T) {
	s, err := Score([]string{"a", "b", "c"}, []int{0, 0, 0, 1}, []int{0, 0, 2, 0})
	require.NoError(t, err)
	assert.Equal(t, [][]int{{2, 0, 1}, {1, 0, 0}, {0, 0, 0}}, s.Confusion)
	tests := []struct {
		name string
		got  ClassScore
		want ClassScore
	}{
		{"a", s.PerClass[0], ClassScore{Class: "a", Support: 3, Precision: Float(2.0 / 3), Recall: Float(2.0 / 3), F1: Float(4.0 / 6)}},
		{"b never predicted", s.PerClass[1], ClassScore{Class: "b", Support: 1}},
		{"c no rows", s.PerClass[2], ClassScore{Class: "c", Support: 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
	assert.Equal(t, Float(4.0/6/3), s.MacroF1)
	assert.Equal(t, 0.5, s.Accuracy())
}

// TestScoreMacroF1AbsentClass: a class with no rows and no predictions
// (a held-out fold without it) is left out of the macro F1, as
// scikit-learn's f1_score(average="macro") leaves out labels in neither
// y_true nor y_pred; it keeps its row, marked Absent.
//
//	perfect, class c absent:
//	true\pred  a  b  c
//	a          2  0  0
//	b          0  2  0
//	c          0  0  0      F1 a = b = 1; macro F1 = (1 + 1)/2 = 1 (not 2/3)
//
//	four classes, d absent:
//	true\pred  a  b  c  d   support  predicted  F1 = 2tp/(support+predicted)
//	a          1  1  0  0      2        1        2/3
//	b          0  1  0  0      1        2        2/3
//	c          0  0  1  0      1        1        1
//	d          0  0  0  0      0        0        absent
//	macro F1 = (2/3 + 2/3 + 1)/3 = 7/9 = .777778
//	(sklearn: f1_score([0,0,1,2], [0,1,1,2], average="macro") = 0.7777...)
func TestScoreMacroF1AbsentClass(t *testing.T) {
	tests := []struct {
		name        string
		classes     []string
		truth, pred []int
		f1          []float64 // of the classes in the average, in class order
		hand        float64   // the macro F1 by hand, 6 digits
		absent      []bool
	}{
		{"perfect, one class absent", []string{"a", "b", "c"}, []int{0, 0, 1, 1}, []int{0, 0, 1, 1},
			[]float64{1, 1}, 1, []bool{false, false, true}},
		{"four classes, one absent", []string{"a", "b", "c", "d"}, []int{0, 0, 1, 2}, []int{0, 1, 1, 2},
			[]float64{2.0 / 3, 2.0 / 3, 1}, .777778, []bool{false, false, false, true}},
		{"predicted but no rows is not absent", []string{"a", "b", "c"}, []int{0, 0, 1, 1}, []int{0, 0, 1, 2},
			[]float64{1, 2.0 / 3, 0}, .555556, []bool{false, false, false}},
		{"no class absent", []string{"a", "b"}, []int{0, 1}, []int{0, 0}, []float64{2.0 / 3, 0}, .333333, []bool{false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Score(tc.classes, tc.truth, tc.pred)
			require.NoError(t, err)
			// The exact bits: the F1s summed left to right, then divided.
			var sum float64
			for _, f := range tc.f1 {
				sum += f
			}
			assert.Equal(t, math.Float64bits(sum/float64(len(tc.f1))), math.Float64bits(float64(s.MacroF1)))
			assert.InDelta(t, tc.hand, float64(s.MacroF1), handTol)
			require.Len(t, s.PerClass, len(tc.absent))
			for i, c := range s.PerClass {
				assert.Equal(t, tc.absent[i], c.Absent, "class %s", c.Class)
				if c.Absent {
					assert.Equal(t, ClassScore{Class: c.Class, Absent: true}, c)
				}
			}
		})
	}
	t.Run("no rows", func(t *testing.T) {
		s, err := ScoreConfusion([]string{"a", "b"}, [][]int{{0, 0}, {0, 0}})
		require.NoError(t, err)
		assert.Equal(t, Float(0), s.MacroF1)
		assert.True(t, s.PerClass[0].Absent && s.PerClass[1].Absent)
	})
}

func TestScoreErrors(t *testing.T) {
	tests := []struct {
		name        string
		classes     []string
		truth, pred []int
		want        string
	}{
		{"length", []string{"a", "b"}, []int{0, 1}, []int{0}, "2 true labels but 1 predictions"},
		{"true class", []string{"a", "b"}, []int{0, 2}, []int{0, 1}, "row 1: true class 2"},
		{"negative prediction", []string{"a", "b"}, []int{0, 1}, []int{-1, 1}, "row 0: true class 0, predicted -1"},
		{"no classes", nil, nil, nil, "0 classes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Score(tc.classes, tc.truth, tc.pred)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAccuracyEmpty(t *testing.T) {
	_, err := Accuracy([][]int{{0, 0}, {0, 0}})
	assert.True(t, errors.Is(err, ErrEmpty))
}

// TestLogLoss checks against values from scikit-learn's log_loss (eps=1e-15):
//
//	log_loss([0, 1, 0], [[.7,.2,.1], [.1,.8,.1], [.2,.2,.6]])
//	  = -(ln .7 + ln .8 + ln .2)/3 = (.356675 + .223144 + 1.609438)/3 = .729752
func TestLogLoss(t *testing.T) {
	tests := []struct {
		name  string
		p     []float64
		truth []int
		want  float64
		tol   float64
	}{
		{"hand", []float64{.7, .2, .1, .1, .8, .1, .2, .2, .6}, []int{0, 1, 0}, .729752, handTol},
		{"zero clipped to eps", []float64{0, 1}, []int{0}, 34.538776394910684, 1e-13},
		// 1-1e-15 rounds to 1 - 9.992007221626409e-16 in float64.
		{"one clipped to 1-eps", []float64{1, 0}, []int{0}, 9.992007221626415e-16, 1e-30},
		{"uniform", []float64{.5, .5, .5, .5}, []int{0, 1}, math.Ln2, 1e-16},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LogLoss(tc.p, tc.truth, len(tc.p)/len(tc.truth))
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, tc.tol)
		})
	}
	t.Run("float32", func(t *testing.T) {
		got, err := LogLoss([]float32{0.25, 0.75}, []int{1}, 2)
		require.NoError(t, err)
		assert.InDelta(t, 0.2876820724517809, got, 1e-15)
	})
}

func TestLogLossErrors(t *testing.T) {
	tests := []struct {
		name    string
		p       []float64
		truth   []int
		classes int
		want    string
	}{
		{"empty", nil, nil, 2, "no rows"},
		{"length", []float64{.5, .5, 1}, []int{0}, 2, "3 probabilities for 1 rows of 2 classes"},
		{"class", []float64{.5, .5}, []int{2}, 2, "row 0: class 2"},
		{"nan", []float64{math.NaN(), .5}, []int{0}, 2, "row 0: probability is NaN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LogLoss(tc.p, tc.truth, tc.classes)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestMeanStd: sample (ddof=1) standard deviation, as numpy.std(x, ddof=1).
func TestMeanStd(t *testing.T) {
	tests := []struct {
		name      string
		xs        []float64
		mean, std float64
	}{
		// mean 5, squares sum to 32: population std 2, sample sqrt(32/7).
		{"textbook", []float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, math.Sqrt(32.0 / 7)},
		{"single run", []float64{0.9}, 0.9, 0},
		{"identical", []float64{0.25, 0.25, 0.25}, 0.25, 0},
		// 29 of 30 test rows right for every seed: summing ten of them
		// gives a mean of 0.9666666666666666 and a std of 1.17e-16.
		{"identical, inexact", slices.Repeat([]float64{29.0 / 30}, 10), 29.0 / 30, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := MeanStd(tc.xs)
			require.NoError(t, err)
			assert.Equal(t, Spread{Mean: Float(tc.mean), Std: Float(tc.std), N: len(tc.xs)}, s)
		})
	}
	t.Run("folds", func(t *testing.T) {
		s, err := MeanStd([]float64{0.9, 1, 0.95})
		require.NoError(t, err)
		assert.InDelta(t, 0.95, float64(s.Mean), 1e-15)
		assert.InDelta(t, 0.05, float64(s.Std), 1e-15)
	})
	_, err := MeanStd(nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = MeanStd([]float64{1, math.Inf(1)})
	assert.ErrorContains(t, err, "value 1 is +Inf")
}
