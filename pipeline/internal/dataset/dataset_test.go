package dataset

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, text string) string {
	path := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func TestTableRoundTrip(t *testing.T) {
	third := float32(1) / 3
	tab := &Table{Features: []string{"a", "b,c"}, Rows: []int{4, 0}, X: []float32{0.1, third, -2e-30, 16777216}, Y: []int{1, 0}}
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, tab))
	assert.Equal(t, "row,a,\"b,c\",label\n4,0.1,0.33333334,1\n0,-2e-30,1.6777216e+07,0\n", buf.String())
	back, err := ReadTable(write(t, buf.String()), tab.Features, 2)
	require.NoError(t, err)
	assert.Equal(t, tab, back)
	for i, x := range tab.X {
		assert.Equal(t, math.Float32bits(x), math.Float32bits(back.X[i]))
	}
	assert.Equal(t, []float32{-2e-30, 16777216}, back.Row(1))
	sel := back.Select([]int{1})
	assert.Equal(t, &Table{Features: tab.Features, Rows: []int{0}, X: []float32{-2e-30, 16777216}, Y: []int{0}}, sel)
}

func TestWriteTableRejectsNaN(t *testing.T) {
	tab := &Table{Features: []string{"a"}, Rows: []int{0}, X: []float32{float32(math.NaN())}, Y: []int{0}}
	assert.Error(t, WriteTable(&bytes.Buffer{}, tab))
}

func TestReadTableErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"empty", "", ": empty file"},
		{"header", "row,x,label\n", `:1: header is "row,x,label", want "row,a,label"`},
		{"no rows", "row,a,label\n", ": no rows"},
		{"ragged", "row,a,label\n0,1\n", ":2:1: wrong number of fields"},
		{"row index", "row,a,label\n-1,1,0\n", `:2:1: row "-1" is not a row index`},
		{"text", "row,a,label\n0,x,0\n", `:2:3: a: "x" is not a finite number`},
		{"inf", "row,a,label\n0,1e39,0\n", `:2:3: a: "1e39" is not a finite number`},
		{"label", "row,a,label\n0,1,2\n", `:2:5: label "2" is not a class index in [0, 2)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := write(t, tc.text)
			_, err := ReadTable(path, []string{"a"}, 2)
			require.Error(t, err)
			assert.Equal(t, path+tc.want, err.Error())
		})
	}
}

func TestReadSplit(t *testing.T) {
	ms, err := ReadSplit(write(t, "row,partition,fold\n0,train,1\n1,test,-1\n2,validation,0\n"), 3)
	require.NoError(t, err)
	assert.Equal(t, []Member{{0, Train, 1}, {1, Test, -1}, {2, Validation, 0}}, ms)
	assert.Equal(t, map[string][]int{Train: {0}, Test: {1}, Validation: {2}}, Positions(ms))

	tests := []struct{ name, text, want string }{
		{"count", "row,partition,fold\n0,train,-1\n", ": 1 rows, but the data set has 3"},
		{"order", "row,partition,fold\n0,train,-1\n2,train,-1\n1,test,-1\n", ":3: row is 2, want 1"},
		{"partition", "row,partition,fold\n0,train,-1\n1,dev,-1\n2,test,-1\n", `:3: partition "dev" is not train, validation or test`},
		{"test fold", "row,partition,fold\n0,train,0\n1,test,0\n2,test,-1\n", ":3: fold 0 does not fit partition test"},
		{"missing fold", "row,partition,fold\n0,train,0\n1,train,-1\n2,test,-1\n", ":3: fold -1 does not fit partition train"},
		{"header", "row,part,fold\n", `:1: header is "row,part,fold", want "row,partition,fold"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := write(t, tc.text)
			_, err := ReadSplit(path, 3)
			require.Error(t, err)
			assert.Equal(t, path+tc.want, err.Error())
		})
	}
}

func TestNormalizerRoundTrip(t *testing.T) {
	mean, std := []float32{0.1, 5.8843}, []float32{1, 0.82530123}
	n := NewNormalizer([]string{"a", "b"}, mean, std)
	var buf bytes.Buffer
	require.NoError(t, artifact.WriteJSON(&buf, n))
	assert.Equal(t, "{\n  \"features\": [\n    \"a\",\n    \"b\"\n  ],\n  \"mean\": [\n    0.1,\n    5.8843\n  ],\n"+
		"  \"std\": [\n    1,\n    0.82530123\n  ]\n}\n", buf.String())
	back, err := ReadNormalizer(write(t, buf.String()), []string{"a", "b"})
	require.NoError(t, err)
	m, s := back.MeanStd()
	assert.Equal(t, mean, m)
	assert.Equal(t, std, s)

	_, err = ReadNormalizer(write(t, buf.String()), []string{"a", "c"})
	assert.ErrorContains(t, err, `statistics for 2 features ["a" "b"], want 2 ["a" "c"]`)
	_, err = ReadNormalizer(write(t, `{"features":["a"],"mean":[1],"std":[-1]}`), []string{"a"})
	assert.ErrorContains(t, err, "feature a: mean 1 and std -1")
}

func TestSchemaReadTable(t *testing.T) {
	s := &Schema{Features: []Feature{{Name: "a"}, {Name: "b"}}, Classes: []Class{{Name: "x"}, {Name: "y"}}}
	path := filepath.Join(t.TempDir(), "t.csv")
	require.NoError(t, os.WriteFile(path, []byte("row,a,b,label\n0,1,2,1\n"), 0o644))
	tab, err := s.ReadTable(path)
	require.NoError(t, err)
	assert.Equal(t, []float32{1, 2}, tab.X)
	assert.Equal(t, []int{1}, tab.Y)
	require.NoError(t, os.WriteFile(path, []byte("row,a,b,label\n0,1,2,2\n"), 0o644))
	_, err = s.ReadTable(path)
	assert.ErrorContains(t, err, `label "2" is not a class index in [0, 2)`)
}
