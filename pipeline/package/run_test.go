package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runPackage(f *pipetest.Fix) (pipetest.Result, string) {
	out := filepath.Join(f.Dir, "out", "model.finf")
	return pipetest.Run(run, "-schema", f.Schema, "-network", f.Network, "-normalizer", f.Normalizer,
		"-data", f.Data, "-split", f.Split, "-out", out), out
}

func TestPackage(t *testing.T) {
	f := pipetest.New(t)
	res, out := runPackage(f)
	require.NoError(t, res.Err)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	m, err := finf.Read(b)
	require.NoError(t, err)
	n, err := dataset.ReadNormalizer(f.Normalizer, []string{"length", "width"})
	require.NoError(t, err)
	mean, std := n.MeanStd()
	assert.Equal(t, mean, m.Mean)
	assert.Equal(t, std, m.Std)
	net, err := os.ReadFile(f.Network)
	require.NoError(t, err)
	bare, err := finf.Read(net)
	require.NoError(t, err)
	assert.Equal(t, bare.Layers, m.Layers)
}

func TestPackageBadInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		want  string
	}{
		{"network is not FINF", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Network, "FINX\x02\x00\x00\x00") }, "network.finf: "},
		{"empty network", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Network, "") }, "network.finf: "},
		{"network already packaged", func(t *testing.T, f *pipetest.Fix) {
			res, out := runPackage(f)
			require.NoError(t, res.Err)
			b, err := os.ReadFile(out)
			require.NoError(t, err)
			require.NoError(t, os.Remove(out))
			pipetest.Write(t, f.Network, string(b))
		}, "the file has a normaliser"},
		{"normaliser with zero std", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Normalizer, `{"features":["length","width"],"mean":[1,2],"std":[1,0]}`)
		}, "feature width: mean 2 and std 0"},
		{"normaliser for other features", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Normalizer, `{"features":["length"],"mean":[1],"std":[1]}`)
		}, "normalizer.json: statistics for 1 features"},
		{"no test rows", func(t *testing.T, f *pipetest.Fix) {
			ms, err := dataset.ReadSplit(f.Split, 30)
			require.NoError(t, err)
			for i := range ms {
				ms[i].Partition = dataset.Train
			}
			require.NoError(t, artifact.WriteFile(f.Split, func(w io.Writer) error { return artifact.WriteRecords(w, ms) }))
		}, "no test rows to check the model file on"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			tc.spoil(t, f)
			res, out := runPackage(f)
			require.Error(t, res.Err)
			assert.Equal(t, 1, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, f.Dir, out)
		})
	}
}
