package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/stretchr/testify/require"
)

// blobsFile writes a Gaussian-blobs CSV of rows rows (64 features, 10
// classes) and an experiment that reads it into dir, using the project's
// generator (pipeline/blobs, a main package, so it is run with go run).
func blobsFile(tb testing.TB, dir string, rows int) (config string, size int64) {
	tb.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("go command not found; it runs the blobs generator")
	}
	raw := filepath.Join(dir, "blobs.csv")
	out, err := exec.Command(goCmd, "run", "../blobs", "-o", raw, "-rows", strconv.Itoa(rows)).CombinedOutput()
	require.NoError(tb, err, "%s", out)
	fi, err := os.Stat(raw)
	require.NoError(tb, err)
	config = filepath.Join(dir, "blobs.toml")
	require.NoError(tb, os.WriteFile(config, []byte(`description = "issue 7 ingest benchmark"
[data]
path = "blobs.csv"
format = "header"
label = "label"
classes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
`), 0o644))
	return config, fi.Size()
}

// BenchmarkIngest runs the whole stage (read, check, hash, write data.csv
// and schema.json) on a generated blobs file; issue 7 asks for the
// 200,000-row file in at most 1 s.
func BenchmarkIngest(b *testing.B) {
	for _, rows := range []int{20000, 200000} {
		b.Run("rows="+strconv.Itoa(rows), func(b *testing.B) {
			dir := b.TempDir()
			config, size := blobsFile(b, dir, rows)
			data, schema := filepath.Join(dir, "out", "data.csv"), filepath.Join(dir, "out", "schema.json")
			b.SetBytes(size)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := run([]string{"-config", config, "-out-data", data, "-out-schema", schema}, io.Discard, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			fi, err := os.Stat(data)
			require.NoError(b, err)
			b.ReportMetric(float64(fi.Size())/1e6, "MB-out")
		})
	}
}

// BenchmarkParse compares the encoding/csv reference with the scanner in
// one and two parts on a 20,000-row blobs file held in memory.
func BenchmarkParse(b *testing.B) {
	path, _ := blobsFile(b, b.TempDir(), 20000)
	cfg, err := config.Load(path)
	require.NoError(b, err)
	raw, err := os.ReadFile(cfg.DataPath())
	require.NoError(b, err)
	for _, bc := range []struct {
		name      string
		parts     int
		reference bool
	}{{"reference", 1, true}, {"parts=1", 1, false}, {"parts=2", 2, false}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			var rows int
			for b.Loop() {
				t, _, err := parseWith(cfg.DataPath(), raw, cfg, bc.parts, bc.reference)
				if err != nil {
					b.Fatal(err)
				}
				rows = t.Len()
			}
			if rows != 20000 {
				b.Fatalf("%d rows", rows)
			}
		})
	}
}
