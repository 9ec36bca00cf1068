package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type outs struct{ stats, train, validation, test string }

func runNormalize(f *pipetest.Fix) (pipetest.Result, outs) {
	d := filepath.Join(f.Dir, "out")
	o := outs{filepath.Join(d, "normalizer.json"), filepath.Join(d, "train.csv"), filepath.Join(d, "validation.csv"), filepath.Join(d, "test.csv")}
	return pipetest.Run(run, "-schema", f.Schema, "-data", f.Data, "-split", f.Split, "-out-stats", o.stats,
		"-out-train", o.train, "-out-validation", o.validation, "-out-test", o.test), o
}

func TestNormalize(t *testing.T) {
	f := pipetest.New(t)
	pipetest.Write(t, f.Data, "row,length,width,label\n0,1,5,0\n1,2,5,1\n2,3,5,0\n3,9,5,1\n4,7,5,1\n")
	pipetest.Write(t, f.Split, "row,partition,fold\n0,train,-1\n1,train,-1\n2,train,-1\n3,validation,-1\n4,test,-1\n")
	res, o := runNormalize(f)
	require.NoError(t, res.Err)
	// Fitted on rows 0-2 only: mean 2, population std sqrt(2/3); width is
	// constant, so mean 5 and std 1.
	n, err := dataset.ReadNormalizer(o.stats, []string{"length", "width"})
	require.NoError(t, err)
	mean, std := n.MeanStd()
	assert.Equal(t, []float32{2, 5}, mean)
	assert.Equal(t, []float32{float32(math.Sqrt(2.0 / 3)), 1}, std)

	test, err := dataset.ReadTable(o.test, []string{"length", "width"}, 3)
	require.NoError(t, err)
	assert.Equal(t, []int{4}, test.Rows)
	assert.Equal(t, []float32{(7 - 2) / float32(math.Sqrt(2.0/3)), 0}, test.X)
	val, err := dataset.ReadTable(o.validation, []string{"length", "width"}, 3)
	require.NoError(t, err)
	assert.Equal(t, []int{3}, val.Rows)
}

func TestNormalizeBadInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		want  string
	}{
		{"missing split", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Split)) }, "no such file"},
		{"split of another data set", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Split, "row,partition,fold\n0,train,-1\n")
		}, "split.csv: 1 rows, but the data set has 30"},
		{"unknown partition", func(t *testing.T, f *pipetest.Fix) {
			b, err := os.ReadFile(f.Split)
			require.NoError(t, err)
			pipetest.Write(t, f.Split, string(b[:len(b)-len("29,train,-1\n")])+"29,holdout,-1\n")
		}, `split.csv:31: partition "holdout" is not train, validation or test`},
		{"all rows in train", func(t *testing.T, f *pipetest.Fix) {
			text := "row,partition,fold\n"
			for i := range 30 {
				text += strconv.Itoa(i) + ",train,-1\n"
			}
			pipetest.Write(t, f.Split, text)
		}, "split.csv: no validation rows"},
		{"NaN in the data", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Data, "row,length,width,label\n0,NaN,2,0\n")
		}, `data.csv:2:3: length: "NaN" is not a finite number`},
		{"text in the data", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Data, "row,length,width,label\n0,1,two,0\n")
		}, `data.csv:2:5: width: "two" is not a finite number`},
		{"data with other features", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Data, "row,length,height,label\n0,1,2,0\n")
		}, `data.csv:1: header is "row,length,height,label", want "row,length,width,label"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			tc.spoil(t, f)
			res, o := runNormalize(f)
			require.Error(t, res.Err)
			assert.Equal(t, 1, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, f.Dir, o.stats, o.train, o.validation, o.test)
		})
	}
}
