package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: report -out README.md (-config EXPERIMENT.toml -schema SCHEMA.json -metrics METRICS.json -log LOG.csv)...
       report -compare [-all] -config A.toml -metrics A/metrics.json -config B.toml -metrics B/metrics.json

Report writes the index of every experiment, README.md: one row per
experiment (data set, architecture, optimiser, key settings, parameter
count, test accuracy and test log loss, with their spread across seeds
where the experiment repeats training, cross-validation accuracy across
folds where it has folds, macro F1, model bytes), grouped by data set with
the best of each marked, and
below it one plot per data set overlaying the validation loss per epoch of
its experiments, compare_DATASET.svg beside README.md (DATASET is the raw
file's name without its extension). Give -config, -schema, -metrics and -log
once per experiment, in the same order; the experiment's page is linked as
NAME/README.md. All files are written together or not at all.

With -compare, report prints the settings and the metrics of exactly two
experiments side by side instead, a "*" marking each setting that differs
and the change B - A beside each metric; only the differences unless -all.
It writes no file.

Examples:
  report -out reports/README.md \
    -config experiments/baseline.toml -schema data/processed/baseline/schema.json \
    -metrics reports/baseline/metrics.json -log artifacts/baseline/train_log.csv \
    -config experiments/wine.toml -schema data/processed/wine/schema.json \
    -metrics reports/wine/metrics.json -log artifacts/wine/train_log.csv
  report -compare -config experiments/baseline.toml -metrics reports/baseline/metrics.json \
    -config experiments/iris_adam.toml -metrics reports/iris_adam/metrics.json
`

// paths is a flag that may be given several times.
type paths []string

func (p *paths) String() string     { return strings.Join(*p, ",") }
func (p *paths) Set(s string) error { *p = append(*p, s); return nil }

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("report", usage, stderr)
	var configs, schemas, metrics, logs paths
	fs.Var(&configs, "config", "experiment `file` (once per experiment)")
	fs.Var(&schemas, "schema", "input schema `file` from ingest (once per experiment)")
	fs.Var(&metrics, "metrics", "input metrics `file` from evaluate (once per experiment)")
	fs.Var(&logs, "log", "input training log `file` from train (once per experiment)")
	out := fs.String("out", "", "output index `file` (Markdown); the plots go beside it")
	compare := fs.Bool("compare", false, "print two experiments side by side instead")
	all := fs.Bool("all", false, "with -compare, print every setting and metric, not only the differences")
	if err := stage.Parse(fs, args); err != nil {
		return err
	}
	if *compare {
		if len(configs) != 2 || len(metrics) != 2 || len(schemas) != 0 || len(logs) != 0 || *out != "" {
			return stage.Usagef("-compare takes exactly two -config and two -metrics, and no -schema, -log or -out")
		}
		return comparison(stdout, configs, metrics, *all)
	}
	if *all {
		return stage.Usagef("-all applies only with -compare")
	}
	if *out == "" {
		return stage.Usagef("missing -out")
	}
	n := len(configs)
	if n == 0 || len(schemas) != n || len(metrics) != n || len(logs) != n {
		return stage.Usagef("give -config, -schema, -metrics and -log once per experiment: got %d, %d, %d and %d",
			len(configs), len(schemas), len(metrics), len(logs))
	}
	files, err := index(filepath.Dir(*out), *out, configs, schemas, metrics, logs)
	if err != nil {
		return err
	}
	if err := artifact.WriteFiles(files...); err != nil {
		return err
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("indexed", "experiments", n, "plots", len(files)-1, "out", *out)
	return nil
}

// comparison prints report.Compare of the two experiments.
func comparison(w io.Writer, configs, metrics []string, all bool) error {
	var sides [2]report.Side
	for i := range sides {
		cfg, err := stage.LoadConfig(configs[i])
		if err != nil {
			return err
		}
		m, err := report.ReadMetrics(metrics[i])
		if err != nil {
			return err
		}
		if m.Experiment != cfg.Name {
			return fmt.Errorf("%s is experiment %q's, not %q's", metrics[i], m.Experiment, cfg.Name)
		}
		sides[i] = report.Side{Name: cfg.Name, Settings: report.Flatten(cfg), Metrics: m}
	}
	return report.Compare(w, sides[0], sides[1], all)
}

// experiment is one experiment's inputs to the index.
type experiment struct {
	cfg     *config.Config
	metrics *report.Metrics
	history []report.Epoch
	summary report.Summary
}

// index returns the index file and one comparison plot per data set.
func index(dir, out string, configs, schemas, metrics, logs []string) ([]artifact.File, error) {
	var exps []experiment
	seen := map[string]string{}
	for i := range configs {
		cfg, err := stage.LoadConfig(configs[i])
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[cfg.Name]; ok {
			return nil, stage.Usagef("%s and %s are both experiment %q", prev, configs[i], cfg.Name)
		}
		seen[cfg.Name] = configs[i]
		schema, err := dataset.ReadSchema(schemas[i])
		if err != nil {
			return nil, err
		}
		m, err := report.ReadMetrics(metrics[i])
		if err != nil {
			return nil, err
		}
		if m.Experiment != cfg.Name {
			return nil, fmt.Errorf("%s is experiment %q's, not %q's", metrics[i], m.Experiment, cfg.Name)
		}
		log, err := artifact.ReadLog(logs[i])
		if err != nil {
			return nil, err
		}
		h := make([]report.Epoch, len(log))
		for j, e := range log {
			h[j] = report.Epoch{Epoch: e.Epoch, TrainLoss: float64(e.TrainLoss), TrainAccuracy: float64(e.TrainAccuracy),
				ValLoss: float64(e.ValLoss), ValAccuracy: float64(e.ValAccuracy)}
		}
		s := m.Summary()
		s.Architecture = report.Architecture(len(schema.Features), cfg.Model.Hidden, len(schema.Classes), cfg.Model.Activation)
		s.Optimizer = optimizer(cfg)
		s.Settings = settings(cfg)
		s.Page = cfg.Name + "/README.md"
		exps = append(exps, experiment{cfg: cfg, metrics: m, history: h, summary: s})
	}
	slices.SortFunc(exps, func(a, b experiment) int {
		return cmp.Or(strings.Compare(a.metrics.Dataset, b.metrics.Dataset), strings.Compare(a.cfg.Name, b.cfg.Name))
	})

	ix := report.Index{}
	var files []artifact.File
	for i := 0; i < len(exps); {
		ds := exps[i].metrics.Dataset
		var curves []report.Curve
		for ; i < len(exps) && exps[i].metrics.Dataset == ds; i++ {
			ix.Summaries = append(ix.Summaries, exps[i].summary)
			curves = append(curves, report.Curve{Experiment: exps[i].cfg.Name, History: exps[i].history})
		}
		name := "compare_" + strings.TrimSuffix(ds, filepath.Ext(ds)) + ".svg"
		ix.Figures = append(ix.Figures, report.Figure{Title: "Validation loss per epoch, " + ds, Path: name})
		files = append(files, artifact.File{Path: filepath.Join(dir, name), Write: func(w io.Writer) error {
			return report.PlotComparison(w, ds, curves)
		}})
	}
	return append([]artifact.File{{Path: out, Write: func(w io.Writer) error { return report.WriteIndex(w, ix) }}}, files...), nil
}

// optimizer returns the optimiser and its settings, e.g.
// "sgd lr 0.05 momentum 0.9".
func optimizer(cfg *config.Config) string {
	o := cfg.Optimizer
	s := o.Name + " lr " + num(o.LR)
	if o.Name == "sgd" {
		s += " momentum " + num(o.Momentum)
	}
	if o.WeightDecay != 0 {
		s += " weight decay " + num(o.WeightDecay)
	}
	return s
}

// settings returns the other key settings, e.g. "200 epochs, batch 16,
// seed 1, 5 folds" or "200 epochs, batch 16, seed 1, 10 seeds".
func settings(cfg *config.Config) string {
	s := fmt.Sprintf("%d epochs, batch %d, seed %d", cfg.Training.Epochs, cfg.Training.BatchSize, cfg.Seed)
	if cfg.Split.Folds > 0 {
		s += fmt.Sprintf(", %d folds", cfg.Split.Folds)
	}
	if cfg.Training.Repeats > 1 {
		s += fmt.Sprintf(", %d seeds", cfg.Training.Repeats)
	}
	return s
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
