package pipetest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTemporaries: NoFile's search finds a temporary file wherever the
// stages write it, in the fixture folder or below it (out/, where the
// split, normalize and package tests write).
func TestTemporaries(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  []string
	}{
		{"none", []string{"data.csv", "out/split.csv"}, nil},
		{"top level", []string{".split.csv.123.tmp", "data.csv"}, []string{".split.csv.123.tmp"}},
		{"in out/", []string{"out/.split.csv.123.tmp", "out/split.csv"}, []string{"out/.split.csv.123.tmp"}},
		{"deeper", []string{"out/site/.site.json.9.tmp", "a.tmp"}, []string{"a.tmp", "out/site/.site.json.9.tmp"}},
		{"a folder", []string{"out/x.tmp/file"}, []string{"out/x.tmp"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tc.files {
				p := filepath.Join(dir, filepath.FromSlash(f))
				require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
				require.NoError(t, os.WriteFile(p, nil, 0o644))
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, filepath.Join(dir, filepath.FromSlash(w)))
			}
			got, err := temporaries(dir)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
	_, err := temporaries(filepath.Join(t.TempDir(), "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}
