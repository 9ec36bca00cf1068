package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runEvaluate(f *pipetest.Fix) (pipetest.Result, string) {
	out := filepath.Join(f.Dir, "out", "metrics.json")
	return pipetest.Run(run, "-config", f.Config, "-schema", f.Schema, "-network", f.Network, "-log", f.Log,
		"-train", f.Train, "-validation", f.Validation, "-test", f.Test, "-out", out), out
}

func TestEvaluate(t *testing.T) {
	f := pipetest.New(t)
	res, out := runEvaluate(f)
	require.NoError(t, res.Err)
	var m artifact.Metrics
	require.NoError(t, artifact.ReadJSON(out, &m))
	assert.Equal(t, "exp", m.Experiment)
	assert.Equal(t, []string{"a", "b", "c"}, m.Classes)
	assert.Equal(t, 27, m.Parameters)
	assert.Equal(t, 1, m.Epochs)
	assert.Equal(t, artifact.PartitionCounts{Train: 18, Validation: 6, Test: 6, All: 30}, m.Rows)
	// The confusion matrix covers the 6 test rows, 2 per class, and
	// accuracy agrees with its diagonal.
	total, diag := 0, 0
	for i, row := range m.Test.Confusion {
		for j, n := range row {
			total += n
			if i == j {
				diag += n
			}
		}
		assert.Equal(t, 2, m.Test.PerClass[i].Support)
	}
	assert.Equal(t, 6, total)
	assert.Equal(t, artifact.Float64(float64(diag)/6), m.Accuracy.Test)
	// All-rows accuracy is the row-weighted mean of the partitions'.
	assert.InDelta(t, float64(m.Accuracy.Train)*18/30+float64(m.Accuracy.Validation)*6/30+float64(m.Accuracy.Test)*6/30,
		float64(m.Accuracy.All), 1e-12)
}

func TestEvaluateBadInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		code  int
		want  string
	}{
		{"network is not FINF", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Network, "GIF89a not a model") }, 1,
			"network.finf: "},
		{"truncated network", func(t *testing.T, f *pipetest.Fix) {
			b, err := os.ReadFile(f.Network)
			require.NoError(t, err)
			pipetest.Write(t, f.Network, string(b[:len(b)-3]))
		}, 1, "network.finf: "},
		{"network of another shape", func(t *testing.T, f *pipetest.Fix) {
			s, err := nn.NewMLP[float32]([]int{5, 4, 3}, nn.ReLU, rng.New(1))
			require.NoError(t, err)
			b, err := finf.Marshal(nn.ToFINF(s, nil))
			require.NoError(t, err)
			pipetest.Write(t, f.Network, string(b))
		}, 1, "the network maps 5 inputs to 3 outputs; the data set has 2 features and 3 classes"},
		{"missing log", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Log)) }, 1, "no such file"},
		{"typo in a key", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "[model]", "[modle]", 1))
		}, 2, `unknown key; did you mean "model"?`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			tc.spoil(t, f)
			res, out := runEvaluate(f)
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, f.Dir, out)
		})
	}
}
