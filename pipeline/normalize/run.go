package main

import (
	"fmt"
	"io"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: normalize -schema SCHEMA.json -data DATA.csv -split SPLIT.csv \
  -out-stats NORMALIZER.json -out-train TRAIN.csv -out-validation VALIDATION.csv -out-test TEST.csv

Normalize fits z-score statistics on the training rows only (statistics
fitted on all rows would leak the validation and test rows into training):
per feature the mean and the population standard deviation, with std 1 for a
constant column, as scikit-learn's StandardScaler does. It writes them, in
binary32, to NORMALIZER.json and writes each partition with every feature
replaced by z = (x - mean) / std, computed in binary32 exactly as the
model file's reader will.

Example:
  normalize -schema data/processed/baseline/schema.json \
    -data data/processed/baseline/data.csv \
    -split data/processed/baseline/split.csv \
    -out-stats data/processed/baseline/normalizer.json \
    -out-train data/processed/baseline/train.csv \
    -out-validation data/processed/baseline/validation.csv \
    -out-test data/processed/baseline/test.csv
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("normalize", usage, stderr)
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	dataPath := fs.String("data", "", "input data set `file` from ingest")
	splitPath := fs.String("split", "", "input split `file` from split")
	outStats := fs.String("out-stats", "", "output statistics `file` (JSON)")
	outs := map[string]*string{
		dataset.Train:      fs.String("out-train", "", "output normalised training rows `file` (CSV)"),
		dataset.Validation: fs.String("out-validation", "", "output normalised validation rows `file` (CSV)"),
		dataset.Test:       fs.String("out-test", "", "output normalised test rows `file` (CSV)"),
	}
	err := stage.Parse(fs, args, "schema", "data", "split", "out-stats", "out-train", "out-validation", "out-test")
	if err != nil {
		return err
	}
	schema, err := dataset.ReadSchema(*schemaPath)
	if err != nil {
		return err
	}
	data, err := schema.ReadTable(*dataPath)
	if err != nil {
		return err
	}
	members, err := dataset.ReadSplit(*splitPath, data.Len())
	if err != nil {
		return err
	}
	parts := dataset.Positions(members)
	train := data.Select(parts[dataset.Train])
	if train.Len() == 0 {
		return fmt.Errorf("%s: no training rows", *splitPath)
	}
	norm, err := nn.FitNormalizer(train.X, train.Len(), len(train.Features))
	if err != nil {
		return fmt.Errorf("fit the normaliser on %s: %w", *dataPath, err)
	}
	files := []artifact.File{{Path: *outStats, Write: func(w io.Writer) error {
		return artifact.WriteJSON(w, dataset.NewNormalizer(train.Features, norm.Mean, norm.Std))
	}}}
	for _, name := range dataset.Partitions {
		part := data.Select(parts[name])
		if part.Len() == 0 {
			return fmt.Errorf("%s: no %s rows", *splitPath, name)
		}
		if err := norm.Transform(part.X, part.X); err != nil {
			return err
		}
		files = append(files, artifact.File{Path: *outs[name], Write: func(w io.Writer) error {
			return dataset.WriteTable(w, part)
		}})
	}
	if err := artifact.WriteFiles(files...); err != nil {
		return err
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("normalised", "features", len(train.Features), "fitted_on_rows", train.Len())
	return nil
}
