package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/nn"
)

// ErrNotFinite is returned when a NaN or infinite value would be written to
// JSON, which cannot hold it.
var ErrNotFinite = errors.New("value is not finite")

// Float is a float64 that JSON holds as the shortest decimal that parses
// back to the same bits, strconv.FormatFloat(x, 'g', -1, 64): 0.95,
// 0.9666666666666667, 1e-05, 1.5e+21. (encoding/json would write the same
// digits but switch to exponent form only below 1e-6 or from 1e21 on; the
// 'g' form is the project's one float format, DESIGN.md rule 4.)
type Float float64

// String returns the shortest round-trip text of x.
func (x Float) String() string { return strconv.FormatFloat(float64(x), 'g', -1, 64) }

// MarshalJSON returns x as a JSON number, or an error wrapping
// ErrNotFinite for NaN and infinities.
func (x Float) MarshalJSON() ([]byte, error) {
	v := float64(x)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("%w: %v", ErrNotFinite, v)
	}
	return []byte(x.String()), nil
}

// UnmarshalJSON parses a JSON number.
func (x *Float) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("number %s: %w", b, err)
	}
	*x = Float(v)
	return nil
}

// Metrics is reports/NAME/metrics.json. Its keys are those the evaluate
// stage already writes (artifact.Metrics), plus model_bytes and, for
// experiments with folds or several seeds, repeats. Struct fields keep
// their order, so the bytes depend only on the values.
type Metrics struct {
	Experiment string   `json:"experiment"`
	Dataset    string   `json:"dataset"`     // the raw file's base name
	SHA256     string   `json:"data_sha256"` // of the raw file
	Classes    []string `json:"classes"`
	Parameters int      `json:"parameters"`
	ModelBytes int      `json:"model_bytes"` // size of the FINF file
	Epochs     int      `json:"epochs"`

	Rows     PartitionCounts `json:"rows"`
	Accuracy Partitions      `json:"accuracy"`
	LogLoss  Partitions      `json:"log_loss"` // LogLoss of each partition
	// Test is the per-class result on the test rows, the headline.
	Test Scores `json:"test"`
	// Repeats is the spread across folds or seeds; nil for a single run.
	Repeats *Repeats `json:"repeats,omitempty"`
}

// Partitions holds one value per partition and for all rows together.
type Partitions struct {
	Train      Float `json:"train"`
	Validation Float `json:"validation"`
	Test       Float `json:"test"`
	All        Float `json:"all"`
}

// PartitionCounts holds a row count per partition.
type PartitionCounts struct {
	Train      int `json:"train"`
	Validation int `json:"validation"`
	Test       int `json:"test"`
	All        int `json:"all"`
}

// Result is a network's result on one set of rows: see Evaluate.
type Result struct {
	Rows     int
	Accuracy float64
	LogLoss  float64
	Scores   Scores
}

// Measure runs the classifier model on the rows x, (len(truth),
// model.InWidth()) row-major and already normalised, and returns the Result
// of its probabilities against truth, as Evaluate does.
func Measure(model *nn.Sequential[float32], classes []string, x []float32, truth []int) (Result, error) {
	t, err := nn.FromData(x, len(truth), model.InWidth())
	if err != nil {
		return Result{}, fmt.Errorf("measure: %w", err)
	}
	p, err := model.Forward(t)
	if err != nil {
		return Result{}, fmt.Errorf("measure: %w", err)
	}
	return Evaluate(classes, p.Data, truth)
}

// Evaluate returns the Result of the class probabilities prob, which is
// (rows, len(classes)) row-major (softmax outputs, as Sequential.Forward
// returns them), against the true classes truth. The predicted class of a
// row is its most probable, the first on a tie (as nn.Argmax). It returns
// an error for no rows, mismatched lengths, a class out of range or a
// probability that is NaN or infinite.
func Evaluate[T nn.Float](classes []string, prob []T, truth []int) (Result, error) {
	k := len(classes)
	if k < 1 {
		return Result{}, errors.New("evaluate: no classes")
	}
	if len(truth) == 0 {
		return Result{}, fmt.Errorf("evaluate: %w", ErrEmpty)
	}
	if len(prob) != len(truth)*k {
		return Result{}, fmt.Errorf("evaluate: %d probabilities for %d rows of %d classes", len(prob), len(truth), k)
	}
	pred := make([]int, len(truth))
	for i := range truth {
		row := prob[i*k : (i+1)*k]
		best := 0
		for j, v := range row {
			f := float64(v)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return Result{}, fmt.Errorf("evaluate: row %d class %d: probability is %v", i, j, f)
			}
			if v > row[best] {
				best = j
			}
		}
		pred[i] = best
	}
	s, err := Score(classes, truth, pred)
	if err != nil {
		return Result{}, err
	}
	loss, err := LogLoss(prob, truth, k)
	if err != nil {
		return Result{}, err
	}
	return Result{Rows: len(truth), Accuracy: s.Accuracy(), LogLoss: loss, Scores: s}, nil
}

// SetResults fills m.Rows, m.Accuracy, m.LogLoss and m.Test from the
// results on each partition and on all rows together.
func (m *Metrics) SetResults(train, validation, test, all Result) {
	m.Rows = PartitionCounts{Train: train.Rows, Validation: validation.Rows, Test: test.Rows, All: all.Rows}
	m.Accuracy = Partitions{Train: Float(train.Accuracy), Validation: Float(validation.Accuracy),
		Test: Float(test.Accuracy), All: Float(all.Accuracy)}
	m.LogLoss = Partitions{Train: Float(train.LogLoss), Validation: Float(validation.LogLoss),
		Test: Float(test.LogLoss), All: Float(all.LogLoss)}
	m.Test = test.Scores
}

// Repeats summarises an experiment run on several folds or seeds: the
// test (or held-out fold) result of each run and the Spread of each
// metric across runs.
type Repeats struct {
	Over     string `json:"over"` // "folds" or "seeds"
	Runs     []Run  `json:"runs"`
	Accuracy Spread `json:"accuracy"`
	LogLoss  Spread `json:"log_loss"`
	MacroF1  Spread `json:"macro_f1"`
}

// Run is one fold's or seed's held-out result.
type Run struct {
	Name     string `json:"name"` // e.g. "fold 1" or "seed 3"
	Accuracy Float  `json:"accuracy"`
	LogLoss  Float  `json:"log_loss"`
	MacroF1  Float  `json:"macro_f1"`
}

// NewRepeats returns the Repeats of runs, in the order given; over must be
// "folds" or "seeds". It returns an error for no runs or a non-finite
// value.
func NewRepeats(over string, runs []Run) (*Repeats, error) {
	if over != "folds" && over != "seeds" {
		return nil, fmt.Errorf("repeats over %q, want \"folds\" or \"seeds\"", over)
	}
	r := &Repeats{Over: over, Runs: append([]Run(nil), runs...)}
	for _, f := range []struct {
		dst *Spread
		get func(Run) Float
	}{
		{&r.Accuracy, func(x Run) Float { return x.Accuracy }},
		{&r.LogLoss, func(x Run) Float { return x.LogLoss }},
		{&r.MacroF1, func(x Run) Float { return x.MacroF1 }},
	} {
		xs := make([]float64, len(runs))
		for i, run := range runs {
			xs[i] = float64(f.get(run))
		}
		s, err := MeanStd(xs)
		if err != nil {
			return nil, fmt.Errorf("repeats over %s: %w", over, err)
		}
		*f.dst = s
	}
	return r, nil
}

// WriteMetrics writes m as indented JSON and a final newline. It returns
// an error wrapping ErrNotFinite, and writes nothing, if any value is NaN
// or infinite.
func WriteMetrics(w io.Writer, m *Metrics) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode metrics: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadMetrics reads a metrics file written by WriteMetrics, rejecting
// unknown keys and trailing data. Errors name the file and line.
func ReadMetrics(path string) (*Metrics, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Metrics
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		if errors.As(err, &se) {
			off = se.Offset
		} else if errors.As(err, &te) {
			off = te.Offset
		} else if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// The decoder stands after the value; point at the key.
			if i := bytes.LastIndex(b[:min(off, int64(len(b)))], []byte(name)); i >= 0 {
				off = int64(i)
			}
		}
		return nil, fmt.Errorf("%s:%d: %w", path, lineAt(b, off), err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s:%d: data after the JSON value", path, lineAt(b, dec.InputOffset()))
	}
	return &m, nil
}

// lineAt returns the 1-based line of byte offset off in b.
func lineAt(b []byte, off int64) int {
	off = min(max(off, 0), int64(len(b)))
	return bytes.Count(b[:off], []byte("\n")) + 1
}
