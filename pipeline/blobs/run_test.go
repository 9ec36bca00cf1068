package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/blobs"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

func runBlobs(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(args, &stdout, &stderr)
	assert.Empty(t, stdout.String(), "stdout is for machine-readable results only")
	return stderr.String(), err
}

func readBlobs(t *testing.T, path string, cols int) (header []string, x []float32, y []int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	for i, rec := range recs[1:] {
		require.Len(t, rec, cols+1, "row %d", i+1)
		for _, s := range rec[:cols] {
			v, err := strconv.ParseFloat(s, 32)
			require.NoError(t, err)
			// Shortest text: formatting the parsed value gives the text back.
			require.Equal(t, s, strconv.FormatFloat(v, 'g', -1, 32))
			x = append(x, float32(v))
		}
		label, err := strconv.Atoi(rec[cols])
		require.NoError(t, err)
		y = append(y, label)
	}
	return recs[0], x, y
}

// sha1000 is the pinned SHA-256 of the file of 1,000 rows with the default
// shape and seed 1 (nn/blobs pins those rows' values).
const sha1000 = "849d5a30b89f77a3b344bcf11877b764b5020d8d90c62569ea3e3cff2a57e089"

func TestBlobsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "blobs.csv")
	_, err := runBlobs(t, "-o", path, "-rows", "1000")
	require.NoError(t, err)
	header, x, y := readBlobs(t, path, 64)
	require.Len(t, header, 65)
	assert.Equal(t, "f0", header[0])
	assert.Equal(t, "f63", header[63])
	assert.Equal(t, "label", header[64])
	require.Len(t, y, 1000)
	require.Len(t, x, 64000)
	counts := make([]int, 10)
	for _, c := range y {
		require.True(t, c >= 0 && c < 10, "label %d", c)
		counts[c]++
	}
	for c, n := range counts {
		assert.Greater(t, n, 60, "class %d has %d of 1000 rows", c, n)
	}
	// Every value is its class centre, in [-10, 10), plus a standard
	// normal, which Box-Muller with 53-bit uniforms keeps within 8.6.
	for i, v := range x {
		require.True(t, v > -18.6 && v < 18.6, "value %d is %v", i, v)
	}
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	assert.Equal(t, sha1000, hex.EncodeToString(sum[:]), "the file's bytes changed")
	wx, wy := blobs.Make(1, 1000, 64, 10)
	assert.Equal(t, wx, x, "the file holds blobs.Make's values")
	assert.Equal(t, wy, y)
}

func TestBlobsIsReproducibleAndSeeded(t *testing.T) {
	dir := t.TempDir()
	read := func(name string, args ...string) []byte {
		path := filepath.Join(dir, name)
		_, err := runBlobs(t, append([]string{"-o", path}, args...)...)
		require.NoError(t, err)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return b
	}
	a := read("a.csv", "-rows", "50", "-cols", "3", "-classes", "4", "-seed", "9")
	b := read("b.csv", "-rows", "50", "-cols", "3", "-classes", "4", "-seed", "9")
	c := read("c.csv", "-rows", "50", "-cols", "3", "-classes", "4", "-seed", "10")
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
	// A longer file starts with the shorter one: rows are drawn in order.
	long := read("long.csv", "-rows", "80", "-cols", "3", "-classes", "4", "-seed", "9")
	assert.True(t, bytes.HasPrefix(long, a))
	assert.Equal(t, 81, bytes.Count(long, []byte("\n")))
}

func TestBlobsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no output", nil, "missing -o"},
		{"zero rows", []string{"-o", out, "-rows", "0"}, "-rows 0: must be at least 1"},
		{"negative cols", []string{"-o", out, "-cols", "-2"}, "-cols -2: must be at least 1"},
		{"zero classes", []string{"-o", out, "-classes", "0"}, "-classes 0: must be at least 1"},
		{"not a number", []string{"-o", out, "-rows", "many"}, "invalid value \"many\""},
		{"positional", []string{"-o", out, "extra"}, "unexpected argument \"extra\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runBlobs(t, tc.args...)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			assert.Equal(t, 2, stage.ExitCode(err))
			assert.NoFileExists(t, out)
		})
	}
}

func TestBlobsWriteErrorLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(blocker, nil, 0o644))
	_, err := runBlobs(t, "-o", filepath.Join(blocker, "x.csv"), "-rows", "3")
	require.Error(t, err)
	assert.Equal(t, 1, stage.ExitCode(err))
	assert.ErrorContains(t, err, "write "+filepath.Join(blocker, "x.csv"))
}
