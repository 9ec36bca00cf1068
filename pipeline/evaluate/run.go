package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: evaluate -config EXPERIMENT.toml -schema SCHEMA.json -data DATA.csv -normalizer NORMALIZER.json \
  -train TRAIN.csv -validation VALIDATION.csv -test TEST.csv \
  -network NETWORK.finf -log LOG.csv -folds FOLDS.csv -seeds SEEDS.csv -out-dir DIR

Evaluate measures the trained network and writes the experiment's report
into DIR (reports/NAME), these files:

  metrics.json   row counts, accuracy and log loss (mean cross-entropy,
                 clipped at 1e-15) on the train, validation and test rows and
                 on all of them; on the test rows the confusion matrix (rows:
                 true class, columns: predicted), per-class precision, recall
                 and F1, and macro F1; the parameter count and the size of
                 the FINF model file (network and normaliser); and with
                 split.folds = k, each fold's held-out result from FOLDS.csv
                 with the mean and sample standard deviation across folds;
                 with training.repeats = n >= 2, each network's test result
                 from SEEDS.csv with the mean and sample standard deviation
                 across the n seeds
  README.md      the report page: settings, data set and checksum, metrics,
                 the plots inline and the gradient check
  loss.svg       loss per epoch on the train and validation rows (LOG.csv)
  accuracy.svg   accuracy per epoch on the train and validation rows
  confusion.svg  the test confusion matrix as an annotated heat map
  regions.svg    the network's decision regions over two features
                 (report.regions; by default the two that best separate the
                 classes on the training rows, largest one-way ANOVA F), the
                 other features at their training means, every row of DATA.csv
                 on top in raw units; over one feature (report.regions names
                 one, or the data set has only one) the predicted class as
                 bands along it, each class's probability as a curve, and
                 the rows below in one lane per class
  gradcheck.json the gradient check: for each parameter tensor, the largest
                 absolute and relative error of the analytic gradient
                 against float64 central differences (step 1e-6, threshold
                 1e-6) on the first 16 training rows, for the network as
                 train initialises it (re-created from the experiment's seed)
                 and for the trained network

Test accuracy is the headline; accuracy on all rows is there only to
compare with the original article's full-data figure. Evaluate checks that
NORMALIZER.json turns DATA.csv's rows into exactly the partitions' values,
and that SEEDS.csv has the experiment's seeds with NETWORK.finf's test
result as its first row, so a report never mixes files from different runs. All files are written
together or not at all.

Example:
  evaluate -config experiments/baseline.toml \
    -schema data/processed/baseline/schema.json \
    -data data/processed/baseline/data.csv \
    -normalizer data/processed/baseline/normalizer.json \
    -train data/processed/baseline/train.csv \
    -validation data/processed/baseline/validation.csv \
    -test data/processed/baseline/test.csv \
    -network artifacts/baseline/network.finf \
    -log artifacts/baseline/train_log.csv \
    -folds artifacts/baseline/folds.csv \
    -seeds artifacts/baseline/seeds.csv \
    -out-dir reports/baseline
`

// Outputs are the files evaluate writes into its -out-dir, in the order
// the Makefile lists them.
var Outputs = []string{"metrics.json", "README.md", "loss.svg", "accuracy.svg", "confusion.svg", "regions.svg", "gradcheck.json"}

// inputs is everything evaluate reads, loaded and checked against each
// other.
type inputs struct {
	cfg     *config.Config
	schema  *dataset.Schema
	data    *dataset.Table // raw rows
	parts   map[string]*dataset.Table
	norm    *nn.Normalizer[float32]
	model   *nn.Sequential[float32]
	history []artifact.Epoch
	folds   []artifact.Fold
	seeds   []artifact.Seed
	// seedsPath names the seeds file in errors.
	seedsPath string
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("evaluate", usage, stderr)
	cfgPath := fs.String("config", "", "experiment `file`")
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	dataPath := fs.String("data", "", "input data set `file` from ingest (raw rows)")
	normPath := fs.String("normalizer", "", "input statistics `file` from normalize")
	parts := map[string]*string{
		dataset.Train:      fs.String("train", "", "input normalised training rows `file`"),
		dataset.Validation: fs.String("validation", "", "input normalised validation rows `file`"),
		dataset.Test:       fs.String("test", "", "input normalised test rows `file`"),
	}
	netPath := fs.String("network", "", "input network `file` from train (FINF v2)")
	logPath := fs.String("log", "", "input training log `file` from train")
	foldsPath := fs.String("folds", "", "input cross-validation `file` from train")
	seedsPath := fs.String("seeds", "", "input results across training seeds `file` from train")
	outDir := fs.String("out-dir", "", "output `folder` for the report files")
	err := stage.Parse(fs, args, "config", "schema", "data", "normalizer", "train", "validation", "test",
		"network", "log", "folds", "seeds", "out-dir")
	if err != nil {
		return err
	}
	in := inputs{parts: map[string]*dataset.Table{}}
	if in.cfg, err = stage.LoadConfig(*cfgPath); err != nil {
		return err
	}
	if in.schema, err = dataset.ReadSchema(*schemaPath); err != nil {
		return err
	}
	features, classes := in.schema.FeatureNames(), len(in.schema.Classes)
	if in.data, err = in.schema.ReadTable(*dataPath); err != nil {
		return err
	}
	for _, name := range dataset.Partitions {
		if in.parts[name], err = in.schema.ReadTable(*parts[name]); err != nil {
			return err
		}
	}
	stats, err := dataset.ReadNormalizer(*normPath, features)
	if err != nil {
		return err
	}
	mean, std := stats.MeanStd()
	in.norm = &nn.Normalizer[float32]{Mean: mean, Std: std}
	if err := checkNormalized(&in, *normPath, parts); err != nil {
		return err
	}
	if in.model, err = artifact.ReadNetwork(*netPath, len(features), classes); err != nil {
		return err
	}
	if in.history, err = artifact.ReadLog(*logPath); err != nil {
		return err
	}
	if in.folds, err = artifact.ReadFolds(*foldsPath); err != nil {
		return err
	}
	if in.seeds, err = artifact.ReadSeeds(*seedsPath); err != nil {
		return err
	}
	in.seedsPath = *seedsPath

	files, m, err := evaluate(&in, *netPath)
	if err != nil {
		return err
	}
	out := make([]artifact.File, len(files))
	for i, f := range files {
		out[i] = artifact.File{Path: filepath.Join(*outDir, f.name), Write: f.write}
	}
	if err := artifact.WriteFiles(out...); err != nil {
		return err
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("evaluated", "experiment", in.cfg.Name,
		"test_accuracy", m.Accuracy.Test.String(), "all_accuracy", m.Accuracy.All.String(),
		"macro_f1", m.Test.MacroF1.String(), "model_bytes", m.ModelBytes, "out", *outDir)
	return nil
}

// output is one report file: its name in the output folder and its writer.
type output struct {
	name  string
	write func(w io.Writer) error
}

// evaluate computes everything the report holds and returns the files in
// the order of Outputs, and the metrics.
func evaluate(in *inputs, netPath string) ([]output, *report.Metrics, error) {
	cfg, schema := in.cfg, in.schema
	classes := schema.ClassNames()
	m := &report.Metrics{
		Experiment: cfg.Name,
		Dataset:    schema.Source,
		SHA256:     schema.SHA256,
		Classes:    classes,
		Parameters: in.model.ParamCount(),
		Epochs:     len(in.history),
	}
	b, err := finf.Marshal(nn.ToFINF(in.model, in.norm))
	if err != nil {
		return nil, nil, fmt.Errorf("encode the model file: %w", err)
	}
	m.ModelBytes = len(b)

	all := &dataset.Table{Features: in.data.Features}
	for _, name := range dataset.Partitions {
		t := in.parts[name]
		all.Rows = append(all.Rows, t.Rows...)
		all.X = append(all.X, t.X...)
		all.Y = append(all.Y, t.Y...)
	}
	// In a fixed order (the partitions', then all rows), so that with
	// several bad partitions the same one is reported on every run.
	results := map[string]report.Result{}
	for _, part := range []struct {
		name string
		t    *dataset.Table
	}{{dataset.Train, in.parts[dataset.Train]}, {dataset.Validation, in.parts[dataset.Validation]},
		{dataset.Test, in.parts[dataset.Test]}, {"all", all}} {
		r, err := report.Measure(in.model, classes, part.t.X, part.t.Y)
		if err != nil {
			return nil, nil, fmt.Errorf("evaluate on the %s rows: %w", part.name, err)
		}
		results[part.name] = r
	}
	m.SetResults(results[dataset.Train], results[dataset.Validation], results[dataset.Test], results["all"])
	if len(in.folds) > 0 {
		runs := make([]report.Run, len(in.folds))
		for i, f := range in.folds {
			runs[i] = report.Run{Name: fmt.Sprintf("fold %d", f.Fold), Accuracy: report.Float(f.Accuracy),
				LogLoss: report.Float(f.LogLoss), MacroF1: report.Float(f.MacroF1)}
		}
		if m.Repeats, err = report.NewRepeats("folds", runs); err != nil {
			return nil, nil, err
		}
	}
	if err := checkSeeds(in, results[dataset.Test]); err != nil {
		return nil, nil, err
	}
	if len(in.seeds) > 0 {
		runs := make([]report.Run, len(in.seeds))
		for i, s := range in.seeds {
			runs[i] = report.Run{Name: fmt.Sprintf("seed %d", s.Repeat), Accuracy: report.Float(s.Accuracy),
				LogLoss: report.Float(s.LogLoss), MacroF1: report.Float(s.MacroF1)}
		}
		runs[0].Name += " (main network)"
		if m.Repeats, err = report.NewRepeats("seeds", runs); err != nil {
			return nil, nil, err
		}
	}

	checks, err := gradChecks(in, netPath)
	if err != nil {
		return nil, nil, err
	}
	regions, err := regionsPlot(in)
	if err != nil {
		return nil, nil, err
	}
	history := make([]report.Epoch, len(in.history))
	for i, e := range in.history {
		history[i] = report.Epoch{Epoch: e.Epoch, TrainLoss: float64(e.TrainLoss), TrainAccuracy: float64(e.TrainAccuracy),
			ValLoss: float64(e.ValLoss), ValAccuracy: float64(e.ValAccuracy)}
	}

	features := make([]string, len(schema.Features))
	for i, f := range schema.Features {
		features[i] = f.Name
		if f.Unit != "" {
			features[i] += " (" + f.Unit + ")"
		}
	}
	var regionsTitle string
	if regions.Y != report.Probability {
		regionsTitle = fmt.Sprintf("Decision regions over %s and %s, all %d rows on top; the other features are held "+
			"at their training means, so a point whose other features are far from them can sit in another class's region",
			schema.Features[regions.X].Name, schema.Features[regions.Y].Name, in.data.Len())
	} else {
		regionsTitle = fmt.Sprintf("Decision regions over %s: the predicted class as coloured bands, "+
			"each class's probability as a curve, all %d rows below in one lane per class",
			schema.Features[regions.X].Name, in.data.Len())
		if len(schema.Features) > 1 {
			regionsTitle += "; the other features are held at their training means, " +
				"so a point whose other features are far from them can sit in another class's band"
		}
	}
	page := &report.Page{
		Description: cfg.Description,
		Settings:    report.Flatten(cfg),
		Features:    features,
		Metrics:     m,
		Figures: []report.Figure{
			{Title: "Loss per epoch, train and validation rows", Path: "loss.svg"},
			{Title: "Accuracy per epoch, train and validation rows", Path: "accuracy.svg"},
			{Title: "Confusion matrix, test rows", Path: "confusion.svg"},
			{Title: regionsTitle, Path: "regions.svg"},
		},
		GradChecks:    checks.page(),
		GradCheckNote: checks.note(),
	}
	// Every plot's content is drawn here, before anything is written, so
	// an error leaves no file behind.
	files := []output{
		{"metrics.json", func(w io.Writer) error { return report.WriteMetrics(w, m) }},
		{"README.md", func(w io.Writer) error { return report.WritePage(w, page) }},
		{"loss.svg", func(w io.Writer) error {
			return report.PlotLoss(w, "Loss per epoch, "+cfg.Name, history)
		}},
		{"accuracy.svg", func(w io.Writer) error {
			return report.PlotAccuracy(w, "Accuracy per epoch, "+cfg.Name, history)
		}},
		{"confusion.svg", func(w io.Writer) error {
			return report.PlotConfusion(w, fmt.Sprintf("Confusion matrix, %s, %d test rows", cfg.Name, m.Rows.Test),
				classes, m.Test.Confusion)
		}},
		{"regions.svg", func(w io.Writer) error { return report.PlotRegions(w, regions) }},
		{"gradcheck.json", func(w io.Writer) error { return artifact.WriteJSON(w, checks.file()) }},
	}
	return files, m, nil
}

// checkSeeds returns an error unless the seeds file holds what the train
// stage writes for this experiment and this network: one row per network
// of training.repeats (none for a single network), each with its seed
// from the experiment, and as repeat 0 the main network's result on the
// test rows, bit for bit.
func checkSeeds(in *inputs, test report.Result) error {
	n := in.cfg.Training.Repeats
	if n < 2 {
		n = 0
	}
	if n > 0 && len(in.folds) > 0 {
		return fmt.Errorf("%s: training.repeats = %d, but the folds file has %d folds; "+
			"the report gives the spread across folds or across seeds, not both", in.cfg.File, n, len(in.folds))
	}
	if len(in.seeds) != n {
		return fmt.Errorf("%s has %d rows, but %s sets training.repeats = %d (%d rows); were they written by the same train run?",
			in.seedsPath, len(in.seeds), in.cfg.File, in.cfg.Training.Repeats, n)
	}
	for i, s := range in.seeds {
		if want := in.cfg.RepeatSeed(i); s.Seed != want {
			return fmt.Errorf("%s:%d: seed is %d, but %s gives repeat %d the seed %d; were they written by the same train run?",
				in.seedsPath, i+2, s.Seed, in.cfg.File, i, want)
		}
	}
	if n == 0 {
		return nil
	}
	s := in.seeds[0]
	for _, v := range []struct {
		name      string
		got, want float64
	}{{"accuracy", float64(s.Accuracy), test.Accuracy}, {"log_loss", float64(s.LogLoss), test.LogLoss},
		{"macro_f1", float64(s.MacroF1), float64(test.Scores.MacroF1)}} {
		if math.Float64bits(v.got) != math.Float64bits(v.want) {
			return fmt.Errorf("%s:2: the main network's test %s is %s, but the network measures %s; "+
				"were they written by the same train run?", in.seedsPath, v.name, report.Float(v.got), report.Float(v.want))
		}
	}
	return nil
}

// checkNormalized returns an error unless every partition row is the
// normaliser applied to the same row of the raw data, bit for bit, with
// the same label: a normaliser or a partition from another run (or
// another experiment) would make the region plot and the model size
// describe a different model from the one measured.
func checkNormalized(in *inputs, normPath string, paths map[string]*string) error {
	w := len(in.data.Features)
	z := make([]float32, w)
	for _, name := range dataset.Partitions {
		t := in.parts[name]
		for i, row := range t.Rows {
			if row >= in.data.Len() || in.data.Rows[row] != row {
				return fmt.Errorf("%s: row %d is not a row of the data set (%d rows)", *paths[name], row, in.data.Len())
			}
			if t.Y[i] != in.data.Y[row] {
				return fmt.Errorf("%s: row %d has class %d; the data set says %d", *paths[name], row, t.Y[i], in.data.Y[row])
			}
			if err := in.norm.Transform(z, in.data.Row(row)); err != nil {
				return err
			}
			got := t.Row(i)
			for j := range z {
				if math.Float32bits(z[j]) != math.Float32bits(got[j]) {
					return fmt.Errorf("%s does not match %s: row %d, %s normalises to %v but the partition holds %v; "+
						"were they written by the same normalize run?", normPath, *paths[name], row, in.data.Features[j], z[j], got[j])
				}
			}
		}
	}
	return nil
}

// regionsPlot returns the decision-region plot of the trained network:
// over the features named by report.regions, or the two with the largest
// one-way ANOVA F on the training rows, with every raw row on top; a
// one-dimensional plot over the one feature report.regions names, or
// the only feature of the data set.
func regionsPlot(in *inputs) (report.Regions, error) {
	names := in.schema.FeatureNames()
	axes, err := in.cfg.RegionFeatures(names)
	if err != nil {
		return report.Regions{}, err
	}
	switch {
	case len(axes) == 1:
		axes = append(axes, report.Probability)
	case len(axes) == 2:
	case len(names) == 1:
		axes = []int{0, report.Probability}
	default:
		best := separating(in.parts[dataset.Train], len(in.schema.Classes))
		axes = best[:]
	}
	grid := regionsGrid
	if axes[1] == report.Probability {
		grid = regionsGrid1D
	}
	pred, err := nn.NewPredictor(in.model, in.norm)
	if err != nil {
		return report.Regions{}, err
	}
	units := make([]string, len(names))
	for i, f := range in.schema.Features {
		units[i] = f.Unit
	}
	return report.Regions{
		Features: names,
		Units:    units,
		Classes:  in.schema.ClassNames(),
		X:        axes[0],
		Y:        axes[1],
		Fixed:    in.norm.Mean,
		Points:   in.data.X,
		Labels:   in.data.Y,
		Predict:  pred.Predict,
		Grid:     grid,
	}, nil
}

// regionsGrid is the decision-region plot's cells per axis: fine enough
// for smooth boundaries, small enough to keep the SVG and the run short.
// A one-dimensional plot predicts only twice per cell, so it affords
// finer cells, which also make its probability curves smooth.
const (
	regionsGrid   = 120
	regionsGrid1D = 400
)

// separating returns the indices, in feature order, of the two features
// of t (which has at least two) with the largest one-way ANOVA F statistic across the classes
//
//	F = [sum_c n_c (mean_c - mean)^2 / (k - 1)] / [sum_c sum_i (x_i - mean_c)^2 / (n - k)]
//
// (the first on a tie). A feature constant within every class but not
// across them separates perfectly (F is infinite); a constant feature has
// F 0. F does not change under the z-score, so normalised rows do.
func separating(t *dataset.Table, classes int) [2]int {
	w := len(t.Features)
	f := make([]float64, w)
	n := float64(t.Len())
	count := make([]float64, classes)
	for _, y := range t.Y {
		count[y]++
	}
	sum := make([]float64, classes)
	for j := range w {
		clear(sum)
		var total float64
		for i, y := range t.Y {
			v := float64(t.X[i*w+j])
			sum[y] += v
			total += v
		}
		mean := total / n
		var between, within float64
		for c := range classes {
			if count[c] == 0 {
				continue
			}
			d := sum[c]/count[c] - mean
			between += float64(count[c] * float64(d*d))
		}
		for i, y := range t.Y {
			d := float64(t.X[i*w+j]) - sum[y]/count[y]
			within += float64(d * d)
		}
		dfB, dfW := float64(classes-1), n-float64(classes)
		switch {
		case between == 0:
			f[j] = 0
		case within == 0 || dfW <= 0:
			f[j] = math.Inf(1)
		default:
			f[j] = (between / dfB) / (within / dfW)
		}
	}
	best := [2]int{0, 1}
	if f[1] > f[0] {
		best = [2]int{1, 0}
	}
	for j := 2; j < w; j++ {
		switch {
		case f[j] > f[best[0]]:
			best = [2]int{j, best[0]}
		case f[j] > f[best[1]]:
			best[1] = j
		}
	}
	if best[0] > best[1] {
		best[0], best[1] = best[1], best[0]
	}
	return best
}
