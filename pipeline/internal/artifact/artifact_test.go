package artifact

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "sub", "a.txt"), filepath.Join(dir, "sub", "b.txt")
	require.NoError(t, WriteFiles(File{a, writeString("A")}, File{b, writeString("B")}))
	got, err := os.ReadFile(a)
	require.NoError(t, err)
	assert.Equal(t, "A", string(got))
	st, err := os.Stat(b)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	entries, err := os.ReadDir(filepath.Join(dir, "sub"))
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files left")
}

func TestWriteFilesErrorLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("boom")
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	err := WriteFiles(File{a, writeString("A")}, File{b, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	}})
	assert.ErrorIs(t, err, boom)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

func TestWriteFileKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	require.NoError(t, WriteFile(a, writeString("old")))
	assert.Error(t, WriteFile(a, func(io.Writer) error { return errors.New("no") }))
	got, err := os.ReadFile(a)
	require.NoError(t, err)
	assert.Equal(t, "old", string(got))
}

func TestFloatText(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{0.1, "0.1"}, {1, "1"}, {1e-7, "1e-07"}, {1.0 / 3, "0.3333333333333333"}, {-2.5e21, "-2.5e+21"},
	}
	for _, tc := range tests {
		b, err := Float64(tc.x).MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(b))
		var back Float64
		require.NoError(t, back.UnmarshalJSON(b))
		assert.Equal(t, math.Float64bits(tc.x), math.Float64bits(float64(back)))
	}
	assert.Equal(t, "0.1", Float32(0.1).String())
	var f Float32
	require.NoError(t, f.UnmarshalJSON([]byte("0.1")))
	assert.Equal(t, math.Float32bits(0.1), math.Float32bits(float32(f)))
	_, err := Float64(math.NaN()).MarshalJSON()
	assert.ErrorIs(t, err, ErrNotFinite)
	_, err = Float32(float32(math.Inf(1))).MarshalJSON()
	assert.ErrorIs(t, err, ErrNotFinite)
}

func TestLogRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.csv")
	log := []Epoch{{1, 1.0986122886681098, 1.0 / 3, 1.1, 0.3}, {2, 0.5, 0.9, 0.6, 0.8666666666666667}}
	require.NoError(t, WriteFile(path, func(w io.Writer) error { return WriteRecords(w, log) }))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n"+
		"1,1.0986122886681098,0.3333333333333333,1.1,0.3\n2,0.5,0.9,0.6,0.8666666666666667\n", string(b))
	back, err := ReadLog(path)
	require.NoError(t, err)
	assert.Equal(t, log, back)
}

func TestReadLogErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"empty", "", "empty file"},
		{"header", "epoch,loss\n", `:1: header is "epoch,loss"`},
		{"no rows", "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n", "no epochs"},
		{"ragged", "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n1,2,3\n", ":2:"},
		{"text", "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n1,x,1,1,1\n", ":2:2:"},
		{"order", "epoch,train_loss,train_accuracy,val_loss,val_accuracy\n2,1,1,1,1\n", ":2: epoch is 2, want 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.csv")
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o644))
			_, err := ReadLog(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), path), err.Error())
		})
	}
}

func TestReadJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.json")
	type T struct {
		A Float64 `json:"a"`
	}
	require.NoError(t, WriteFile(path, func(w io.Writer) error { return WriteJSON(w, T{0.1}) }))
	var v T
	require.NoError(t, ReadJSON(path, &v))
	assert.Equal(t, Float64(0.1), v.A)

	require.NoError(t, os.WriteFile(path, []byte("{\n\"a\": 1,\n\"b\": 2}"), 0o644))
	err := ReadJSON(path, &v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown field "b"`)
	require.NoError(t, os.WriteFile(path, []byte("{\n\"a\": \"x\"}"), 0o644))
	err = ReadJSON(path, &v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+":2:")
}

func TestSeedsRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seeds.csv")
	seeds := []Seed{{0, 0xD1B54A32D192ED02, 0.9666666666666667, 0.0625, 0.9665831244778613},
		{1, 18446744073709551615, 1, 0, 1}}
	require.NoError(t, WriteFile(path, func(w io.Writer) error { return WriteSeeds(w, seeds) }))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "repeat,seed,accuracy,log_loss,macro_f1\n"+
		"0,15111065706836454658,0.9666666666666667,0.0625,0.9665831244778613\n"+
		"1,18446744073709551615,1,0,1\n", string(b))
	back, err := ReadSeeds(path)
	require.NoError(t, err)
	assert.Equal(t, seeds, back)

	require.NoError(t, WriteFile(path, func(w io.Writer) error { return WriteSeeds(w, nil) }))
	b, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "repeat,seed,accuracy,log_loss,macro_f1\n", string(b), "one network: header only")
	back, err = ReadSeeds(path)
	require.NoError(t, err)
	assert.Empty(t, back)
}

func TestReadSeedsErrors(t *testing.T) {
	const header = "repeat,seed,accuracy,log_loss,macro_f1\n"
	tests := []struct{ name, text, want string }{
		{"empty", "", "empty file, want the header repeat,seed,accuracy,log_loss,macro_f1"},
		{"folds header", "fold,train_rows,held_out_rows,accuracy,log_loss,macro_f1\n", `:1: header is "fold,train_rows`},
		{"ragged", header + "0,7,1,0.5\n", ":2:"},
		{"seed not a number", header + "0,seven,1,0.5,1\n", ":2:2:"},
		{"negative seed", header + "0,-7,1,0.5,1\n", ":2:2:"},
		{"accuracy not a number", header + "0,7,high,0.5,1\n", ":2:3:"},
		{"out of order", header + "0,7,1,0.5,1\n2,8,1,0.5,1\n", ":3: repeat is 2, want 1"},
		{"seed twice", header + "0,7,1,0.5,1\n1,8,1,0.5,1\n2,7,1,0.5,1\n", ":4: seed 7 is also the seed of repeat 0"},
		{"accuracy above 1", header + "0,7,1.5,0.5,1\n", ":2: accuracy is 1.5, want a value in [0, 1]"},
		{"NaN accuracy", header + "0,7,NaN,0.5,1\n", ":2: accuracy is NaN, want a value in [0, 1]"},
		{"negative log loss", header + "0,7,1,-0.5,1\n", ":2: log_loss is -0.5, want a value that is finite and >= 0"},
		{"infinite log loss", header + "0,7,1,+Inf,1\n", ":2: log_loss is +Inf, want a value that is finite and >= 0"},
		{"macro F1 below 0", header + "0,7,1,0.5,-1e-9\n", ":2: macro_f1 is -1e-09, want a value in [0, 1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seeds.csv")
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o644))
			_, err := ReadSeeds(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), path), err.Error())
		})
	}
}
