package main

import (
	"fmt"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
)

// crossValidate runs k-fold cross-validation over the train and validation
// rows of data (raw, not normalised) when the split has folds: for each
// fold it fits a normaliser on the other folds' rows, trains a new network
// on them exactly as the main one is trained (same settings, its own
// seed), and measures it on the fold's rows with report.Evaluate (log loss
// clipped as in metrics.json and seeds.csv). Test rows take no part. It
// returns no rows when the split has no folds.
func crossValidate(cfg *config.Config, classes []string, data *dataset.Table, members []dataset.Member) ([]artifact.Fold, error) {
	k := 0
	for _, m := range members {
		k = max(k, m.Fold+1)
	}
	var out []artifact.Fold
	for fold := range k {
		var rest, held []int
		for _, m := range members {
			switch {
			case m.Fold < 0:
			case m.Fold == fold:
				held = append(held, m.Row)
			default:
				rest = append(rest, m.Row)
			}
		}
		if len(rest) == 0 || len(held) == 0 {
			return nil, fmt.Errorf("fold %d: %d rows to train on and %d to hold out; every fold needs both", fold, len(rest), len(held))
		}
		train, test := data.Select(rest), data.Select(held)
		norm, err := nn.FitNormalizer(train.X, train.Len(), len(train.Features))
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", fold, err)
		}
		if err := norm.Transform(train.X, train.X); err != nil {
			return nil, err
		}
		if err := norm.Transform(test.X, test.X); err != nil {
			return nil, err
		}
		model, _, err := fit(cfg, len(classes), train, nil, foldSeed(cfg, fold), func(artifact.Epoch) {})
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", fold, err)
		}
		// Measured as evaluate and repeatSeeds measure: log loss from the
		// probabilities, clipped at report.LogLossEps, in float64.
		r, err := report.Measure(model, classes, test.X, test.Y)
		if err != nil {
			return nil, fmt.Errorf("fold %d: evaluate on the held-out rows: %w", fold, err)
		}
		out = append(out, artifact.Fold{Fold: fold, TrainRows: train.Len(), HeldOutRows: test.Len(),
			Accuracy: artifact.Float64(r.Accuracy), LogLoss: artifact.Float64(r.LogLoss),
			MacroF1: artifact.Float64(r.Scores.MacroF1)})
	}
	return out, nil
}

// foldSeed derives fold's generator seed from the training seed: output
// fold+1 of SplitMix64 started at it, so that no two folds' streams start
// close together.
func foldSeed(cfg *config.Config, fold int) uint64 { return config.SplitMix64(trainSeed(cfg), fold+1) }
