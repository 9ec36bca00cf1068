package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: blobs -o FILE [-rows N] [-cols N] [-classes N] [-seed N]

Blobs writes a synthetic classification data set, Gaussian blobs as
scikit-learn's make_blobs draws them, with the project's xorshift64*
generator, so the file is the same bytes on every machine:

  - one centre per class, each coordinate uniform in [-10, 10);
  - per row, a label uniform over the classes, then each feature its
    class centre plus a standard normal (Box-Muller), rounded to four
    decimals and written as the shortest text of that float32.

The file has a header row (f0, f1, ..., label) and the class index in
the last column. The defaults make issue 7's benchmark file: 200,000 rows
of 64 features and 10 classes, about 107 MB.

Examples:
  blobs -o data/processed/blobs.csv
  blobs -o /tmp/small.csv -rows 1000 -seed 7
`

// config is what the command line chose.
type config struct {
	out                 string
	rows, cols, classes int
	seed                uint64
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("blobs", usage, stderr)
	var c config
	fs.StringVar(&c.out, "o", "", "output CSV `file` (written atomically)")
	fs.IntVar(&c.rows, "rows", 200000, "number of rows, at least 1")
	fs.IntVar(&c.cols, "cols", 64, "number of features, at least 1")
	fs.IntVar(&c.classes, "classes", 10, "number of classes (blobs), at least 1")
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the xorshift64* generator")
	if err := stage.Parse(fs, args, "o"); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"rows", c.rows}, {"cols", c.cols}, {"classes", c.classes}} {
		if f.v < 1 {
			return stage.Usagef("-%s %d: must be at least 1", f.name, f.v)
		}
	}
	log := stage.Logger(stderr, stage.Verbose(fs))
	if err := artifact.WriteFile(c.out, func(w io.Writer) error { return generate(w, c) }); err != nil {
		return fmt.Errorf("write %s: %w", c.out, err)
	}
	log.Info("wrote", "file", c.out, "rows", c.rows, "cols", c.cols, "classes", c.classes, "seed", c.seed)
	return nil
}

// generate writes the data set c describes to w. The order of draws is
// part of the format: the centres, row by row, then for each row its label
// and its features in order.
func generate(w io.Writer, c config) error {
	r := rng.New(c.seed)
	centers := make([]float64, c.classes*c.cols)
	for i := range centers {
		// The conversion keeps the product rounded on its own (no FMA).
		centers[i] = -10 + float64(20*r.Float64())
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	line := make([]byte, 0, 16*(c.cols+1))
	for f := 0; f < c.cols; f++ {
		line = append(line, 'f')
		line = strconv.AppendInt(line, int64(f), 10)
		line = append(line, ',')
	}
	line = append(line, "label\n"...)
	if _, err := bw.Write(line); err != nil {
		return err
	}
	for i := 0; i < c.rows; i++ {
		label := r.Intn(c.classes)
		center := centers[label*c.cols : (label+1)*c.cols]
		line = line[:0]
		for _, m := range center {
			v := float32(math.Round((m+r.Normal())*1e4) / 1e4)
			line = strconv.AppendFloat(line, float64(v), 'g', -1, 32)
			line = append(line, ',')
		}
		line = strconv.AppendInt(line, int64(label), 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
