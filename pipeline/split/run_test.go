package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runSplit(f *pipetest.Fix, out string) pipetest.Result {
	return pipetest.Run(run, "-config", f.Config, "-schema", f.Schema, "-data", f.Data, "-out", out)
}

func TestSplit(t *testing.T) {
	f := pipetest.New(t)
	out := filepath.Join(f.Dir, "out", "split.csv")
	require.NoError(t, runSplit(f, out).Err)
	ms, err := dataset.ReadSplit(out, 30)
	require.NoError(t, err)
	// Stratified: 10 rows per class give 2 test, 2 validation, 6 train each.
	counts := map[string][3]int{}
	for _, m := range ms {
		c := counts[m.Partition]
		c[m.Row/10]++
		counts[m.Partition] = c
		assert.Equal(t, -1, m.Fold)
	}
	assert.Equal(t, map[string][3]int{"test": {2, 2, 2}, "validation": {2, 2, 2}, "train": {6, 6, 6}}, counts)

	// The same seed gives the same bytes; another seed another split.
	first, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NoError(t, runSplit(f, out).Err)
	again, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(again))
	pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "seed = 3", "seed = 4", 1))
	require.NoError(t, runSplit(f, out).Err)
	other, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.NotEqual(t, string(first), string(other))
}

func TestAssign(t *testing.T) {
	labels := []int{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}
	ms, err := assign(labels, []string{"x", "y"}, config.Split{Train: 0.6, Validation: 0.2, Test: 0.2, Folds: 4}, 9)
	require.NoError(t, err)
	folds := map[int]int{}
	for i, m := range ms {
		assert.Equal(t, i, m.Row)
		if m.Partition == dataset.Test {
			assert.Equal(t, -1, m.Fold)
		} else {
			folds[m.Fold]++
		}
	}
	// 8 non-test rows per class dealt into 4 folds: 2 per class per fold.
	assert.Equal(t, map[int]int{0: 4, 1: 4, 2: 4, 3: 4}, folds)
}

// writeData replaces f's data set and schema with counts[c] rows of
// class c.
func writeData(t *testing.T, f *pipetest.Fix, counts ...int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("row,length,width,label\n")
	var classes []string
	row := 0
	for c, n := range counts {
		for i := range n {
			fmt.Fprintf(&b, "%d,%d.%d,%d,%d\n", row, c+1, i, 3-c, c)
			row++
		}
		classes = append(classes, fmt.Sprintf(`{"name":%q,"count":%d}`, pipetest.Classes[c], n))
	}
	pipetest.Write(t, f.Data, b.String())
	pipetest.Write(t, f.Schema, fmt.Sprintf(`{"source":"raw.csv","sha256":"","bytes":1,"format":"uci","label":"kind","rows":%d,
"features":[{"name":"length","column":0,"min":1,"max":9},{"name":"width","column":1,"min":1,"max":3}],
"classes":[%s]}`, row, strings.Join(classes, ",")))
}

// TestAssignFoldsKeepEveryClass: whenever assign accepts a split with
// folds, leaving out any one fold leaves every class with training rows;
// where that is impossible (a class with one row outside the test
// partition), it refuses.
func TestAssignFoldsKeepEveryClass(t *testing.T) {
	tests := []struct {
		name   string
		counts []int
		split  config.Split
		bad    string // the class named in the error; "" when assign accepts
	}{
		{"two rows outside test", []int{10, 3, 10}, config.Split{Train: 0.6, Validation: 0.1, Test: 0.3, Folds: 5}, ""},
		{"one row outside test", []int{10, 2, 10}, config.Split{Train: 0.5, Validation: 0.2, Test: 0.3, Folds: 2}, "b"},
		{"one row, no test", []int{1, 10, 10}, config.Split{Train: 0.8, Validation: 0.1, Test: 0.1, Folds: 3}, "a"},
		{"as many folds as the largest class has rows", []int{4, 6, 4}, config.Split{Train: 0.5, Validation: 0.25, Test: 0.25, Folds: 4}, ""},
		{"more folds than any class has rows", []int{4, 4, 4}, config.Split{Train: 0.5, Validation: 0.25, Test: 0.25, Folds: 4}, "-"},
		{"no folds, one train row", []int{10, 2, 10}, config.Split{Train: 0.5, Validation: 0.2, Test: 0.3}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var labels []int
			var classes []string
			for c, n := range tc.counts {
				classes = append(classes, pipetest.Classes[c])
				for range n {
					labels = append(labels, c)
				}
			}
			ms, err := assign(labels, classes, tc.split, 5)

			if tc.bad == "-" {
				require.Error(t, err)
				assert.Equal(t, "split.folds: 4 folds, but no class has more than 3 rows outside the test partition, "+
					"and each class is dealt into the folds from fold 0, so fold 3 would be empty", err.Error())
				return
			}
			if tc.bad != "" {
				require.Error(t, err)
				assert.True(t, strings.HasPrefix(err.Error(), "split.folds: class \""+tc.bad+"\" has "), err.Error())
				return
			}
			require.NoError(t, err)
			for fold := range tc.split.Folds {
				left := make([]int, len(classes))
				for _, m := range ms {
					if m.Fold >= 0 && m.Fold != fold {
						left[labels[m.Row]]++
					}
				}
				for c, n := range left {
					assert.Positive(t, n, "without fold %d, class %s has no training rows", fold, classes[c])
				}
				assert.True(t, slices.ContainsFunc(ms, func(m dataset.Member) bool { return m.Fold == fold }),
					"fold %d is empty", fold)
			}
		})
	}
}

func TestSplitBadInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		code  int
		want  string
	}{
		{"class left out of training", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.NewReplacer("train = 0.6", "train = 0.1",
				"validation = 0.2", "validation = 0.45", "test = 0.2", "test = 0.45").Replace(pipetest.Experiment("")))
		}, 1, `exp.toml:12: split.test, split.validation: class "a" has 10 rows, and test 5 + validation 5 leave none for training`},
		{"too many folds", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "test = 0.2", "test = 0.2\nfolds = 30", 1))
		}, 1, "exp.toml:13: split.folds: 30 folds, but no class has more than 8 rows outside the test partition, " +
			"and each class is dealt into the folds from fold 0, so folds 8 to 29 would be empty"},
		{"a fold would train without a class", func(t *testing.T, f *pipetest.Fix) {
			// Class b has 2 rows: round(2 * 0.3) = 1 test, round(2 * 0.2) = 0
			// validation, 1 train, dealt into fold 0.
			writeData(t, f, 10, 2, 10)
			pipetest.Write(t, f.Config, strings.NewReplacer("train = 0.6", "train = 0.5",
				"test = 0.2", "test = 0.3\nfolds = 3").Replace(pipetest.Experiment("")))
		}, 1, `exp.toml:13: split.folds: class "b" has 2 rows, 1 of them test, leaving 1 (1 train, 0 validation) ` +
			`to deal into the 3 folds; the network trained without fold 0 would never see the class`},
		{"typo in a key", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Config, strings.Replace(pipetest.Experiment(""), "seed = 3", "sead = 3", 1))
		}, 2, `exp.toml:2: sead: unknown key; did you mean "seed"?`},
		{"missing data file", func(t *testing.T, f *pipetest.Fix) { require.NoError(t, os.Remove(f.Data)) }, 1, "no such file"},
		{"empty data file", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Data, "") }, 1, "data.csv: empty file"},
		{"ragged data file", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Data, "row,length,width,label\n0,1,2,0\n1,2\n")
		}, 1, "data.csv:3:1: wrong number of fields"},
		{"label out of range", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Data, "row,length,width,label\n0,1,2,3\n")
		}, 1, `data.csv:2:7: label "3" is not a class index in [0, 3)`},
		{"schema with one class", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Schema, `{"source":"x","sha256":"","bytes":1,"format":"uci","label":"kind","rows":1,
"features":[{"name":"length","column":0,"min":1,"max":1},{"name":"width","column":1,"min":1,"max":1}],
"classes":[{"name":"a","count":1}]}`)
		}, 1, "schema.json: 1 classes, want at least 2"},
		{"schema with an unknown field", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Schema, "{\n\"rowz\": 3}") }, 1,
			`schema.json:2: json: unknown field "rowz"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := pipetest.New(t)
			tc.spoil(t, f)
			out := filepath.Join(f.Dir, "out", "split.csv")
			res := runSplit(f, out)
			require.Error(t, res.Err)
			assert.Equal(t, tc.code, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			assert.NotContains(t, res.Err.Error(), "split: ", "the stage name is main's to add, once")
			pipetest.NoFile(t, f.Dir, out)
		})
	}
}
