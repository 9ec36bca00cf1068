package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twoExperiments returns the fixture with a second experiment, exp2, that
// differs in its learning rate and does better; the args name both.
func twoExperiments(t *testing.T) (f *pipetest.Fix, exp2 string, metrics [2]string) {
	f = pipetest.New(t)
	exp2 = filepath.Join(f.Dir, "exp2.toml")
	pipetest.Write(t, exp2, strings.Replace(pipetest.Experiment(""), "lr = 0.1", "lr = 0.2", 1))
	for i, acc := range []report.Float{0.5, 5.0 / 6} {
		name := []string{"exp", "exp2"}[i]
		m := &report.Metrics{Experiment: name, Dataset: "raw.csv", SHA256: strings.Repeat("0", 64),
			Classes: []string{"a", "b", "c"}, Parameters: 27, ModelBytes: 200, Epochs: 1,
			Rows:     report.PartitionCounts{Train: 18, Validation: 6, Test: 6, All: 30},
			Accuracy: report.Partitions{Train: acc, Validation: acc, Test: acc, All: acc},
			LogLoss:  report.Partitions{Train: 1, Validation: 1, Test: 1, All: 1}}
		metrics[i] = filepath.Join(f.Dir, name, "metrics.json")
		require.NoError(t, artifact.WriteFile(metrics[i], func(w io.Writer) error { return report.WriteMetrics(w, m) }))
	}
	return f, exp2, metrics
}

func runReport(args ...string) (pipetest.Result, string) {
	var stdout, stderr bytes.Buffer
	err := run(args, &stdout, &stderr)
	return pipetest.Result{Err: err, Code: stage.ExitCode(err), Stderr: stderr.String()}, stdout.String()
}

func TestIndex(t *testing.T) {
	f, exp2, metrics := twoExperiments(t)
	out := filepath.Join(f.Dir, "reports", "README.md")
	res, _ := runReport("-out", out,
		"-config", f.Config, "-schema", f.Schema, "-metrics", metrics[0], "-log", f.Log,
		"-config", exp2, "-schema", f.Schema, "-metrics", metrics[1], "-log", f.Log)
	require.NoError(t, res.Err, res.Stderr)
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	require.Len(t, entries, 2)
	assert.Equal(t, "README.md", entries[0].Name())
	assert.Equal(t, "compare_raw.svg", entries[1].Name())

	b, err := os.ReadFile(out)
	require.NoError(t, err)
	page := string(b)
	assert.Contains(t, page, "| [exp](exp/README.md) | raw.csv | 2-4-3 relu | sgd lr 0.1 momentum 0.9 | 3 epochs, batch 4, seed 3 | 27 | 0.5000 |")
	assert.Contains(t, page, "| ★ **[exp2](exp2/README.md)** | raw.csv | 2-4-3 relu | sgd lr 0.2 momentum 0.9 |")
	assert.Contains(t, page, "![Validation loss per epoch, raw.csv](compare_raw.svg)")
	svg, err := os.ReadFile(filepath.Join(filepath.Dir(out), "compare_raw.svg"))
	require.NoError(t, err)
	for _, s := range []string{">Validation loss per epoch, raw.csv<", ">exp<", ">exp2<", ">epoch<"} {
		assert.Contains(t, string(svg), s)
	}
}

func TestCompare(t *testing.T) {
	f, exp2, metrics := twoExperiments(t)
	res, stdout := runReport("-compare", "-config", f.Config, "-metrics", metrics[0], "-config", exp2, "-metrics", metrics[1])
	require.NoError(t, res.Err)
	lines := strings.Split(stdout, "\n")
	require.Greater(t, len(lines), 4)
	// The questions head the output, then the table of differing settings.
	assert.Equal(t, []string{"exp:", `"fixture"`}, strings.Fields(lines[0]))
	assert.Equal(t, []string{"exp2:", `"fixture"`}, strings.Fields(lines[1]))
	assert.Empty(t, lines[2])
	assert.Equal(t, []string{"Setting", "exp", "exp2"}, strings.Fields(lines[3]))
	assert.Equal(t, []string{"optimizer.lr", "0.1", "0.2", "*"}, strings.Fields(lines[4]))
	assert.Contains(t, stdout, "accuracy.test")
	assert.Contains(t, stdout, "+0.3333")
	assert.NotContains(t, stdout, "parameters", "equal metrics are left out without -all")

	res, stdout = runReport("-compare", "-all", "-config", f.Config, "-metrics", metrics[0], "-config", exp2, "-metrics", metrics[1])
	require.NoError(t, res.Err)
	assert.Contains(t, stdout, "parameters")
}

func TestReportBadInput(t *testing.T) {
	tests := []struct {
		name string
		args func(t *testing.T, f *pipetest.Fix, exp2 string, metrics [2]string) []string
		code int
		want string
	}{
		{"no experiments", func(*testing.T, *pipetest.Fix, string, [2]string) []string { return nil }, 2, "missing -out"},
		{"uneven lists", func(t *testing.T, f *pipetest.Fix, _ string, m [2]string) []string {
			return []string{"-config", f.Config, "-metrics", m[0], "-log", f.Log}
		}, 2, "give -config, -schema, -metrics and -log once per experiment: got 1, 0, 1 and 1"},
		{"metrics of another experiment", func(t *testing.T, f *pipetest.Fix, _ string, m [2]string) []string {
			return []string{"-config", f.Config, "-schema", f.Schema, "-metrics", m[1], "-log", f.Log}
		}, 1, `is experiment "exp2"'s, not "exp"'s`},
		{"corrupt metrics", func(t *testing.T, f *pipetest.Fix, _ string, m [2]string) []string {
			pipetest.Write(t, m[0], "{\n\"experiment\": 3}")
			return []string{"-config", f.Config, "-schema", f.Schema, "-metrics", m[0], "-log", f.Log}
		}, 1, "metrics.json:2: "},
		{"same experiment twice", func(t *testing.T, f *pipetest.Fix, _ string, m [2]string) []string {
			return []string{"-config", f.Config, "-schema", f.Schema, "-metrics", m[0], "-log", f.Log,
				"-config", f.Config, "-schema", f.Schema, "-metrics", m[0], "-log", f.Log}
		}, 2, `are both experiment "exp"`},
		{"compare three", func(t *testing.T, f *pipetest.Fix, exp2 string, m [2]string) []string {
			return []string{"-compare", "-config", f.Config, "-metrics", m[0], "-config", exp2, "-metrics", m[1], "-config", exp2}
		}, 2, "-compare takes exactly two -config and two -metrics"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, exp2, metrics := twoExperiments(t)
			out := filepath.Join(f.Dir, "reports", "README.md")
			args := tc.args(t, f, exp2, metrics)
			if len(args) > 0 && args[0] != "-compare" {
				args = append([]string{"-out", out}, args...)
			}
			res, _ := runReport(args...)
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			_, err := os.Stat(filepath.Dir(out))
			assert.ErrorIs(t, err, os.ErrNotExist, "nothing written")
		})
	}
}

func TestSettings(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		fold  bool
		want  string
	}{
		{"one network", "", false, "3 epochs, batch 4, seed 3"},
		{"folds", "", true, "3 epochs, batch 4, seed 3, 5 folds"},
		{"seeds", "repeats = 10\n", false, "3 epochs, batch 4, seed 3, 10 seeds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := pipetest.Experiment(tc.extra)
			if tc.fold {
				src = strings.Replace(src, "test = 0.2", "test = 0.2\nfolds = 5", 1)
			}
			cfg, err := config.Parse("exp.toml", []byte(src))
			require.NoError(t, err)
			assert.Equal(t, tc.want, settings(cfg))
		})
	}
}
