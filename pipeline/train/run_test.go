package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runTrain(f *pipetest.Fix) (res pipetest.Result, network, log string) {
	network, log = filepath.Join(f.Dir, "out", "network.finf"), filepath.Join(f.Dir, "out", "train_log.csv")
	res = pipetest.Run(run, "-config", f.Config, "-schema", f.Schema, "-train", f.Train, "-validation", f.Validation,
		"-test", f.Test, "-data", f.Data, "-split", f.Split, "-out-network", network, "-out-log", log,
		"-out-folds", foldsPath(f), "-out-seeds", seedsPath(f))
	return res, network, log
}

func foldsPath(f *pipetest.Fix) string { return filepath.Join(f.Dir, "out", "folds.csv") }

func seedsPath(f *pipetest.Fix) string { return filepath.Join(f.Dir, "out", "seeds.csv") }

func TestTrain(t *testing.T) {
	f := pipetest.New(t)
	res, network, logPath := runTrain(f)
	require.NoError(t, res.Err)
	// Not a terminal: one summary line, no progress bar.
	assert.Equal(t, 1, strings.Count(res.Stderr, "\n"), res.Stderr)
	assert.Contains(t, res.Stderr, "msg=trained experiment=exp epochs=3 parameters=27")
	assert.NotContains(t, res.Stderr, "\r")

	log, err := artifact.ReadLog(logPath)
	require.NoError(t, err)
	assert.Len(t, log, 3)
	folds, err := os.ReadFile(foldsPath(f))
	require.NoError(t, err)
	assert.Equal(t, "fold,train_rows,held_out_rows,accuracy,log_loss,macro_f1\n", string(folds), "no folds: header only")
	seeds, err := os.ReadFile(seedsPath(f))
	require.NoError(t, err)
	assert.Equal(t, "repeat,seed,accuracy,log_loss,macro_f1\n", string(seeds), "one network: header only")
	net, err := artifact.ReadNetwork(network, 2, 3)
	require.NoError(t, err)
	assert.Equal(t, 2*4+4+4*3+3, net.ParamCount())

	// Same inputs, same bytes.
	first, err := os.ReadFile(network)
	require.NoError(t, err)
	firstLog, err := os.ReadFile(logPath)
	require.NoError(t, err)
	res, _, _ = runTrain(f)
	require.NoError(t, res.Err)
	again, err := os.ReadFile(network)
	require.NoError(t, err)
	againLog, err := os.ReadFile(logPath)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	assert.Equal(t, string(firstLog), string(againLog))
}

func TestTrainBadInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		code  int
		want  string
	}{
		{"diverging loss", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Train, "row,length,width,label\n0,3e37,-3e37,0\n1,-3e37,3e37,1\n2,3e37,3e37,2\n")
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "lr = 0.1", "lr = 10", 1))
		}, 1, "training diverged at epoch 1"},
		{"typo in a key", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "batch_size", "batchsize", 1))
		}, 2, `exp.toml:22: training.batchsize: unknown key; did you mean "training.batch_size"?`},
		{"zero epochs", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "epochs = 3", "epochs = 0", 1))
		}, 2, "exp.toml:21: training.epochs: must be between 1 and 100000, got 0"},
		{"hidden width 0", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "hidden = [4]", "hidden = [0]", 1))
		}, 2, "exp.toml:15: model.hidden: layer 1 has width 0"},
		{"missing test rows", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Test)) }, 1, "test.csv: "},
		{"repeats with folds", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment("repeats = 3\n"), "test = 0.2", "test = 0.2\nfolds = 3", 1))
		}, 2, "exp.toml:24: training.repeats: cannot be combined with split.folds = 3"},
		{"missing training rows", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Train)) }, 1, "no such file"},
		{"empty validation rows", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Validation, "row,length,width,label\n") }, 1,
			"validation.csv: no rows"},
		{"Inf in the training rows", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Train, "row,length,width,label\n0,1,+Inf,0\n")
		}, 1, `train.csv:2:5: width: "+Inf" is not a finite number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			tc.spoil(t, f)
			res, network, log := runTrain(f)
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, f.Dir, network, log, foldsPath(f), seedsPath(f))
		})
	}
}

func TestTrainDivergenceMessage(t *testing.T) {
	f := pipetest.New(t)
	pipetest.Write(t, f.Train, "row,length,width,label\n0,3e37,-3e37,0\n1,-3e37,3e37,1\n2,3e37,3e37,2\n")
	pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "lr = 0.1", "lr = 10", 1))
	res, _, _ := runTrain(f)
	require.ErrorIs(t, res.Err, ErrDiverged)
	assert.Contains(t, res.Err.Error(), "try a lower optimizer.lr than 10 in "+f.Config)
}

func TestTrainFolds(t *testing.T) {
	f := pipetest.New(t)
	ms, err := dataset.ReadSplit(f.Split, 30)
	require.NoError(t, err)
	k := 0
	for i := range ms {
		if ms[i].Partition != dataset.Test {
			ms[i].Fold = k % 3
			k++
		}
	}
	require.NoError(t, artifact.WriteFile(f.Split, func(w io.Writer) error { return artifact.WriteRecords(w, ms) }))
	res, network, _ := runTrain(f)
	require.NoError(t, res.Err)
	folds, err := artifact.ReadFolds(foldsPath(f))
	require.NoError(t, err)
	require.Len(t, folds, 3)
	for i, fold := range folds {
		assert.Equal(t, i, fold.Fold)
		assert.Equal(t, 8, fold.HeldOutRows)
		assert.Equal(t, 16, fold.TrainRows)
		assert.True(t, fold.Accuracy >= 0 && fold.Accuracy <= 1)
		assert.Positive(t, float64(fold.LogLoss))
	}
	// Each fold's figures are report.Evaluate's on its network's
	// probabilities (log loss clipped, in float64), as evaluate and the
	// seeds measure them, bit for bit.
	cfg, err := config.Load(f.Config)
	require.NoError(t, err)
	data, err := dataset.ReadTable(f.Data, pipetest.Columns[:2], len(pipetest.Classes))
	require.NoError(t, err)
	for fold := range 3 {
		var rest, held []int
		for _, m := range ms {
			switch {
			case m.Fold == fold:
				held = append(held, m.Row)
			case m.Fold >= 0:
				rest = append(rest, m.Row)
			}
		}
		train, test := data.Select(rest), data.Select(held)
		norm, err := nn.FitNormalizer(train.X, train.Len(), 2)
		require.NoError(t, err)
		require.NoError(t, norm.Transform(train.X, train.X))
		require.NoError(t, norm.Transform(test.X, test.X))
		model, _, err := fit(cfg, 3, train, nil, foldSeed(cfg, fold), func(artifact.Epoch) {})
		require.NoError(t, err)
		x, err := nn.FromData(test.X, test.Len(), 2)
		require.NoError(t, err)
		p, err := model.Forward(x)
		require.NoError(t, err)
		want, err := report.Evaluate(pipetest.Classes, p.Data, test.Y)
		require.NoError(t, err)
		got := folds[fold]
		assert.Equal(t, math.Float64bits(want.LogLoss), math.Float64bits(float64(got.LogLoss)), "fold %d log loss", fold)
		assert.Equal(t, math.Float64bits(want.Accuracy), math.Float64bits(float64(got.Accuracy)), "fold %d accuracy", fold)
		assert.Equal(t, math.Float64bits(float64(want.Scores.MacroF1)), math.Float64bits(float64(got.MacroF1)),
			"fold %d macro F1", fold)
	}

	// The folds do not change the main network.
	withFolds, err := os.ReadFile(network)
	require.NoError(t, err)
	g := pipetest.New(t)
	res, plain, _ := runTrain(g)
	require.NoError(t, res.Err)
	without, err := os.ReadFile(plain)
	require.NoError(t, err)
	assert.Equal(t, without, withFolds)
}

func TestTrainSeeds(t *testing.T) {
	const n = 4
	f := pipetest.New(t)
	pipetest.Write(t, f.Config, pipetest.Experiment(fmt.Sprintf("repeats = %d\n", n)))
	cfg, err := config.Load(f.Config)
	require.NoError(t, err)
	res, network, logPath := runTrain(f)
	require.NoError(t, res.Err)
	seeds, err := artifact.ReadSeeds(seedsPath(f))
	require.NoError(t, err)
	require.Len(t, seeds, n)
	distinct := map[uint64]bool{}
	for i, s := range seeds {
		assert.Equal(t, i, s.Repeat)
		assert.Equal(t, cfg.RepeatSeed(i), s.Seed)
		distinct[s.Seed] = true
	}
	assert.Len(t, distinct, n, "every network has its own seed")
	assert.Equal(t, trainSeed(cfg), seeds[0].Seed, "repeat 0 is the main network's seed")

	// Repeat 0 is the main network measured on the test rows, as evaluate
	// measures it: the same bits.
	schema, err := dataset.ReadSchema(f.Schema)
	require.NoError(t, err)
	net, err := artifact.ReadNetwork(network, 2, 3)
	require.NoError(t, err)
	test, err := dataset.ReadTable(f.Test, schema.FeatureNames(), 3)
	require.NoError(t, err)
	x, err := nn.FromData(test.X, test.Len(), 2)
	require.NoError(t, err)
	p, err := net.Forward(x)
	require.NoError(t, err)
	want, err := report.Evaluate(schema.ClassNames(), p.Data, test.Y)
	require.NoError(t, err)
	assert.Equal(t, math.Float64bits(want.Accuracy), math.Float64bits(float64(seeds[0].Accuracy)))
	assert.Equal(t, math.Float64bits(want.LogLoss), math.Float64bits(float64(seeds[0].LogLoss)))
	assert.Equal(t, math.Float64bits(float64(want.Scores.MacroF1)), math.Float64bits(float64(seeds[0].MacroF1)))
	// The other seeds train other networks.
	for _, s := range seeds[1:] {
		assert.NotEqual(t, math.Float64bits(float64(seeds[0].LogLoss)), math.Float64bits(float64(s.LogLoss)), "repeat %d", s.Repeat)
	}

	// The repeats change neither the main network nor its log.
	withNet, err := os.ReadFile(network)
	require.NoError(t, err)
	withLog, err := os.ReadFile(logPath)
	require.NoError(t, err)
	g := pipetest.New(t)
	res, plainNet, plainLog := runTrain(g)
	require.NoError(t, res.Err)
	assert.Equal(t, read(t, plainNet), string(withNet))
	assert.Equal(t, read(t, plainLog), string(withLog))

	// Same inputs, same bytes.
	first := read(t, seedsPath(f))
	res, _, _ = runTrain(f)
	require.NoError(t, res.Err)
	assert.Equal(t, first, read(t, seedsPath(f)))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestFoldSeed(t *testing.T) {
	// The folds' seeds are SplitMix64's outputs from the training seed,
	// as written out before config.SplitMix64 existed.
	cfg := &config.Config{Seed: 1}
	for fold := range 5 {
		z := cfg.TrainSeed() + uint64(fold+1)*0x9E3779B97F4A7C15
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		assert.Equal(t, z^(z>>31), foldSeed(cfg, fold))
	}
}

func TestProgressBar(t *testing.T) {
	var buf strings.Builder
	bar := progressBar(&buf, "exp", 4)
	for i := 1; i <= 4; i++ {
		bar(artifact.Epoch{Epoch: i, TrainLoss: 0.5, TrainAccuracy: 0.75, ValLoss: 0.25, ValAccuracy: 1})
	}
	lines := strings.Split(buf.String(), "\r")
	require.Len(t, lines, 5)
	assert.Equal(t, "exp [=======                       ] 1/4 loss 0.5000 acc 0.750 val_loss 0.2500 val_acc 1.000", lines[1])
	assert.Equal(t, "exp [==============================] 4/4 loss 0.5000 acc 0.750 val_loss 0.2500 val_acc 1.000\n", lines[4])

	// Not a terminal: no bar.
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	require.NoError(t, err)
	defer f.Close()
	_, terminal := newProgress(&config.Config{Name: "x", Training: config.Training{Epochs: 3}}, f)
	assert.False(t, terminal)
}
