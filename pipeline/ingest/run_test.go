package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type paths struct{ dir, config, raw, data, schema string }

func setup(t *testing.T, raw, experiment string) paths {
	dir := t.TempDir()
	p := paths{dir: dir, config: filepath.Join(dir, "exp.toml"), raw: filepath.Join(dir, "raw.csv"),
		data: filepath.Join(dir, "out", "data.csv"), schema: filepath.Join(dir, "out", "schema.json")}
	pipetest.Write(t, p.raw, raw)
	pipetest.Write(t, p.config, experiment)
	return p
}

func (p paths) run() pipetest.Result {
	return pipetest.Run(run, "-config", p.config, "-out-data", p.data, "-out-schema", p.schema)
}

func TestIngest(t *testing.T) {
	p := setup(t, pipetest.RawCSV(), pipetest.Experiment(""))
	res := p.run()
	require.NoError(t, res.Err)
	assert.Equal(t, 0, res.Code)

	got, err := os.ReadFile(p.data)
	require.NoError(t, err)
	lines := strings.Split(string(got), "\n")
	assert.Equal(t, "row,length,width,label", lines[0])
	assert.Equal(t, "0,1,3.9,0", lines[1])
	assert.Equal(t, "29,5.9,1,2", lines[30])
	assert.Equal(t, 32, len(lines), "header, 30 rows, final newline")

	s, err := dataset.ReadSchema(p.schema)
	require.NoError(t, err)
	assert.Equal(t, "raw.csv", s.Source)
	assert.Len(t, s.SHA256, 64)
	assert.Equal(t, len(pipetest.RawCSV()), s.Bytes)
	assert.Equal(t, []dataset.Class{{Name: "a", Count: 10}, {Name: "b", Count: 10}, {Name: "c", Count: 10}}, s.Classes)
	assert.Equal(t, []dataset.Feature{{Name: "length", Column: 0, Min: 1, Max: 5.9}, {Name: "width", Column: 1, Min: 1, Max: 3.9}}, s.Features)
	assert.Equal(t, 30, s.Rows)
}

// The same rows with CRLF line ends, a byte order mark and several trailing
// blank lines give the same data set.
func TestIngestTolerates(t *testing.T) {
	want := setup(t, pipetest.RawCSV(), pipetest.Experiment(""))
	require.NoError(t, want.run().Err)
	wantData, err := os.ReadFile(want.data)
	require.NoError(t, err)

	variants := map[string]string{
		"crlf":             strings.ReplaceAll(pipetest.RawCSV(), "\n", "\r\n"),
		"bom":              "\ufeff" + pipetest.RawCSV(),
		"no final blank":   strings.TrimSuffix(pipetest.RawCSV(), "\n"),
		"no final newline": strings.TrimSuffix(pipetest.RawCSV(), "\n\n"),
		"trailing blanks":  pipetest.RawCSV() + "\n \r\n\t\n",
		"spaces":           strings.ReplaceAll(pipetest.RawCSV(), ",", ", "),
	}
	for name, raw := range variants {
		t.Run(name, func(t *testing.T) {
			p := setup(t, raw, pipetest.Experiment(""))
			require.NoError(t, p.run().Err)
			got, err := os.ReadFile(p.data)
			require.NoError(t, err)
			assert.Equal(t, string(wantData), string(got))
		})
	}
}

func TestIngestHeaderFormat(t *testing.T) {
	raw := "id,length,width,kind\r\n1,1.5,2,b\r\n2,0.25,3,a\r\n3,1e3,-4,b\r\n"
	exp := strings.Replace(pipetest.Experiment(""), `format = "uci"
columns = ["length", "width", "kind"]`, `format = "header"
features = ["width", "length"]
units = { length = "cm" }`, 1)
	p := setup(t, raw, exp)
	require.NoError(t, p.run().Err)
	got, err := os.ReadFile(p.data)
	require.NoError(t, err)
	assert.Equal(t, "row,width,length,label\n0,2,1.5,1\n1,3,0.25,0\n2,-4,1000,1\n", string(got))
	s, err := dataset.ReadSchema(p.schema)
	require.NoError(t, err)
	assert.Equal(t, []dataset.Feature{{Name: "width", Column: 2, Min: -4, Max: 3}, {Name: "length", Unit: "cm", Column: 1, Min: 0.25, Max: 1000}}, s.Features)
	assert.Equal(t, "kind", s.Label)
}

// TestIngestRegions checks report.regions against the header row of a
// "header" file, which the experiment file alone cannot.
func TestIngestRegions(t *testing.T) {
	exp := "description = \"d\"\n[data]\npath = \"raw.csv\"\n[report]\nregions = %s\n"
	tests := []struct {
		name, raw, regions string
		want               string // "" for no error
	}{
		{"one feature alone", "length,kind\n1,a\n2,b\n", `["length"]`, ""},
		{"two of one feature", "length,kind\n1,a\n2,b\n", `["length", "width"]`,
			`exp.toml:5: report.regions: names 2 features, but the data set has only 1 (["length"]); ` +
				"name one, or leave report.regions out, for a one-dimensional plot"},
		{"not in the header", "length,width,kind\n1,2,a\n2,3,b\n", `["length", "depth"]`,
			`exp.toml:5: report.regions: "depth" is not a feature of the data set; the features are ["length" "width"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := setup(t, tc.raw, fmt.Sprintf(exp, tc.regions))
			res := p.run()
			if tc.want == "" {
				require.NoError(t, res.Err)
				return
			}
			require.Error(t, res.Err)
			assert.Equal(t, 2, res.Code, "a config error")
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, p.dir, p.data, p.schema, filepath.Dir(p.data))
		})
	}
}

// TestIngestHeaderColumns checks data.label, data.features and data.units
// against the header row of a "header" file: a name the header lacks, or
// the label among the features, is a mistake in the experiment file (exit
// status 2) that names its line and key, as the same mistakes in a "uci"
// file's experiment do.
func TestIngestHeaderColumns(t *testing.T) {
	// Numeric labels, so that a label read as a feature parses.
	raw := "x,y,label\n1,2,0\n2,3,1\n3,1,0\n4,0,1\n"
	exp := "description = \"d\"\n[data]\npath = \"raw.csv\"\n%s\n"
	uci := "description = \"d\"\n[data]\npath = \"raw.csv\"\nformat = \"uci\"\ncolumns = [\"x\", \"y\", \"label\"]\n%s\n"
	tests := []struct {
		name, raw, exp, data string
		want                 string
	}{
		{"label among the features", raw, exp, `features = ["x", "label"]`,
			`exp.toml:4: data.features: "label" is the label column`},
		{"named label among the features", raw, exp, "label = \"y\"\nfeatures = [\"y\", \"x\"]",
			`exp.toml:5: data.features: "y" is the label column`},
		{"uci: label among the features", strings.ReplaceAll(raw, "x,y,label\n", ""), uci, `features = ["x", "label"]`,
			`exp.toml:6: data.features: "label" is the label column`},
		{"feature not in the header", raw, exp, `features = ["x", "zz"]`,
			`exp.toml:4: data.features: "zz" is not a column of raw.csv; its header row has ["x" "y" "label"]`},
		{"label not in the header", raw, exp, `label = "kind"`,
			`exp.toml:4: data.label: "kind" is not a column of raw.csv; its header row has ["x" "y" "label"]`},
		{"unit not in the header", raw, exp, `units = { zz = "cm" }`,
			`exp.toml:4: data.units: "zz" is not a column of raw.csv; its header row has ["x" "y" "label"]`},
		{"unit of the label", raw, exp, `units = { label = "cm" }`,
			`exp.toml:4: data.units: "label" is the label column, not a feature`},
		{"unit of a named label", raw, exp, "label = \"x\"\nunits = { x = \"cm\" }",
			`exp.toml:5: data.units: "x" is the label column, not a feature`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := setup(t, tc.raw, fmt.Sprintf(tc.exp, tc.data))
			res := p.run()
			require.Error(t, res.Err)
			assert.Equal(t, 2, res.Code, "a config error: %v", res.Err)
			assert.Equal(t, tc.want, strings.ReplaceAll(res.Err.Error(), p.dir+string(filepath.Separator), ""))
			pipetest.NoFile(t, p.dir, p.data, p.schema, filepath.Dir(p.data))
		})
	}
	// Two mistakes are both reported.
	p := setup(t, raw, fmt.Sprintf(exp, "label = \"kind\"\nfeatures = [\"x\", \"zz\"]"))
	res := p.run()
	assert.Equal(t, 2, res.Code)
	assert.Equal(t, `exp.toml:4: data.label: "kind" is not a column of raw.csv; its header row has ["x" "y" "label"]`+"\n"+
		`exp.toml:5: data.features: "zz" is not a column of raw.csv; its header row has ["x" "y" "label"]`,
		strings.ReplaceAll(res.Err.Error(), p.dir+string(filepath.Separator), ""))
}

func TestIngestBadInput(t *testing.T) {
	good := pipetest.RawCSV()
	// add puts a line into [data].
	add := func(line string) [2]string { return [2]string{"\n\n[split]", "\n" + line + "\n\n[split]"} }
	tests := []struct {
		name string
		raw  string
		edit [2]string // replace edit[0] with edit[1] in the experiment
		code int
		want string
	}{
		{"empty file", "", [2]string{}, 1, "raw.csv: empty file"},
		{"only blank lines", "\n\r\n  \n", [2]string{}, 1, "raw.csv: empty file"},
		{"ragged row", strings.Replace(good, "3.2,2.7,b", "3.2,b", 1), [2]string{}, 1, "raw.csv:13: 2 fields, want 3 (length,width,kind)"},
		{"extra field", strings.Replace(good, "1.0,3.9,a", "1.0,3.9,a,x", 1), [2]string{}, 1, "raw.csv:1: 4 fields, want 3"},
		{"text in a numeric column", strings.Replace(good, "3.1,2.8,b", "3.1,two,b", 1), [2]string{}, 1,
			`raw.csv:12: column 2 (width): "two" is not a number`},
		{"NaN", strings.Replace(good, "1.1,3.8,a", "NaN,3.8,a", 1), [2]string{}, 1, `raw.csv:2: column 1 (length): "NaN" is not finite`},
		{"Inf", strings.Replace(good, "1.1,3.8,a", "1.1,-Inf,a", 1), [2]string{}, 1, `raw.csv:2: column 2 (width): "-Inf" is not finite`},
		{"beyond float32", strings.Replace(good, "1.1,3.8,a", "1e39,3.8,a", 1), [2]string{}, 1,
			`raw.csv:2: column 1 (length): "1e39" is outside the float32 range`},
		{"underscore in a number", strings.Replace(good, "1.1,3.8,a", "1_1,3.8,a", 1), [2]string{}, 1,
			`raw.csv:2: column 1 (length): "1_1" is not a number`},
		{"hex float", strings.Replace(good, "1.1,3.8,a", "1.1,0x1p-2,a", 1), [2]string{}, 1,
			`raw.csv:2: column 2 (width): "0x1p-2" is not a number`},
		{"hex float beyond float32", strings.Replace(good, "1.1,3.8,a", "0X1P+999,3.8,a", 1), [2]string{}, 1,
			`raw.csv:2: column 1 (length): "0X1P+999" is not a number`},
		{"quoted hex float", strings.Replace(good, "1.1,3.8,a", `"0x10",3.8,a`, 1), [2]string{}, 1,
			`raw.csv:2: column 1 (length): "0x10" is not a number`},
		{"infinity", strings.Replace(good, "1.1,3.8,a", "infinity,3.8,a", 1), [2]string{}, 1, `raw.csv:2: column 1 (length): "infinity" is not finite`},
		{"+Inf", strings.Replace(good, "1.1,3.8,a", "+Inf,3.8,a", 1), [2]string{}, 1, `raw.csv:2: column 1 (length): "+Inf" is not finite`},
		{"nan", strings.Replace(good, "1.1,3.8,a", "1.1,nan,a", 1), [2]string{}, 1, `raw.csv:2: column 2 (width): "nan" is not finite`},
		{"empty field", strings.Replace(good, "1.1,3.8,a", ",3.8,a", 1), [2]string{}, 1, `raw.csv:2: column 1 (length): "" is not a number`},
		{"empty label", strings.Replace(good, "1.1,3.8,a", "1.1,3.8,", 1), [2]string{}, 1, `raw.csv:2: column 3 (kind): empty label`},
		{"unknown label", strings.Replace(good, "5.3,1.6,c", "5.3,1.6,d", 1), add(`classes = ["a", "b", "c"]`), 1,
			`raw.csv:24: column 3 (kind): unknown label "d"; data.classes allows ["a" "b" "c"]`},
		{"configured class without rows", good, add(`classes = ["a", "b", "c", "z"]`), 1, `class "z" from data.classes has no rows`},
		{"one class", "1,2,a\n3,4,a\n", [2]string{}, 1, `every row has the label "a"; a classifier needs at least 2 classes`},
		{"blank line in the middle", strings.Replace(good, "1.4,3.5,a\n", "1.4,3.5,a\n\n", 1), [2]string{}, 1,
			"raw.csv:6: blank line between data rows"},
		{"bad quote", strings.Replace(good, "1.4,3.5,a", `1.4,3"5,a`, 1), [2]string{}, 1, `raw.csv:5:6: bare " in non-quoted-field`},
		{"typo in a key", good, add(`lable = "kind"`), 2, `exp.toml:8: data.lable: unknown key; did you mean "data.label"?`},
		{"fractions do not sum to 1", good, [2]string{"train = 0.6", "train = 0.9"}, 2,
			"exp.toml:9: split: train + validation + test must be 1, got 0.9 + 0.2 + 0.2 = 1.3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exp := pipetest.Experiment("")
			if tc.edit[0] != "" {
				exp = strings.Replace(exp, tc.edit[0], tc.edit[1], 1)
			}
			p := setup(t, tc.raw, exp)
			res := p.run()
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, p.dir, p.data, p.schema, filepath.Dir(p.data))
		})
	}
}

func TestIngestUsage(t *testing.T) {
	p := setup(t, pipetest.RawCSV(), pipetest.Experiment(""))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "flag: help requested"},
		{"missing flags", []string{"-config", p.config}, 2, "missing -out-data, -out-schema"},
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined: -nope"},
		{"positional argument", []string{"-config", p.config, "-out-data", p.data, "-out-schema", p.schema, "extra"}, 2,
			`unexpected argument "extra"`},
		{"missing experiment file", []string{"-config", p.config + ".missing", "-out-data", p.data, "-out-schema", p.schema}, 2,
			"no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := pipetest.Run(run, tc.args...)
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, p.dir, p.data, p.schema)
		})
	}
	res := pipetest.Run(run, "-h")
	assert.Contains(t, res.Stderr, "Example:")
	assert.Contains(t, res.Stderr, "-out-schema file")

	// A missing raw file is a data error.
	require.NoError(t, os.Remove(p.raw))
	res = p.run()
	assert.Equal(t, 1, res.Code)
	assert.ErrorIs(t, res.Err, os.ErrNotExist)
	pipetest.NoFile(t, p.dir, p.data, p.schema)
}
