package main

import (
	"fmt"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
)

// repeatSeeds measures the experiment's networks across training seeds
// when training.repeats = n >= 2: the main network (repeat 0, trained by
// the caller from config.RepeatSeed(0)) and n - 1 more, each trained
// exactly as the main one (same rows, normaliser and settings) from its
// own seed config.RepeatSeed(i). It returns each network's accuracy, log
// loss and macro F1 on the normalised test rows, computed as the evaluate
// stage computes them, so repeat 0 matches metrics.json bit for bit; and
// no rows for a single network.
func repeatSeeds(cfg *config.Config, classes []string, main *nn.Sequential[float32], train, test *dataset.Table) ([]artifact.Seed, error) {
	n := cfg.Training.Repeats
	if n < 2 {
		return nil, nil
	}
	out := make([]artifact.Seed, 0, n)
	for i := range n {
		seed, model := cfg.RepeatSeed(i), main
		if i > 0 {
			var err error
			model, _, err = fit(cfg, len(classes), train, nil, seed, func(artifact.Epoch) {})
			if err != nil {
				return nil, fmt.Errorf("repeat %d (seed %d): %w", i, seed, err)
			}
		}
		r, err := report.Measure(model, classes, test.X, test.Y)
		if err != nil {
			return nil, fmt.Errorf("repeat %d (seed %d): evaluate on the test rows: %w", i, seed, err)
		}
		out = append(out, artifact.Seed{Repeat: i, Seed: seed, Accuracy: artifact.Float64(r.Accuracy),
			LogLoss: artifact.Float64(r.LogLoss), MacroF1: artifact.Float64(r.Scores.MacroF1)})
	}
	return out, nil
}
