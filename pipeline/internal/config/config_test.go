package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const minimal = `description = "does it load?"
[data]
path = "../data/raw/iris.data"
format = "uci"
columns = ["a", "b", "species"]
`

func TestParseDefaults(t *testing.T) {
	c, err := Parse("experiments/min.toml", []byte(minimal))
	require.NoError(t, err)
	want := Default()
	want.File = "experiments/min.toml"
	want.Name = "min"
	want.Description = "does it load?"
	want.Data = Data{Path: "../data/raw/iris.data", Format: FormatUCI, Columns: []string{"a", "b", "species"}}
	want.src = minimal
	assert.Equal(t, &want, c)
	assert.Equal(t, "species", c.LabelColumn())
	assert.Equal(t, filepath.Join("experiments", "..", "data", "raw", "iris.data"), c.DataPath())
}

func TestParseFull(t *testing.T) {
	src := "\ufeff" + `description = "adam on wine"
seed = 7
[data]
path = "wine.csv"
label = "cultivar"
classes = ["class_0", "class_1", "class_2"]
features = ["alcohol", "ash"]
units = { alcohol = "%" }
[split]
train = 0.5
validation = 0.25
test = 0.25
folds = 5
[model]
hidden = []
activation = "tanh"
[optimizer]
name = "adam"
lr = 0.001
beta1 = 0.8
beta2 = 0.99
eps = 1e-7
weight_decay = 0.0001
[training]
epochs = 10
batch_size = 4
[report]
regions = ["ash", "alcohol"]
`
	c, err := Parse("x/wine_adam.toml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, "wine_adam", c.Name)
	assert.Equal(t, int64(7), c.Seed)
	assert.Equal(t, FormatHeader, c.Data.Format)
	assert.Equal(t, map[string]string{"alcohol": "%"}, c.Data.Units)
	assert.Equal(t, Split{Train: 0.5, Validation: 0.25, Test: 0.25, Folds: 5}, c.Split)
	assert.Equal(t, []int{}, c.Model.Hidden)
	assert.Equal(t, Optimizer{Name: "adam", LR: 0.001, Momentum: 0.9, Beta1: 0.8, Beta2: 0.99, Eps: 1e-7, WeightDecay: 0.0001}, c.Optimizer)
	assert.Equal(t, Training{Epochs: 10, BatchSize: 4, Repeats: 1}, c.Training)
	assert.Equal(t, Report{Regions: []string{"ash", "alcohol"}}, c.Report)
	assert.Equal(t, "cultivar", c.LabelColumn())
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Error // File is always "e.toml"
	}{
		{"typo in a key", minimal + "[training]\nepohcs = 3\n",
			[]Error{{Line: 7, Key: "training.epohcs", Msg: `unknown key; did you mean "training.epochs"?`}}},
		{"unknown section", minimal + "[trainig]\nepochs = 3\n",
			[]Error{{Line: 6, Key: "trainig", Msg: `unknown key; did you mean "training"?`},
				{Line: 7, Key: "trainig.epochs", Msg: `unknown key; did you mean "training.epochs"?`}}},
		{"wrong type", minimal + "[training]\nepochs = \"ten\"\n",
			[]Error{{Line: 7, Key: "training.epochs", Msg: "incompatible types: TOML value has type string; destination has type integer"}}},
		{"syntax", minimal + "[model\n", nil},
		{"unit of the label", minimal + "units = { species = \"cm\", a = \"cm\" }\n",
			[]Error{{Line: 6, Key: "data.units", Msg: `"species" is the label column, not a feature`}}},
		{"label among the features", minimal + "features = [\"species\", \"a\"]\n",
			[]Error{{Line: 6, Key: "data.features", Msg: `"species" is the label column`}}},
		{"fractions do not sum to 1", minimal + "[split]\ntrain = 0.5\nvalidation = 0.2\ntest = 0.2\n",
			[]Error{{Line: 6, Key: "split", Msg: "train + validation + test must be 1, got 0.5 + 0.2 + 0.2 = 0.9"}}},
		{"negative rate", minimal + "[optimizer]\nlr = -0.1\n",
			[]Error{{Line: 7, Key: "optimizer.lr", Msg: "must be > 0 and <= 10, got -0.1"}}},
		{"zero epochs", minimal + "[training]\nepochs = 0\n",
			[]Error{{Line: 7, Key: "training.epochs", Msg: "must be between 1 and 100000, got 0"}}},
		{"hidden width 0", minimal + "[model]\nhidden = [8, 0]\n",
			[]Error{{Line: 7, Key: "model.hidden", Msg: "layer 2 has width 0; widths must be between 1 and 4096"}}},
		{"unknown activation", minimal + "[model]\nactivation = \"gelu\"\n",
			[]Error{{Line: 7, Key: "model.activation", Msg: `must be "relu", "sigmoid", "tanh" or "identity", got "gelu"`}}},
		{"momentum with adam", minimal + "[optimizer]\nname = \"adam\"\nmomentum = 0.5\n",
			[]Error{{Line: 8, Key: "optimizer.momentum", Msg: `applies only to optimizer "sgd", not "adam"`}}},
		{"one fold", minimal + "[split]\nfolds = 1\n",
			[]Error{{Line: 7, Key: "split.folds", Msg: "must be 0 (no folds) or between 2 and 100, got 1"}}},
		{"no description", "[data]\npath = \"x.csv\"\n",
			[]Error{{Key: "description", Msg: "missing: say in one line what question the experiment answers"}}},
		{"label not a column", minimal + "label = \"kind\"\n",
			[]Error{{Line: 6, Key: "data.label", Msg: `"kind" is not one of data.columns`}}},
		{"columns with a header file", "description = \"d\"\n[data]\npath = \"x.csv\"\ncolumns = [\"a\", \"b\"]\n",
			[]Error{{Line: 4, Key: "data.columns", Msg: `only for format "uci"; a "header" file names its columns in its first row`}}},
		{"repeated class", minimal + "classes = [\"x\", \"x\"]\n",
			[]Error{{Line: 6, Key: "data.classes", Msg: `"x" appears twice`}}},
		{"negative seed", "seed = -3\n" + minimal,
			[]Error{{Line: 1, Key: "seed", Msg: "must be >= 0, got -3"}}},
		{"batch size 0", minimal + "[training]\nbatch_size = 0\n",
			[]Error{{Line: 7, Key: "training.batch_size", Msg: "must be >= 1, got 0"}}},
		{"three region features", minimal + "[report]\nregions = [\"a\", \"b\", \"a\"]\n",
			[]Error{{Line: 7, Key: "report.regions", Msg: "names the 2 features on the plot's axes, or 1 for a one-dimensional plot, got 3"},
				{Line: 7, Key: "report.regions", Msg: `"a" appears twice`}}},
		{"no region feature", minimal + "[report]\nregions = []\n",
			[]Error{{Line: 7, Key: "report.regions", Msg: "names the 2 features on the plot's axes, or 1 for a one-dimensional plot, got 0"}}},
		{"two region features of one (data.features)", minimal + "features = [\"b\"]\n[report]\nregions = [\"b\", \"a\"]\n",
			[]Error{{Line: 8, Key: "report.regions", Msg: `names 2 features, but the data set has only 1 ("b"); ` +
				"name it alone, or leave report.regions out, for a one-dimensional plot"},
				{Line: 8, Key: "report.regions", Msg: `"a" is not one of data.features`}}},
		{"two region features of one (data.columns)", strings.Replace(minimal, `"a", "b", "species"`, `"a", "species"`, 1) +
			"[report]\nregions = [\"a\", \"b\"]\n",
			[]Error{{Line: 7, Key: "report.regions", Msg: `names 2 features, but the data set has only 1 ("a"); ` +
				"name it alone, or leave report.regions out, for a one-dimensional plot"},
				{Line: 7, Key: "report.regions", Msg: `"b" is not one of data.columns`}}},
		{"region feature twice", minimal + "[report]\nregions = [\"a\", \"a\"]\n",
			[]Error{{Line: 7, Key: "report.regions", Msg: `"a" appears twice`}}},
		{"region on the label", minimal + "[report]\nregions = [\"a\", \"species\"]\n",
			[]Error{{Line: 7, Key: "report.regions", Msg: `"species" is the label column, not a feature`}}},
		{"region not a column", minimal + "[report]\nregions = [\"a\", \"c\"]\n",
			[]Error{{Line: 7, Key: "report.regions", Msg: `"c" is not one of data.columns`}}},
		{"zero repeats", minimal + "[training]\nrepeats = 0\n",
			[]Error{{Line: 7, Key: "training.repeats", Msg: "must be between 1 and 100, got 0"}}},
		{"too many repeats", minimal + "[training]\nepochs = 5\nrepeats = 101\n",
			[]Error{{Line: 8, Key: "training.repeats", Msg: "must be between 1 and 100, got 101"}}},
		{"repeats as a list", minimal + "[training]\nrepeats = [1, 2]\n",
			[]Error{{Line: 7, Key: "training.repeats", Msg: "incompatible types: TOML value has type []any; destination has type integer"}}},
		{"repeats with folds", minimal + "[split]\nfolds = 5\n[training]\nrepeats = 10\n",
			[]Error{{Line: 9, Key: "training.repeats", Msg: "cannot be combined with split.folds = 5: the report gives the spread " +
				"across folds or across seeds, not both; set one of them"}}},
		{"typo in repeats", minimal + "[training]\nrepeat = 10\n",
			[]Error{{Line: 7, Key: "training.repeat", Msg: `unknown key; did you mean "training.repeats"?`}}},
		{"typo in report", minimal + "[report]\nregion = [\"a\", \"b\"]\n",
			[]Error{{Line: 7, Key: "report.region", Msg: `unknown key; did you mean "report.regions"?`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("e.toml", []byte(tc.src))
			require.Error(t, err)
			assert.Nil(t, c)
			var ce *Error
			require.True(t, errors.As(err, &ce), "error %v is not a *config.Error", err)
			if tc.want == nil {
				assert.Equal(t, "e.toml", ce.File)
				assert.Positive(t, ce.Line)
				return
			}
			var got []Error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					require.True(t, errors.As(e, &ce))
					got = append(got, *ce)
				}
			} else {
				got = append(got, *ce)
			}
			for i := range tc.want {
				tc.want[i].File = "e.toml"
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestErrorString(t *testing.T) {
	assert.Equal(t, "a.toml:3: seed: bad", (&Error{File: "a.toml", Line: 3, Key: "seed", Msg: "bad"}).Error())
	assert.Equal(t, "a.toml: bad", (&Error{File: "a.toml", Msg: "bad"}).Error())
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestKeyLine(t *testing.T) {
	src := "seed = 1\n# [data]\n[data]\n  path = 'x'\nunits = { a = \"cm\" }\n[\"model\"]\nhidden.x = 3\n"
	tests := []struct {
		key  []string
		want int
	}{
		{[]string{"seed"}, 1},
		{[]string{"data"}, 3},
		{[]string{"data", "path"}, 4},
		{[]string{"data", "units", "a"}, 5},
		{[]string{"model", "hidden", "x"}, 7},
		{[]string{"training"}, 0},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, keyLine(src, tc.key), "%v", tc.key)
	}
}

func TestRegionFeatures(t *testing.T) {
	// A "header" file: only the data set's header row tells the features.
	header := "description = \"d\"\n[data]\npath = \"x.csv\"\n"
	tests := []struct {
		name     string
		src      string
		features []string
		want     []int
		err      string
	}{
		{"not set", header, []string{"x"}, nil, ""},
		{"two", header + "[report]\nregions = [\"z\", \"x\"]\n", []string{"x", "y", "z"}, []int{2, 0}, ""},
		{"one of one", header + "[report]\nregions = [\"x\"]\n", []string{"x"}, []int{0}, ""},
		{"one of three", header + "[report]\nregions = [\"y\"]\n", []string{"x", "y", "z"}, []int{1}, ""},
		{"two of one", header + "[report]\nregions = [\"x\", \"y\"]\n", []string{"x"}, nil,
			`e.toml:5: report.regions: names 2 features, but the data set has only 1 (["x"]); ` +
				"name one, or leave report.regions out, for a one-dimensional plot"},
		{"not a feature", header + "\n[report]\nregions = [\"x\", \"w\"]\n", []string{"x", "y"}, nil,
			`e.toml:6: report.regions: "w" is not a feature of the data set; the features are ["x" "y"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("e.toml", []byte(tc.src))
			require.NoError(t, err)
			got, err := c.RegionFeatures(tc.features)
			if tc.err != "" {
				var ce *Error
				require.True(t, errors.As(err, &ce), "error %v is not a *config.Error", err)
				assert.EqualError(t, err, tc.err)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestCheckColumns checks data.label, data.features and data.units
// against the columns of the data file: a "header" file's header row.
func TestCheckColumns(t *testing.T) {
	header := "description = \"d\"\n[data]\npath = \"x.csv\"\n"
	columns := []string{"a", "b", "y"}
	has := `its header row has ["a" "b" "y"]`
	tests := []struct {
		name string
		data string // lines added to [data]
		err  string
	}{
		{"nothing set", "", ""},
		{"every key", "label = \"a\"\nfeatures = [\"y\", \"b\"]\nunits = { b = \"cm\" }\n", ""},
		{"units without features", "units = { a = \"cm\", b = \"s\" }\n", ""},
		{"label is the last column", "features = [\"b\", \"y\"]\n", `e.toml:4: data.features: "y" is the label column`},
		{"label not a column", "label = \"z\"\n", `e.toml:4: data.label: "z" is not a column of x.csv; ` + has},
		{"feature not a column", "\nfeatures = [\"a\", \"z\"]\n", `e.toml:5: data.features: "z" is not a column of x.csv; ` + has},
		{"unit not a column", "units = { z = \"cm\" }\n", `e.toml:4: data.units: "z" is not a column of x.csv; ` + has},
		{"unit of the last column", "units = { y = \"cm\" }\n", `e.toml:4: data.units: "y" is the label column, not a feature`},
		{"several", "label = \"z\"\nfeatures = [\"q\", \"a\"]\n",
			`e.toml:4: data.label: "z" is not a column of x.csv; ` + has + "\n" +
				`e.toml:5: data.features: "q" is not a column of x.csv; ` + has},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("e.toml", []byte(header+tc.data))
			require.NoError(t, err)
			err = c.CheckColumns(columns)
			if tc.err == "" {
				assert.NoError(t, err)
				return
			}
			var ce *Error
			require.True(t, errors.As(err, &ce), "error %v is not a *config.Error", err)
			assert.EqualError(t, err, tc.err)
		})
	}

	// A "uci" file's columns are data.columns, which Parse has checked.
	c, err := Parse("e.toml", []byte(minimal))
	require.NoError(t, err)
	assert.NoError(t, c.CheckColumns(c.Data.Columns))
	assert.Panics(t, func() { _ = c.CheckColumns(nil) })
}

func TestParseRepeats(t *testing.T) {
	c, err := Parse("e.toml", []byte(minimal+"[training]\nrepeats = 10\n"))
	require.NoError(t, err)
	assert.Equal(t, Training{Epochs: 200, BatchSize: 16, Repeats: 10}, c.Training)
	// A single network is the default; repeats = 1 with folds is allowed.
	c, err = Parse("e.toml", []byte(minimal+"[split]\nfolds = 5\n[training]\nrepeats = 1\n"))
	require.NoError(t, err)
	assert.Equal(t, 1, c.Training.Repeats)
}

// TestSplitMix64 pins the first outputs of SplitMix64 started at 0, the
// reference sequence of Vigna's splitmix64.c.
func TestSplitMix64(t *testing.T) {
	for i, want := range []uint64{0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F} {
		assert.Equal(t, want, SplitMix64(0, i+1), "output %d", i+1)
	}
}

func TestRepeatSeed(t *testing.T) {
	c := Default()
	c.Seed = 1
	assert.Equal(t, c.TrainSeed(), c.RepeatSeed(0), "repeat 0 is the main network")
	assert.Equal(t, uint64(1)^0xD1B54A32D192ED03, c.RepeatSeed(0))
	seen := map[uint64]int{}
	for i := range MaxRepeats {
		s := c.RepeatSeed(i)
		if j, ok := seen[s]; ok {
			t.Fatalf("repeats %d and %d share seed %#x", j, i, s)
		}
		seen[s] = i
		if i > 0 {
			assert.Equal(t, SplitMix64(c.TrainSeed()^StreamRepeats, i), s)
			// Never a fold's seed (SplitMix64 from TrainSeed itself).
			for f := 1; f <= MaxFolds; f++ {
				require.NotEqual(t, SplitMix64(c.TrainSeed(), f), s)
			}
		}
	}
	// Another experiment seed gives other repeat seeds.
	d := c
	d.Seed = 2
	assert.NotEqual(t, c.RepeatSeed(1), d.RepeatSeed(1))
	assert.Panics(t, func() { c.RepeatSeed(-1) })
}

func TestLine(t *testing.T) {
	src := minimal + "\n[split]\ntest = 0.2\n\n[training]\nepochs = 5\n"
	c, err := Parse("e.toml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, 3, c.Line("data.path"))
	assert.Equal(t, 8, c.Line("split.test"))
	assert.Equal(t, 7, c.Line("split.folds"), "a default: the line of its table")
	assert.Equal(t, 11, c.Line("training.epochs"))
	assert.Equal(t, 0, c.Line("model.hidden"), "neither the key nor its table appears")
	assert.Equal(t, 1, c.Line("description"))
}
