package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/ferrum-ml/ferrum/nn/blobs"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: blobs -o FILE [-rows N] [-cols N] [-classes N] [-seed N]

Blobs writes a synthetic classification data set, Gaussian blobs as
scikit-learn's make_blobs draws them, with the project's xorshift64*
generator, so the file is the same bytes on every machine (the values
of package nn/blobs):

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

// generate writes the data set c describes to w: the values of
// blobs.Make, each as the shortest text of its float32, after a header row.
func generate(w io.Writer, c config) error {
	x, y := blobs.Make(c.seed, c.rows, c.cols, c.classes)
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
	for i, label := range y {
		line = line[:0]
		for _, v := range x[i*c.cols : (i+1)*c.cols] {
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
