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
Usage: evaluate -config EXPERIMENT.toml -schema SCHEMA.json -network NETWORK.finf -log LOG.csv \
  -train TRAIN.csv -validation VALIDATION.csv -test TEST.csv -out METRICS.json

Evaluate runs the trained network on the normalised train, validation and
test rows and on all of them together, and writes METRICS.json: row counts,
accuracy and mean cross-entropy (log loss) per partition, and on the test
rows the confusion matrix (rows: true class, columns: predicted class),
per-class precision, recall and F1, and macro F1. Test accuracy is the
headline; accuracy on all rows is there only to compare with the original
article's full-data figure.

Example:
  evaluate -config experiments/baseline.toml \
    -schema data/processed/baseline/schema.json \
    -network artifacts/baseline/network.finf \
    -log artifacts/baseline/train_log.csv \
    -train data/processed/baseline/train.csv \
    -validation data/processed/baseline/validation.csv \
    -test data/processed/baseline/test.csv \
    -out reports/baseline/metrics.json
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("evaluate", usage, stderr)
	cfgPath := fs.String("config", "", "experiment `file`")
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	netPath := fs.String("network", "", "input network `file` from train (FINF v2)")
	logPath := fs.String("log", "", "input training log `file` from train")
	parts := map[string]*string{
		dataset.Train:      fs.String("train", "", "input normalised training rows `file`"),
		dataset.Validation: fs.String("validation", "", "input normalised validation rows `file`"),
		dataset.Test:       fs.String("test", "", "input normalised test rows `file`"),
	}
	out := fs.String("out", "", "output metrics `file` (JSON)")
	err := stage.Parse(fs, args, "config", "schema", "network", "log", "train", "validation", "test", "out")
	if err != nil {
		return err
	}
	cfg, err := stage.LoadConfig(*cfgPath)
	if err != nil {
		return err
	}
	schema, err := dataset.ReadSchema(*schemaPath)
	if err != nil {
		return err
	}
	model, err := artifact.ReadNetwork(*netPath, len(schema.Features), len(schema.Classes))
	if err != nil {
		return err
	}
	history, err := artifact.ReadLog(*logPath)
	if err != nil {
		return err
	}
	tables := map[string]*dataset.Table{}
	all := &dataset.Table{Features: schema.FeatureNames()}
	for _, name := range dataset.Partitions {
		t, err := dataset.ReadTable(*parts[name], schema.FeatureNames(), len(schema.Classes))
		if err != nil {
			return err
		}
		tables[name] = t
		all.Rows = append(all.Rows, t.Rows...)
		all.X = append(all.X, t.X...)
		all.Y = append(all.Y, t.Y...)
	}

	m := artifact.Metrics{
		Experiment: cfg.Name,
		Dataset:    schema.Source,
		SHA256:     schema.SHA256,
		Classes:    schema.ClassNames(),
		Parameters: model.ParamCount(),
		Epochs:     len(history),
	}
	stats := map[string]nn.EpochStats{}
	for name, t := range map[string]*dataset.Table{"train": tables[dataset.Train],
		"validation": tables[dataset.Validation], "test": tables[dataset.Test], "all": all} {
		s, err := nn.Evaluate(model, t.X, t.Y)
		if err != nil {
			return fmt.Errorf("evaluate on the %s rows: %w", name, err)
		}
		stats[name] = s
	}
	m.Rows = artifact.PartitionCounts{Train: tables[dataset.Train].Len(), Validation: tables[dataset.Validation].Len(),
		Test: tables[dataset.Test].Len(), All: all.Len()}
	m.Accuracy = artifact.Partitions{Train: artifact.Float64(stats["train"].Accuracy),
		Validation: artifact.Float64(stats["validation"].Accuracy),
		Test:       artifact.Float64(stats["test"].Accuracy), All: artifact.Float64(stats["all"].Accuracy)}
	m.LogLoss = artifact.Partitions{Train: artifact.Float64(stats["train"].Loss),
		Validation: artifact.Float64(stats["validation"].Loss),
		Test:       artifact.Float64(stats["test"].Loss), All: artifact.Float64(stats["all"].Loss)}

	test := tables[dataset.Test]
	pred, err := predict(model, test)
	if err != nil {
		return err
	}
	m.Test = artifact.Score(m.Classes, test.Y, pred)

	if err := artifact.WriteFile(*out, func(w io.Writer) error { return artifact.WriteJSON(w, &m) }); err != nil {
		return err
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("evaluated", "experiment", cfg.Name,
		"test_accuracy", m.Accuracy.Test.String(), "all_accuracy", m.Accuracy.All.String(),
		"macro_f1", m.Test.MacroF1.String())
	return nil
}

// predict returns the most probable class of every row of t.
func predict(model *nn.Sequential[float32], t *dataset.Table) ([]int, error) {
	x, err := nn.FromData(t.X, t.Len(), len(t.Features))
	if err != nil {
		return nil, err
	}
	p, err := model.Forward(x)
	if err != nil {
		return nil, err
	}
	return nn.Argmax(p)
}
