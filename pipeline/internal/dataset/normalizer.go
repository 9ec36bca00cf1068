package dataset

import (
	"fmt"
	"math"
	"slices"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
)

// Normalizer is normalizer.json: the z-score statistics fitted on the
// training rows, one mean and one population standard deviation per
// feature in feature order (a constant column has std 1). The values are
// binary32, written as the shortest text that round-trips, so they are the
// exact bits the package stage embeds in the FINF file.
type Normalizer struct {
	Features []string           `json:"features"`
	Mean     []artifact.Float32 `json:"mean"`
	Std      []artifact.Float32 `json:"std"`
}

// ReadNormalizer reads normalizer.json and checks that it covers exactly
// features, with finite means and finite positive stds.
func ReadNormalizer(path string, features []string) (*Normalizer, error) {
	var n Normalizer
	if err := artifact.ReadJSON(path, &n); err != nil {
		return nil, err
	}
	if !slices.Equal(n.Features, features) || len(n.Mean) != len(features) || len(n.Std) != len(features) {
		return nil, fmt.Errorf("%s: statistics for %d features %q, want %d %q",
			path, len(n.Mean), n.Features, len(features), features)
	}
	for i := range features {
		m, s := float64(n.Mean[i]), float64(n.Std[i])
		if math.IsNaN(m) || math.IsInf(m, 0) || !(s > 0) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("%s: feature %s: mean %v and std %v; want a finite mean and a finite std > 0",
				path, features[i], m, s)
		}
	}
	return &n, nil
}

// MeanStd returns the statistics as plain float32 slices.
func (n *Normalizer) MeanStd() (mean, std []float32) {
	mean = make([]float32, len(n.Mean))
	std = make([]float32, len(n.Std))
	for i := range n.Mean {
		mean[i], std[i] = float32(n.Mean[i]), float32(n.Std[i])
	}
	return mean, std
}

// NewNormalizer returns the file form of the statistics.
func NewNormalizer(features []string, mean, std []float32) *Normalizer {
	n := &Normalizer{Features: features, Mean: make([]artifact.Float32, len(mean)), Std: make([]artifact.Float32, len(std))}
	for i := range mean {
		n.Mean[i], n.Std[i] = artifact.Float32(mean[i]), artifact.Float32(std[i])
	}
	return n
}
