package artifact

// Metrics is reports/NAME/metrics.json, the evaluate stage's
// machine-readable result. Floats are shortest round-trip decimals.
type Metrics struct {
	Experiment string   `json:"experiment"`
	Dataset    string   `json:"dataset"`     // the raw file's base name
	SHA256     string   `json:"data_sha256"` // of the raw file
	Classes    []string `json:"classes"`
	Parameters int      `json:"parameters"`
	// Epochs is the number of epochs trained.
	Epochs int `json:"epochs"`
	// Rows counts the rows of each partition.
	Rows     PartitionCounts `json:"rows"`
	Accuracy Partitions      `json:"accuracy"`
	// LogLoss is the mean cross-entropy, as the trainer computes it.
	LogLoss Partitions `json:"log_loss"`
	// Test holds the per-class results on the test rows.
	Test ClassMetrics `json:"test"`
}

// Partitions holds one value per partition and for all rows together.
type Partitions struct {
	Train      Float64 `json:"train"`
	Validation Float64 `json:"validation"`
	Test       Float64 `json:"test"`
	All        Float64 `json:"all"`
}

// PartitionCounts holds a row count per partition.
type PartitionCounts struct {
	Train      int `json:"train"`
	Validation int `json:"validation"`
	Test       int `json:"test"`
	All        int `json:"all"`
}

// ClassMetrics holds the confusion matrix (Confusion[true][predicted]) and
// per-class precision, recall and F1. A class that is never predicted has
// precision 0, one with no rows recall 0, and F1 is 0 when precision and
// recall are both 0 (scikit-learn's zero_division=0).
type ClassMetrics struct {
	Confusion [][]int      `json:"confusion"`
	PerClass  []ClassScore `json:"per_class"`
	MacroF1   Float64      `json:"macro_f1"`
}

// ClassScore is one class's row of ClassMetrics.
type ClassScore struct {
	Class     string  `json:"class"`
	Support   int     `json:"support"`
	Precision Float64 `json:"precision"`
	Recall    Float64 `json:"recall"`
	F1        Float64 `json:"f1"`
}

// Score computes ClassMetrics from true and predicted class indices in
// [0, classes). It panics if the slices differ in length, a programmer's
// mistake.
func Score(classes []string, truth, pred []int) ClassMetrics {
	if len(truth) != len(pred) {
		panic("artifact: truth and pred differ in length")
	}
	k := len(classes)
	m := ClassMetrics{Confusion: make([][]int, k), PerClass: make([]ClassScore, k)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, k)
	}
	for i, t := range truth {
		m.Confusion[t][pred[i]]++
	}
	var sumF1 float64
	for c := range k {
		tp := m.Confusion[c][c]
		var support, predicted int
		for j := range k {
			support += m.Confusion[c][j]
			predicted += m.Confusion[j][c]
		}
		s := ClassScore{Class: classes[c], Support: support}
		if predicted > 0 {
			s.Precision = Float64(float64(tp) / float64(predicted))
		}
		if support > 0 {
			s.Recall = Float64(float64(tp) / float64(support))
		}
		// F1 from counts, 2tp / (2tp + fp + fn), so it needs no
		// products of rounded ratios.
		if denom := 2*tp + (predicted - tp) + (support - tp); tp > 0 {
			s.F1 = Float64(float64(2*tp) / float64(denom))
		}
		sumF1 += float64(s.F1)
		m.PerClass[c] = s
	}
	m.MacroF1 = Float64(sumF1 / float64(k))
	return m
}
