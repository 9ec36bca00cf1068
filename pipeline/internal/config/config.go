// Package config loads and validates an experiment file: one TOML file in
// experiments/ that names the data set, the split, the network, the
// optimiser, the training schedule and the seed.
//
// Every key is optional except description and data.path (and data.columns
// for headerless files). This table is the one place the defaults live; the
// README quotes it.
//
//	description = ""            # required: one line, the question the experiment answers
//	seed        = 1             # xorshift64* seed for the split, the initial weights and the shuffles; >= 0
//
//	[data]
//	path     = ""               # required: the raw CSV file, relative to the experiment file
//	format   = "header"         # "header": the first row names the columns; "uci": no header row
//	columns  = []               # required for "uci" (one name per column); not allowed for "header"
//	label    = ""               # the label column; "" means the last column
//	classes  = []               # the allowed labels in class order; [] means every label seen, sorted
//	features = []               # the feature columns in order; [] means every column but the label
//	units    = {}               # optional unit per feature name, e.g. { petal_length = "cm" }
//
//	[split]
//	train      = 0.6            # fractions of every class; the three must sum to 1
//	validation = 0.2
//	test       = 0.2
//	folds      = 0              # 0: no folds; k >= 2: k stratified folds over the train and validation rows
//
//	[model]
//	hidden     = [32]           # hidden layer widths; [] is a linear softmax classifier
//	activation = "relu"         # "relu", "sigmoid", "tanh" or "identity"
//
//	[optimizer]
//	name         = "sgd"        # "sgd" (with momentum) or "adam"
//	lr           = 0.05         # > 0
//	momentum     = 0.9          # sgd only; in [0, 1)
//	beta1        = 0.9          # adam only; in (0, 1)
//	beta2        = 0.999        # adam only; in (0, 1)
//	eps          = 1e-8         # adam only; > 0
//	weight_decay = 0            # L2 penalty; >= 0
//
//	[training]
//	epochs     = 200            # 1 to 100000
//	batch_size = 16             # >= 1
//	repeats    = 1              # networks trained on the same split, each from its own seed, 1 to 100; with >= 2
//	                            # the report gives the test metrics' mean and spread across them (not with split.folds)
//
//	[report]
//	regions = []                # the features of the decision-region plot: two, e.g. ["petal_length", "petal_width"],
//	                            # or one for a one-dimensional plot (predicted class and probabilities along it);
//	                            # [] means the two that best separate the classes on the training rows (largest ANOVA F),
//	                            # or the only one of a one-feature data set
//
// Unknown keys, wrong types and impossible values are errors of type *Error
// that name the file, the line and the key.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is one experiment.
type Config struct {
	// File is the path the experiment was loaded from (not a TOML key).
	File string `toml:"-"`
	// Name is File's base name without ".toml": the experiment's output
	// folder name (not a TOML key).
	Name string `toml:"-"`

	Description string    `toml:"description"`
	Seed        int64     `toml:"seed"`
	Data        Data      `toml:"data"`
	Split       Split     `toml:"split"`
	Model       Model     `toml:"model"`
	Optimizer   Optimizer `toml:"optimizer"`
	Training    Training  `toml:"training"`
	Report      Report    `toml:"report"`

	// src is the file's text, for the lines of errors found after
	// loading (see RegionFeatures).
	src string
}

// Data says where the raw data set is and how to read it.
type Data struct {
	Path     string            `toml:"path"`
	Format   string            `toml:"format"`
	Columns  []string          `toml:"columns"`
	Label    string            `toml:"label"`
	Classes  []string          `toml:"classes"`
	Features []string          `toml:"features"`
	Units    map[string]string `toml:"units"`
}

// Split holds the per-class fractions of the three partitions and the
// number of folds.
type Split struct {
	Train      float64 `toml:"train"`
	Validation float64 `toml:"validation"`
	Test       float64 `toml:"test"`
	Folds      int     `toml:"folds"`
}

// Model describes the multilayer perceptron between the inputs and the
// softmax output.
type Model struct {
	Hidden     []int  `toml:"hidden"`
	Activation string `toml:"activation"`
}

// Optimizer holds the optimiser's name and hyperparameters.
type Optimizer struct {
	Name        string  `toml:"name"`
	LR          float64 `toml:"lr"`
	Momentum    float64 `toml:"momentum"`
	Beta1       float64 `toml:"beta1"`
	Beta2       float64 `toml:"beta2"`
	Eps         float64 `toml:"eps"`
	WeightDecay float64 `toml:"weight_decay"`
}

// Training holds the schedule.
type Training struct {
	Epochs    int `toml:"epochs"`
	BatchSize int `toml:"batch_size"`
	// Repeats is how many networks train trains on the same rows, the
	// first (the main network) from TrainSeed and each other from
	// RepeatSeed; see the package documentation.
	Repeats int `toml:"repeats"`
}

// Report holds what the evaluate stage's report shows.
type Report struct {
	// Regions names the two features on the axes of the decision-region
	// plot (horizontal, then vertical), or the one feature along a
	// one-dimensional plot; empty means the evaluate stage picks them.
	Regions []string `toml:"regions"`
}

// Format names.
const (
	FormatHeader = "header"
	FormatUCI    = "uci"
)

// Limits that keep a typo from asking for hours of training or gigabytes.
const (
	MaxEpochs = 100000
	MaxWidth  = 4096
	MaxFolds  = 100
	// MaxRepeats bounds training.repeats.
	MaxRepeats = 100
)

// Default returns the configuration every experiment starts from before its
// file is decoded over it; see the package documentation.
func Default() Config {
	return Config{
		Seed: 1,
		Data: Data{Format: FormatHeader},
		Split: Split{
			Train:      0.6,
			Validation: 0.2,
			Test:       0.2,
		},
		Model: Model{Hidden: []int{32}, Activation: "relu"},
		Optimizer: Optimizer{
			Name:     "sgd",
			LR:       0.05,
			Momentum: 0.9,
			Beta1:    0.9,
			Beta2:    0.999,
			Eps:      1e-8,
		},
		Training: Training{Epochs: 200, BatchSize: 16, Repeats: 1},
	}
}

// Error is a problem with an experiment file. Line is 1-based, or 0 when
// the problem has no single line (a missing key).
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
}

// Error returns "file:line: key: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Load reads, decodes and validates the experiment file at path. Problems
// with the file's contents are returned as *Error (several joined with
// errors.Join when validation finds more than one); a file that cannot be
// read is returned as the *fs.PathError.
func Load(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// Parse decodes and validates src as the experiment file named path.
func Parse(path string, src []byte) (*Config, error) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	text := string(src)
	c := Default()
	// Decoding over the defaults keeps every default the file leaves out;
	// a list the file sets replaces the default list whole, so hidden = []
	// really means no hidden layer.
	md, err := toml.Decode(text, &c)
	if err != nil {
		return nil, decodeError(path, err)
	}
	c.File = path
	c.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	c.src = text
	if keys := md.Undecoded(); len(keys) > 0 {
		var errs []error
		for _, k := range keys {
			errs = append(errs, &Error{File: path, Line: keyLine(text, k), Key: k.String(),
				Msg: "unknown key" + suggest(k)})
		}
		return nil, errors.Join(errs...)
	}
	if err := c.validate(text, &md); err != nil {
		return nil, err
	}
	return &c, nil
}

// DataPath returns data.path resolved against the experiment file's folder.
func (c *Config) DataPath() string {
	if filepath.IsAbs(c.Data.Path) {
		return c.Data.Path
	}
	return filepath.Join(filepath.Dir(c.File), c.Data.Path)
}

// StreamTrain is XORed into the seed for the generator that draws the
// main network's initial weights and its per-epoch shuffles, so that the
// split's shuffles and the weights never share a stream.
const StreamTrain = 0xD1B54A32D192ED03

// TrainSeed returns the seed of the main network's generator: seed XOR
// StreamTrain. The train stage draws the initial weights from it and the
// evaluate stage re-creates the initial network from it.
func (c *Config) TrainSeed() uint64 { return uint64(c.Seed) ^ StreamTrain }

// StreamRepeats is XORed into TrainSeed to start the SplitMix64 sequence
// whose outputs seed the extra networks of training.repeats, so that they
// never share a stream with the folds' networks (which take their seeds
// from the sequence started at TrainSeed itself).
const StreamRepeats = 0xA0761D6478BD642F

// SplitMix64 returns output i (i >= 1) of the SplitMix64 generator
// started at state, that is the SplitMix64 finaliser of
//
//	z = state + i * 0x9E3779B97F4A7C15
//
// Consecutive outputs are far apart even for seeds that differ in one
// bit, so the generators they seed never start close together.
func SplitMix64(state uint64, i int) uint64 {
	z := state + uint64(i)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// RepeatSeed returns the seed of the generator of network i in
// [0, training.repeats): TrainSeed for i = 0, the main network, and
// SplitMix64(TrainSeed XOR StreamRepeats, i) for the others. It panics
// if i is negative.
func (c *Config) RepeatSeed(i int) uint64 {
	if i < 0 {
		panic("config: negative repeat")
	}
	if i == 0 {
		return c.TrainSeed()
	}
	return SplitMix64(c.TrainSeed()^StreamRepeats, i)
}

// Sizes returns the layer widths of the experiment's network for in
// features and out classes: [in, model.hidden..., out].
func (c *Config) Sizes(in, out int) []int {
	return append(append([]int{in}, c.Model.Hidden...), out)
}

var tomlPosition = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// decodeError turns the toml package's syntax and type errors into *Error.
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &Error{File: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message}
	}
	// Type mismatches come as plain errors whose text carries the line and key.
	if m := tomlPosition.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: path, Line: line, Key: m[2], Msg: m[3]}
	}
	return &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

// known lists every valid key, for suggestions after a typo.
var known = []string{
	"description", "seed",
	"data", "data.path", "data.format", "data.columns", "data.label", "data.classes", "data.features", "data.units",
	"split", "split.train", "split.validation", "split.test", "split.folds",
	"model", "model.hidden", "model.activation",
	"optimizer", "optimizer.name", "optimizer.lr", "optimizer.momentum", "optimizer.beta1", "optimizer.beta2",
	"optimizer.eps", "optimizer.weight_decay",
	"training", "training.epochs", "training.batch_size", "training.repeats",
	"report", "report.regions",
}

// suggest returns `; did you mean "x"?` for the closest known key within
// edit distance 2, or "".
func suggest(k toml.Key) string {
	s := k.String()
	best, bestD := "", 3
	for _, c := range known {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Line returns the 1-based line of the experiment file where the dotted
// key (e.g. "split.folds") is set, or the line of its table when the key
// takes its default, or 0 when neither appears.
func (c *Config) Line(key string) int {
	return keyLine(c.src, toml.Key(strings.Split(key, ".")))
}

// keyLine returns the 1-based line where key is set in src, or the line of
// its longest set prefix (an inline table), or 0. It understands the subset
// of TOML experiment files use: [table] headers and (dotted) key = value
// lines.
func keyLine(src string, key toml.Key) int {
	want := key.String()
	var table []string
	bestLine, bestLen := 0, 0
	for i, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		var full []string
		if line[0] == '[' {
			end := strings.LastIndexByte(line, ']')
			if end < 0 {
				continue
			}
			table = splitKey(strings.Trim(line[:end+1], "[]"))
			full = table
		} else {
			eq := strings.IndexByte(line, '=')
			if eq < 0 {
				continue
			}
			full = append(slices.Clone(table), splitKey(line[:eq])...)
		}
		got := toml.Key(full).String()
		if got == want {
			return i + 1
		}
		if strings.HasPrefix(want, got+".") && len(full) > bestLen {
			bestLine, bestLen = i+1, len(full)
		}
	}
	return bestLine
}

// splitKey splits a dotted key, removing spaces and quotes.
func splitKey(s string) []string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return parts
}

// validate checks every value; md says which keys the file set, so that an
// option that does not apply is an error only when written.
func (c *Config) validate(src string, md *toml.MetaData) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{File: c.File, Line: keyLine(src, toml.Key(strings.Split(key, "."))),
			Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	set := func(key string) bool { return md.IsDefined(strings.Split(key, ".")...) }

	switch {
	case strings.TrimSpace(c.Description) == "":
		bad("description", "missing: say in one line what question the experiment answers")
	case strings.ContainsAny(c.Description, "\r\n"):
		bad("description", "must be one line")
	}
	if c.Seed < 0 {
		bad("seed", "must be >= 0, got %d", c.Seed)
	}

	d := &c.Data
	if d.Path == "" {
		bad("data.path", "missing: the raw CSV file, relative to the experiment file")
	}
	switch d.Format {
	case FormatUCI:
		if len(d.Columns) < 2 {
			bad("data.columns", "a %q file needs one name per column (at least 2), got %d", FormatUCI, len(d.Columns))
		}
		checkNames(bad, "data.columns", d.Columns)
		if d.Label != "" && !slices.Contains(d.Columns, d.Label) {
			bad("data.label", "%q is not one of data.columns", d.Label)
		}
		for _, f := range d.Features {
			if !slices.Contains(d.Columns, f) {
				bad("data.features", "%q is not one of data.columns", f)
			}
		}
	case FormatHeader:
		if set("data.columns") {
			bad("data.columns", "only for format %q; a %q file names its columns in its first row", FormatUCI, FormatHeader)
		}
	default:
		bad("data.format", "must be %q or %q, got %q", FormatHeader, FormatUCI, d.Format)
	}
	if set("data.classes") && len(d.Classes) < 2 {
		bad("data.classes", "a classifier needs at least 2 classes, got %d", len(d.Classes))
	}
	checkNames(bad, "data.classes", d.Classes)
	if set("data.features") && len(d.Features) == 0 {
		bad("data.features", "empty; leave it out to use every column but the label")
	}
	checkNames(bad, "data.features", d.Features)
	label := c.LabelColumn()
	if label != "" && slices.Contains(d.Features, label) {
		bad("data.features", "%q is the label column", label)
	}
	for _, name := range slices.Sorted(maps.Keys(d.Units)) {
		if label != "" && name == label {
			bad("data.units", "%q is the label column, not a feature", name)
		} else if len(d.Features) > 0 && !slices.Contains(d.Features, name) {
			bad("data.units", "%q is not one of data.features", name)
		} else if d.Format == FormatUCI && !slices.Contains(d.Columns, name) {
			bad("data.units", "%q is not one of data.columns", name)
		}
	}

	s := &c.Split
	for _, p := range []struct {
		key string
		v   float64
	}{{"split.train", s.Train}, {"split.validation", s.Validation}, {"split.test", s.Test}} {
		if !(p.v > 0 && p.v < 1) {
			bad(p.key, "must be a fraction strictly between 0 and 1, got %s", num(p.v))
		}
	}
	if sum := s.Train + s.Validation + s.Test; math.Abs(sum-1) > 1e-9 {
		bad("split", "train + validation + test must be 1, got %s + %s + %s = %s",
			num(s.Train), num(s.Validation), num(s.Test), strconv.FormatFloat(sum, 'g', 10, 64))
	}
	if s.Folds < 0 || s.Folds == 1 || s.Folds > MaxFolds {
		bad("split.folds", "must be 0 (no folds) or between 2 and %d, got %d", MaxFolds, s.Folds)
	}

	for i, h := range c.Model.Hidden {
		if h < 1 || h > MaxWidth {
			bad("model.hidden", "layer %d has width %d; widths must be between 1 and %d", i+1, h, MaxWidth)
		}
	}
	switch c.Model.Activation {
	case "relu", "sigmoid", "tanh", "identity":
	default:
		bad("model.activation", "must be \"relu\", \"sigmoid\", \"tanh\" or \"identity\", got %q", c.Model.Activation)
	}

	o := &c.Optimizer
	only := func(key, opt string) {
		if set(key) {
			bad(key, "applies only to optimizer %q, not %q", opt, o.Name)
		}
	}
	switch o.Name {
	case "sgd":
		only("optimizer.beta1", "adam")
		only("optimizer.beta2", "adam")
		only("optimizer.eps", "adam")
	case "adam":
		only("optimizer.momentum", "sgd")
	default:
		bad("optimizer.name", "must be \"sgd\" or \"adam\", got %q", o.Name)
	}
	if !(o.LR > 0 && o.LR <= 10) {
		bad("optimizer.lr", "must be > 0 and <= 10, got %s", num(o.LR))
	}
	unit := func(key string, v float64) {
		if !(v >= 0 && v < 1) {
			bad(key, "must be in [0, 1), got %s", num(v))
		}
	}
	unit("optimizer.momentum", o.Momentum)
	for _, b := range []struct {
		key string
		v   float64
	}{{"optimizer.beta1", o.Beta1}, {"optimizer.beta2", o.Beta2}} {
		if !(b.v > 0 && b.v < 1) {
			bad(b.key, "must be in (0, 1), got %s", num(b.v))
		}
	}
	if !(o.Eps > 0 && o.Eps < 1) {
		bad("optimizer.eps", "must be > 0 and < 1, got %s", num(o.Eps))
	}
	if !(o.WeightDecay >= 0 && o.WeightDecay < 1) {
		bad("optimizer.weight_decay", "must be in [0, 1), got %s", num(o.WeightDecay))
	}

	if c.Training.Epochs < 1 || c.Training.Epochs > MaxEpochs {
		bad("training.epochs", "must be between 1 and %d, got %d", MaxEpochs, c.Training.Epochs)
	}
	if c.Training.BatchSize < 1 {
		bad("training.batch_size", "must be >= 1, got %d", c.Training.BatchSize)
	}
	switch r := c.Training.Repeats; {
	case r < 1 || r > MaxRepeats:
		bad("training.repeats", "must be between 1 and %d, got %d", MaxRepeats, r)
	case r > 1 && s.Folds > 0:
		bad("training.repeats", "cannot be combined with split.folds = %d: the report gives the spread across "+
			"folds or across seeds, not both; set one of them", s.Folds)
	}

	if r := c.Report.Regions; set("report.regions") {
		switch n := c.knownFeatures(); {
		case len(r) < 1 || len(r) > 2:
			bad("report.regions", "names the 2 features on the plot's axes, or 1 for a one-dimensional plot, got %d", len(r))
		case len(r) == 2 && len(n) == 1:
			bad("report.regions", "names 2 features, but the data set has only 1 (%q); "+
				"name it alone, or leave report.regions out, for a one-dimensional plot", n[0])
		}
		checkNames(bad, "report.regions", r)
		for _, f := range r {
			switch {
			case f == "":
			case f == label:
				bad("report.regions", "%q is the label column, not a feature", f)
			case len(d.Features) > 0 && !slices.Contains(d.Features, f):
				bad("report.regions", "%q is not one of data.features", f)
			case d.Format == FormatUCI && !slices.Contains(d.Columns, f):
				bad("report.regions", "%q is not one of data.columns", f)
			}
		}
	}
	return errors.Join(errs...)
}

// knownFeatures returns the feature columns as far as the file says:
// data.features, or for a "uci" file without it every column but the
// label; nil when only the data's header row can tell.
func (c *Config) knownFeatures() []string {
	d := &c.Data
	switch {
	case len(d.Features) > 0:
		return d.Features
	case d.Format == FormatUCI:
		label := c.LabelColumn()
		return slices.DeleteFunc(slices.Clone(d.Columns), func(s string) bool { return s == label })
	}
	return nil
}

// RegionFeatures returns the indices into features (the data set's
// feature columns, in order) of the features report.regions names, in
// its order: none when it is empty. Naming a feature the data set does
// not have, or more features than it has, is an *Error that names the
// file, the line and the key: the data's header row can make a valid
// file unusable.
func (c *Config) RegionFeatures(features []string) ([]int, error) {
	r := c.Report.Regions
	bad := func(format string, args ...any) error {
		return &Error{File: c.File, Line: keyLine(c.src, toml.Key{"report", "regions"}), Key: "report.regions",
			Msg: fmt.Sprintf(format, args...)}
	}
	if len(r) > len(features) {
		return nil, bad("names %d features, but the data set has only %d (%q); "+
			"name one, or leave report.regions out, for a one-dimensional plot", len(r), len(features), features)
	}
	idx := make([]int, len(r))
	for i, name := range r {
		if idx[i] = slices.Index(features, name); idx[i] < 0 {
			return nil, bad("%q is not a feature of the data set; the features are %q", name, features)
		}
	}
	if len(idx) == 0 {
		return nil, nil
	}
	return idx, nil
}

// CheckColumns checks data.label, data.features and data.units against
// columns, the names of the data file's columns: for a "header" file its
// header row, which the experiment file alone cannot be checked against;
// for a "uci" file data.columns, which Parse has already checked against.
// A name that is not a column, the label column among the features, or a
// unit for a column that is not a feature is an *Error that names the
// file, the line and the key (several joined with errors.Join), as the
// same mistakes found by Parse are. The label column is data.label, or
// without it the last of columns. It panics if columns is empty.
func (c *Config) CheckColumns(columns []string) error {
	d := &c.Data
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &Error{File: c.File, Line: keyLine(c.src, toml.Key(strings.Split(key, "."))),
			Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	notColumn := func(key, name string) {
		if d.Format == FormatUCI {
			bad(key, "%q is not one of data.columns", name)
		} else {
			bad(key, "%q is not a column of %s; its header row has %q", name, d.Path, columns)
		}
	}
	if len(columns) == 0 {
		panic("config: no columns")
	}
	label := d.Label
	if label == "" {
		label = columns[len(columns)-1]
	} else if !slices.Contains(columns, label) {
		notColumn("data.label", label)
	}
	for _, f := range d.Features {
		switch {
		case f == label:
			bad("data.features", "%q is the label column", f)
		case !slices.Contains(columns, f):
			notColumn("data.features", f)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.Units)) {
		switch {
		case name == label:
			bad("data.units", "%q is the label column, not a feature", name)
		case len(d.Features) > 0 && !slices.Contains(d.Features, name):
			bad("data.units", "%q is not one of data.features", name)
		case !slices.Contains(columns, name):
			notColumn("data.units", name)
		}
	}
	return errors.Join(errs...)
}

// LabelColumn returns data.label, or for a "uci" file without one the last
// column's name; for a "header" file without one it returns "" (the
// header's last column, known only to ingest).
func (c *Config) LabelColumn() string {
	if c.Data.Label != "" {
		return c.Data.Label
	}
	if c.Data.Format == FormatUCI && len(c.Data.Columns) > 0 {
		return c.Data.Columns[len(c.Data.Columns)-1]
	}
	return ""
}

// checkNames reports empty and repeated names in a list.
func checkNames(bad func(key, format string, args ...any), key string, names []string) {
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		if strings.TrimSpace(n) == "" {
			bad(key, "entry %d is empty", i+1)
		} else if seen[n] {
			bad(key, "%q appears twice", n)
		}
		seen[n] = true
	}
}

// num formats a float for a message, shortest round-trip.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
