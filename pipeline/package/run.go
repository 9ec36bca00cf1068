package main

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: package -schema SCHEMA.json -network NETWORK.finf -normalizer NORMALIZER.json \
  -data DATA.csv -split SPLIT.csv -out MODEL.finf

Package joins the trained network (a FINF v2 file without a normaliser, from
train) and the normaliser statistics (from normalize) into one FINF v2 model
file, so the model can never be run on un-normalised input. Before writing
it, package decodes the new file again and checks that, for every test row
of the raw data set, the decoded model's single-sample prediction (normalise,
then forward) equals the trained network's batch prediction on the
normalised row bit for bit. Any difference is an error and nothing is
written.

Example:
  package -schema data/processed/baseline/schema.json \
    -network artifacts/baseline/network.finf \
    -normalizer data/processed/baseline/normalizer.json \
    -data data/processed/baseline/data.csv \
    -split data/processed/baseline/split.csv \
    -out artifacts/baseline/model.finf
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("package", usage, stderr)
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	netPath := fs.String("network", "", "input network `file` from train (FINF v2)")
	normPath := fs.String("normalizer", "", "input statistics `file` from normalize")
	dataPath := fs.String("data", "", "input data set `file` from ingest")
	splitPath := fs.String("split", "", "input split `file` from split")
	out := fs.String("out", "", "output model `file` (FINF v2 with normaliser)")
	err := stage.Parse(fs, args, "schema", "network", "normalizer", "data", "split", "out")
	if err != nil {
		return err
	}
	schema, err := dataset.ReadSchema(*schemaPath)
	if err != nil {
		return err
	}
	features := schema.FeatureNames()
	model, err := artifact.ReadNetwork(*netPath, len(features), len(schema.Classes))
	if err != nil {
		return err
	}
	stats, err := dataset.ReadNormalizer(*normPath, features)
	if err != nil {
		return err
	}
	mean, std := stats.MeanStd()
	norm := &nn.Normalizer[float32]{Mean: mean, Std: std}
	data, err := dataset.ReadTable(*dataPath, features, len(schema.Classes))
	if err != nil {
		return err
	}
	members, err := dataset.ReadSplit(*splitPath, data.Len())
	if err != nil {
		return err
	}
	test := data.Select(dataset.Positions(members)[dataset.Test])
	if test.Len() == 0 {
		return fmt.Errorf("%s: no test rows to check the model file on", *splitPath)
	}

	b, err := finf.Marshal(nn.ToFINF(model, norm))
	if err != nil {
		return fmt.Errorf("encode the model: %w", err)
	}
	if err := check(b, model, norm, test); err != nil {
		return fmt.Errorf("%s: not written: %w", *out, err)
	}
	if err := artifact.WriteFile(*out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return err
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("packaged", "file", *out, "bytes", len(b), "parameters", model.ParamCount(),
		"checked_test_rows", test.Len())
	return nil
}

// check decodes the model file b and compares its predictions on the raw
// test rows with model's on the same rows normalised by norm, bit for bit.
func check(b []byte, model *nn.Sequential[float32], norm *nn.Normalizer[float32], test *dataset.Table) error {
	fm, err := finf.Read(b)
	if err != nil {
		return fmt.Errorf("decode the model file again: %w", err)
	}
	if again, err := finf.Marshal(fm); err != nil || !bytes.Equal(again, b) {
		return fmt.Errorf("re-encoding the decoded model file does not give the same bytes")
	}
	s, n, err := nn.FromFINF(fm)
	if err != nil {
		return err
	}
	if n == nil {
		return fmt.Errorf("the decoded model file has no normaliser")
	}
	pred, err := nn.NewPredictor(s, n)
	if err != nil {
		return err
	}

	z := make([]float32, len(test.X))
	if err := norm.Transform(z, test.X); err != nil {
		return err
	}
	x, err := nn.FromData(z, test.Len(), len(test.Features))
	if err != nil {
		return err
	}
	want, err := model.Forward(x)
	if err != nil {
		return err
	}
	k := model.OutWidth()
	for i := range test.Len() {
		got := pred.Predict(test.Row(i))
		for j, g := range got {
			w := want.Data[i*k+j]
			if math.Float32bits(g) != math.Float32bits(w) {
				return fmt.Errorf("test row %d (data row %d), output %d: the model file predicts %v (%#08x), the trained network %v (%#08x)",
					i, test.Rows[i], j, g, math.Float32bits(g), w, math.Float32bits(w))
			}
		}
	}
	return nil
}
