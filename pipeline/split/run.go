package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: split -config EXPERIMENT.toml -schema SCHEMA.json -data DATA.csv -out SPLIT.csv

Split assigns every row of the data set to the train, validation or test
partition in the fractions of the experiment's [split] section, separately
for each class, so every partition has the class mix of the whole. Within a
class the rows are shuffled with the xorshift64* generator seeded with the
experiment's seed; then the first round(n*test) rows go to test, the next
round(n*validation) to validation and the rest to train. With split.folds =
k, the train and validation rows of each class are dealt in turn into k
folds for cross-validation; test rows never join a fold.

A class left with no training rows is an error, as is an empty validation
or test partition. With folds, so is a class with a single row outside
the test partition (dealt into fold 0, it would leave fold 0's network
without a row of the class to train on), and an empty fold: more folds
than the largest class has rows outside the test partition.

Example:
  split -config experiments/baseline.toml \
    -schema data/processed/baseline/schema.json \
    -data data/processed/baseline/data.csv \
    -out data/processed/baseline/split.csv
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("split", usage, stderr)
	cfgPath := fs.String("config", "", "experiment `file`")
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	dataPath := fs.String("data", "", "input data set `file` from ingest")
	out := fs.String("out", "", "output split `file` (CSV)")
	if err := stage.Parse(fs, args, "config", "schema", "data", "out"); err != nil {
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
	data, err := schema.ReadTable(*dataPath)
	if err != nil {
		return err
	}
	members, err := assign(data.Y, schema.ClassNames(), cfg.Split, uint64(cfg.Seed))
	if err != nil {
		loc := cfg.File
		var se *splitError
		if errors.As(err, &se) {
			if line := cfg.Line(strings.Split(se.Key, ",")[0]); line > 0 {
				loc += ":" + strconv.Itoa(line)
			}
		}
		return fmt.Errorf("%s: %w", loc, err)
	}
	if err := artifact.WriteFile(*out, func(w io.Writer) error { return artifact.WriteRecords(w, members) }); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, m := range members {
		counts[m.Partition]++
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("split", "experiment", cfg.Name, "train", counts[dataset.Train],
		"validation", counts[dataset.Validation], "test", counts[dataset.Test], "folds", cfg.Split.Folds)
	return nil
}

// assign returns one Member per row of labels (class indices into
// classes); see the usage text for the rule. Its errors start with the
// [split] key they are about, e.g. "split.folds: class ...".
// splitError is a [split] setting that does not fit the data set: Key names
// the setting (or two, comma separated), Msg says why.
type splitError struct {
	Key, Msg string
}

func (e *splitError) Error() string { return e.Key + ": " + e.Msg }

func assign(labels []int, classes []string, s config.Split, seed uint64) ([]dataset.Member, error) {
	members := make([]dataset.Member, len(labels))
	byClass := make([][]int, len(classes))
	for i, y := range labels {
		byClass[y] = append(byClass[y], i)
		members[i] = dataset.Member{Row: i, Fold: -1}
	}
	r := rng.New(seed)
	var nVal, nTest, maxFold int
	for c, rows := range byClass {
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		n := len(rows)
		test := int(math.Round(float64(n) * s.Test))
		val := int(math.Round(float64(n) * s.Validation))
		if n-test-val < 1 {
			return nil, &splitError{Key: "split.test, split.validation", Msg: fmt.Sprintf("class %q has %d rows, and test %d + validation %d "+
				"leave none for training; lower split.test or split.validation, or add rows", classes[c], n, test, val)}
		}
		// Rows k >= test are dealt in turn into folds 0, 1, ..., so a
		// class's rows outside the test partition sit in folds 0 to
		// min(n-test, folds)-1. Leaving out one fold leaves the class
		// without a training row only when all of them are in that fold:
		// when it has just one.
		if s.Folds > 0 && n-test < 2 {
			return nil, &splitError{Key: "split.folds", Msg: fmt.Sprintf("class %q has %d rows, %d of them test, leaving %d (%d train, %d validation) "+
				"to deal into the %d folds; the network trained without fold 0 would never see the class. "+
				"Every class needs at least 2 rows outside the test partition: lower split.test, add rows, "+
				"or leave split.folds out", classes[c], n, test, n-test, n-test-val, val, s.Folds)}
		}
		for k, row := range rows {
			m := &members[row]
			switch {
			case k < test:
				m.Partition = dataset.Test
			case k < test+val:
				m.Partition = dataset.Validation
			default:
				m.Partition = dataset.Train
			}
			if s.Folds > 0 && k >= test {
				m.Fold = (k - test) % s.Folds
			}
		}
		nTest += test
		nVal += val
		maxFold = max(maxFold, n-test)
	}
	switch {
	case nTest == 0:
		return nil, &splitError{Key: "split.test", Msg: fmt.Sprintf("%v leaves the test partition empty", s.Test)}
	case nVal == 0:
		return nil, &splitError{Key: "split.validation", Msg: fmt.Sprintf("%v leaves the validation partition empty", s.Validation)}
	case s.Folds > maxFold:
		// Every class is dealt from fold 0, so fold j has rows only if
		// some class has more than j rows outside the test partition.
		empty := fmt.Sprintf("folds %d to %d would be empty", maxFold, s.Folds-1)
		if maxFold == s.Folds-1 {
			empty = fmt.Sprintf("fold %d would be empty", maxFold)
		}
		return nil, &splitError{Key: "split.folds", Msg: fmt.Sprintf("%d folds, but no class has more than %d rows outside the test partition, "+
			"and each class is dealt into the folds from fold 0, so %s", s.Folds, maxFold, empty)}
	}
	return members, nil
}
