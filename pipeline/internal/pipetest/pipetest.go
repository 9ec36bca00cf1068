// Package pipetest builds small, valid stage inputs in a temporary folder
// so that each stage's tests can break exactly one of them, and runs a
// stage's run function the way main does.
package pipetest

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
	"github.com/stretchr/testify/require"
)

// Columns are the fixture's raw columns; the last is the label.
var Columns = []string{"length", "width", "kind"}

// Classes are the fixture's classes.
var Classes = []string{"a", "b", "c"}

// RawCSV returns a headerless raw file of 10 rows per class, LF line ends,
// with a trailing blank line like iris.data.
func RawCSV() string { return rawCSV(2) }

// RawCSVOneFeature returns RawCSV without its width column: the columns
// are length and kind.
func RawCSVOneFeature() string { return rawCSV(1) }

// rawCSV returns the raw file with the first features of length and
// width.
func rawCSV(features int) string {
	var b strings.Builder
	for c, name := range Classes {
		for i := range 10 {
			fmt.Fprintf(&b, "%d.%d,", 1+2*c, i)
			if features > 1 {
				fmt.Fprintf(&b, "%d.%d,", 3-c, 9-i)
			}
			fmt.Fprintf(&b, "%s\n", name)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// Experiment returns an experiment file for the fixture's raw file,
// followed by extra (TOML text appended verbatim).
func Experiment(extra string) string { return experiment(`["length", "width", "kind"]`, extra) }

// ExperimentOneFeature is Experiment for RawCSVOneFeature.
func ExperimentOneFeature(extra string) string { return experiment(`["length", "kind"]`, extra) }

func experiment(columns, extra string) string {
	return `description = "fixture"
seed = 3

[data]
path = "raw.csv"
format = "uci"
columns = ` + columns + `

[split]
train = 0.6
validation = 0.2
test = 0.2

[model]
hidden = [4]

[optimizer]
lr = 0.1

[training]
epochs = 3
batch_size = 4
` + extra
}

// Fix holds the paths of a complete set of stage files.
type Fix struct {
	Dir                                 string
	Config, Raw                         string
	Data, Schema, Split                 string
	Normalizer, Train, Validation, Test string
	Network, Log, Folds, Model, Metrics string
	Seeds                               string
}

// New writes the raw file, the experiment and every stage's output for
// them into a new temporary folder, built with the library packages (not
// the stages under test).
func New(t *testing.T) *Fix {
	t.Helper()
	return build(t, 2)
}

// NewOneFeature is New for the one-feature data set of RawCSVOneFeature
// and ExperimentOneFeature: the same rows without the width column, and a
// 1-4-3 network.
func NewOneFeature(t *testing.T) *Fix {
	t.Helper()
	return build(t, 1)
}

// build is New with the first features of length and width.
func build(t *testing.T, width int) *Fix {
	t.Helper()
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	f := &Fix{Dir: dir, Config: p("exp.toml"), Raw: p("raw.csv"), Data: p("data.csv"), Schema: p("schema.json"),
		Split: p("split.csv"), Normalizer: p("normalizer.json"), Train: p("train.csv"),
		Validation: p("validation.csv"), Test: p("test.csv"), Network: p("network.finf"), Log: p("train_log.csv"),
		Folds: p("folds.csv"), Seeds: p("seeds.csv"), Model: p("model.finf"), Metrics: p("metrics.json")}
	Write(t, f.Raw, rawCSV(width))
	if width == 1 {
		Write(t, f.Config, ExperimentOneFeature(""))
	} else {
		Write(t, f.Config, Experiment(""))
	}

	features := Columns[:width]
	data := &dataset.Table{Features: features}
	schema := dataset.Schema{Source: "raw.csv", SHA256: strings.Repeat("0", 64), Format: "uci", Label: "kind", Rows: 30,
		Features: []dataset.Feature{{Name: "length", Column: 0, Min: 1, Max: 5.9}, {Name: "width", Column: 1, Min: 1, Max: 3.9}}[:width]}
	for c, name := range Classes {
		schema.Classes = append(schema.Classes, dataset.Class{Name: name, Count: 10})
		for i := range 10 {
			data.Rows = append(data.Rows, len(data.Rows))
			data.X = append(data.X, float32(1+2*c)+float32(i)/10)
			if width > 1 {
				data.X = append(data.X, float32(3-c)+float32(9-i)/10)
			}
			data.Y = append(data.Y, c)
		}
	}
	// Rows 0-1 of each class test, 2-3 validation, the rest train.
	var members []dataset.Member
	parts := map[string][]int{}
	for i := range 30 {
		m := dataset.Member{Row: i, Partition: dataset.Train, Fold: -1}
		switch i % 10 {
		case 0, 1:
			m.Partition = dataset.Test
		case 2, 3:
			m.Partition = dataset.Validation
		}
		members = append(members, m)
		parts[m.Partition] = append(parts[m.Partition], i)
	}
	train := data.Select(parts[dataset.Train])
	norm, err := nn.FitNormalizer(train.X, train.Len(), width)
	require.NoError(t, err)
	files := []artifact.File{
		{Path: f.Data, Write: func(w io.Writer) error { return dataset.WriteTable(w, data) }},
		{Path: f.Schema, Write: func(w io.Writer) error { return artifact.WriteJSON(w, &schema) }},
		{Path: f.Split, Write: func(w io.Writer) error { return artifact.WriteRecords(w, members) }},
		{Path: f.Normalizer, Write: func(w io.Writer) error {
			return artifact.WriteJSON(w, dataset.NewNormalizer(features, norm.Mean, norm.Std))
		}},
	}
	for name, path := range map[string]string{dataset.Train: f.Train, dataset.Validation: f.Validation, dataset.Test: f.Test} {
		part := data.Select(parts[name])
		require.NoError(t, norm.Transform(part.X, part.X))
		files = append(files, artifact.File{Path: path, Write: func(w io.Writer) error { return dataset.WriteTable(w, part) }})
	}
	model, err := nn.NewMLP[float32]([]int{width, 4, 3}, nn.ReLU, rng.New(1))
	require.NoError(t, err)
	net, err := finf.Marshal(nn.ToFINF(model, nil))
	require.NoError(t, err)
	files = append(files,
		artifact.File{Path: f.Network, Write: func(w io.Writer) error { _, err := w.Write(net); return err }},
		artifact.File{Path: f.Log, Write: func(w io.Writer) error {
			return artifact.WriteRecords(w, []artifact.Epoch{{Epoch: 1, TrainLoss: 1, TrainAccuracy: 0.5, ValLoss: 1, ValAccuracy: 0.5}})
		}},
		artifact.File{Path: f.Folds, Write: func(w io.Writer) error {
			_, err := io.WriteString(w, strings.Join(artifact.FoldHeader, ",")+"\n")
			return err
		}},
		artifact.File{Path: f.Seeds, Write: func(w io.Writer) error { return artifact.WriteSeeds(w, nil) }})
	require.NoError(t, artifact.WriteFiles(files...))
	return f
}

// Write writes text to path, creating or replacing it.
func Write(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

// Result is what a stage run returned.
type Result struct {
	Err    error
	Code   int    // the exit status main would use
	Stderr string // what the stage wrote to stderr
}

// Run calls a stage's run function with args and returns its result.
func Run(run func(args []string, stdout, stderr io.Writer) error, args ...string) Result {
	var stdout, stderr bytes.Buffer
	err := run(args, &stdout, &stderr)
	return Result{Err: err, Code: stage.ExitCode(err), Stderr: stderr.String()}
}

// NoFile fails the test if any of paths exists, or if dir or any folder
// below it (such as a fixture's out/) holds a leftover temporary file.
func NoFile(t *testing.T, dir string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		_, err := os.Stat(p)
		require.ErrorIs(t, err, os.ErrNotExist, "%s was left behind", p)
	}
	left, err := temporaries(dir)
	require.NoError(t, err)
	require.Empty(t, left, "temporary files were left behind")
}

// temporaries returns the paths of the files and folders under dir, at
// any depth, whose names end in ".tmp" (artifact's temporary files), in
// lexical order.
func temporaries(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && strings.HasSuffix(d.Name(), ".tmp") {
			out = append(out, path)
		}
		return nil
	})
	return out, err
}
