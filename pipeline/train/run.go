package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: train -config EXPERIMENT.toml -schema SCHEMA.json -train TRAIN.csv -validation VALIDATION.csv \
  -test TEST.csv -data DATA.csv -split SPLIT.csv -out-network NETWORK.finf -out-log LOG.csv \
  -out-folds FOLDS.csv -out-seeds SEEDS.csv

Train builds the experiment's multilayer perceptron (features -> [model]
hidden widths with the hidden activation -> one output per class ->
softmax), initialises it from the xorshift64* generator seeded with
seed XOR 0xD1B54A32D192ED03 (so the split's shuffles and the weights never
share a stream), and trains it on the normalised training rows with the
[optimizer] and [training] settings, reshuffling every epoch from the same
generator.

After every epoch it measures the mean cross-entropy loss and the accuracy
on the training and the validation rows and appends them to LOG.csv
(epoch,train_loss,train_accuracy,val_loss,val_accuracy). NETWORK.finf is the
trained network as a FINF v2 file without a normaliser (N = 0); the package
stage adds the normaliser. A NaN or infinite loss stops training with an
error naming the epoch.

With split.folds = k, train also cross-validates: for each fold it fits a
normaliser on the raw train and validation rows of the other folds (from
DATA.csv and SPLIT.csv), trains a new network on them with the same
settings and a seed derived from the fold, and writes the accuracy, log
loss and macro F1 on the fold's rows to FOLDS.csv
(fold,train_rows,held_out_rows,accuracy,log_loss,macro_f1). Without folds
FOLDS.csv holds only its header.

With training.repeats = n >= 2, train also trains n - 1 more networks on
the same normalised training rows with the same settings, network i from
the generator seeded with the SplitMix64 output i of
seed XOR 0xD1B54A32D192ED03 XOR 0xA0761D6478BD642F, and writes the
accuracy, log loss (clipped at 1e-15, as evaluate's) and macro F1 on the
normalised test rows (TEST.csv) of all n networks to SEEDS.csv
(repeat,seed,accuracy,log_loss,macro_f1), the main network NETWORK.finf
first as repeat 0 with its seed. With one network SEEDS.csv holds only its
header.

On a terminal, a progress bar shows the epoch, loss and accuracy; otherwise
one summary line is logged at the end.

Example:
  train -config experiments/baseline.toml \
    -schema data/processed/baseline/schema.json \
    -train data/processed/baseline/train.csv \
    -validation data/processed/baseline/validation.csv \
    -test data/processed/baseline/test.csv \
    -data data/processed/baseline/data.csv \
    -split data/processed/baseline/split.csv \
    -out-network artifacts/baseline/network.finf \
    -out-log artifacts/baseline/train_log.csv \
    -out-folds artifacts/baseline/folds.csv \
    -out-seeds artifacts/baseline/seeds.csv
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("train", usage, stderr)
	cfgPath := fs.String("config", "", "experiment `file`")
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	trainPath := fs.String("train", "", "input normalised training rows `file` from normalize")
	valPath := fs.String("validation", "", "input normalised validation rows `file` from normalize")
	testPath := fs.String("test", "", "input normalised test rows `file` from normalize (for training.repeats)")
	dataPath := fs.String("data", "", "input data set `file` from ingest (raw rows, for the folds)")
	splitPath := fs.String("split", "", "input split `file` from split (for the folds)")
	outNet := fs.String("out-network", "", "output network `file` (FINF v2, no normaliser)")
	outLog := fs.String("out-log", "", "output per-epoch log `file` (CSV)")
	outFolds := fs.String("out-folds", "", "output cross-validation `file` (CSV)")
	outSeeds := fs.String("out-seeds", "", "output results across training seeds `file` (CSV)")
	err := stage.Parse(fs, args, "config", "schema", "train", "validation", "test", "data", "split",
		"out-network", "out-log", "out-folds", "out-seeds")
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
	train, err := schema.ReadTable(*trainPath)
	if err != nil {
		return err
	}
	val, err := schema.ReadTable(*valPath)
	if err != nil {
		return err
	}
	test, err := schema.ReadTable(*testPath)
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

	progress, terminal := newProgress(cfg, stderr)
	model, history, err := fit(cfg, len(schema.Classes), train, val, trainSeed(cfg), progress)
	if err != nil {
		return err
	}
	folds, err := crossValidate(cfg, schema.ClassNames(), data, members)
	if err != nil {
		return err
	}
	seeds, err := repeatSeeds(cfg, schema.ClassNames(), model, train, test)
	if err != nil {
		return err
	}
	b, err := finf.Marshal(nn.ToFINF(model, nil))
	if err != nil {
		return fmt.Errorf("encode the trained network: %w", err)
	}
	err = artifact.WriteFiles(
		artifact.File{Path: *outNet, Write: func(w io.Writer) error { _, err := w.Write(b); return err }},
		artifact.File{Path: *outLog, Write: func(w io.Writer) error { return artifact.WriteRecords(w, history) }},
		artifact.File{Path: *outFolds, Write: func(w io.Writer) error { return writeFolds(w, folds) }},
		artifact.File{Path: *outSeeds, Write: func(w io.Writer) error { return artifact.WriteSeeds(w, seeds) }},
	)
	if err != nil {
		return err
	}
	// The bar already shows the final numbers on a terminal; elsewhere one
	// summary line is always logged.
	last := history[len(history)-1]
	stage.Logger(stderr, stage.Verbose(fs) || !terminal).Info("trained", "experiment", cfg.Name, "epochs", len(history), "parameters", model.ParamCount(),
		"train_loss", last.TrainLoss.String(), "train_accuracy", last.TrainAccuracy.String(),
		"val_loss", last.ValLoss.String(), "val_accuracy", last.ValAccuracy.String())
	return nil
}

// trainSeed returns the seed of the main network's generator.
func trainSeed(cfg *config.Config) uint64 { return cfg.TrainSeed() }

// writeFolds writes the cross-validation rows; with none, just the header
// (gocsv writes nothing at all for an empty slice).
func writeFolds(w io.Writer, folds []artifact.Fold) error {
	if len(folds) == 0 {
		_, err := io.WriteString(w, strings.Join(artifact.FoldHeader, ",")+"\n")
		return err
	}
	return artifact.WriteRecords(w, folds)
}

// fit builds a network, initialised from a generator seeded with seed, and
// trains it on train, drawing each epoch's shuffle from the same
// generator. After every epoch it measures the loss and accuracy on train
// and, unless val is nil, on val, and calls progress.
func fit(cfg *config.Config, classes int, train, val *dataset.Table, seed uint64, progress func(artifact.Epoch)) (*nn.Sequential[float32], []artifact.Epoch, error) {
	act, err := nn.ParseActivation(cfg.Model.Activation)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: model.activation: %w", cfg.File, err)
	}
	sizes := cfg.Sizes(len(train.Features), classes)
	r := rng.New(seed)
	model, err := nn.NewMLP[float32](sizes, act, r)
	if err != nil {
		return nil, nil, fmt.Errorf("build the network %v: %w", sizes, err)
	}
	o := cfg.Optimizer
	opt := nn.OptimizerConfig{Name: o.Name, LR: o.LR, WeightDecay: o.WeightDecay}
	if o.Name == "sgd" {
		opt.Momentum = o.Momentum
	} else {
		opt.Beta1, opt.Beta2, opt.Eps = o.Beta1, o.Beta2, o.Eps
	}
	trainer, err := nn.NewTrainer(model, opt, cfg.Training.BatchSize)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", cfg.File, err)
	}
	history := make([]artifact.Epoch, 0, cfg.Training.Epochs)
	for epoch := 1; epoch <= cfg.Training.Epochs; epoch++ {
		_, err := trainer.Epoch(train.X, train.Y, r)
		if errors.Is(err, nn.ErrNonFinite) {
			return nil, nil, divergence(cfg, epoch, err.Error())
		}
		if err != nil {
			return nil, nil, fmt.Errorf("epoch %d: %w", epoch, err)
		}
		tr, err := nn.Evaluate(model, train.X, train.Y)
		if err != nil {
			return nil, nil, fmt.Errorf("epoch %d: evaluate on the training rows: %w", epoch, err)
		}
		var va nn.EpochStats
		if val != nil {
			va, err = nn.Evaluate(model, val.X, val.Y)
			if err != nil {
				return nil, nil, fmt.Errorf("epoch %d: evaluate on the validation rows: %w", epoch, err)
			}
		}
		for _, l := range []float64{tr.Loss, va.Loss} {
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return nil, nil, divergence(cfg, epoch, fmt.Sprintf("loss %v", l))
			}
		}
		e := artifact.Epoch{Epoch: epoch, TrainLoss: artifact.Float64(tr.Loss), TrainAccuracy: artifact.Float64(tr.Accuracy),
			ValLoss: artifact.Float64(va.Loss), ValAccuracy: artifact.Float64(va.Accuracy)}
		history = append(history, e)
		progress(e)
	}
	return model, history, nil
}

// ErrDiverged is wrapped by the error for a NaN or infinite loss.
var ErrDiverged = errors.New("training diverged")

func divergence(cfg *config.Config, epoch int, detail string) error {
	return fmt.Errorf("%w at epoch %d (%s); try a lower optimizer.lr than %v in %s",
		ErrDiverged, epoch, detail, cfg.Optimizer.LR, cfg.File)
}

// newProgress returns the per-epoch callback and whether stderr is a
// terminal (a character device): a progress bar redrawn in place on a
// terminal, nothing otherwise (run logs a summary).
func newProgress(cfg *config.Config, stderr io.Writer) (func(artifact.Epoch), bool) {
	f, ok := stderr.(*os.File)
	if !ok {
		return func(artifact.Epoch) {}, false
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func(artifact.Epoch) {}, false
	}
	return progressBar(stderr, cfg.Name, cfg.Training.Epochs), true
}

// progressBar returns a callback that redraws, about a hundred times over
// the run and at the last epoch, one line: the experiment, a bar, the epoch
// and the latest losses and accuracies (rounded: this is for people).
func progressBar(w io.Writer, name string, total int) func(artifact.Epoch) {
	const width = 30
	every := max(1, total/100)
	return func(e artifact.Epoch) {
		if e.Epoch%every != 0 && e.Epoch != total {
			return
		}
		done := width * e.Epoch / total
		fmt.Fprintf(w, "\r%s [%s%s] %d/%d loss %.4f acc %.3f val_loss %.4f val_acc %.3f",
			name, strings.Repeat("=", done), strings.Repeat(" ", width-done), e.Epoch, total,
			float64(e.TrainLoss), float64(e.TrainAccuracy), float64(e.ValLoss), float64(e.ValAccuracy))
		if e.Epoch == total {
			fmt.Fprintln(w)
		}
	}
}
