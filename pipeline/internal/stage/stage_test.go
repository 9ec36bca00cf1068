package stage

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{flag.ErrHelp, 0},
		{Usagef("bad"), 2},
		{fmt.Errorf("wrapped: %w", &config.Error{File: "x.toml", Msg: "bad"}), 2},
		{errors.Join(&config.Error{File: "x.toml", Msg: "a"}, &config.Error{File: "x.toml", Msg: "b"}), 2},
		{os.ErrNotExist, 1},
		{errors.New("data"), 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, ExitCode(tc.err), "%v", tc.err)
	}
}

func TestParse(t *testing.T) {
	var stderr bytes.Buffer
	fs := Flags("x", "Usage: x -in FILE\n\nExample:\n  x -in a\n", &stderr)
	in := fs.String("in", "", "input `file`")
	require.NoError(t, Parse(fs, []string{"-in", "a", "-v"}, "in"))
	assert.Equal(t, "a", *in)
	assert.True(t, Verbose(fs))

	fs = Flags("x", "Usage: x -in FILE\n", &stderr)
	fs.String("in", "", "input `file`")
	err := Parse(fs, nil, "in")
	assert.Equal(t, 2, ExitCode(err))
	assert.EqualError(t, err, "missing -in (see -h)")
	assert.False(t, Verbose(fs))

	stderr.Reset()
	err = Parse(fs, []string{"-h"})
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, stderr.String(), "Usage: x -in FILE\n\nFlags:\n  -in file")
}

func TestLoadConfig(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "none.toml"))
	assert.Equal(t, 2, ExitCode(err))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestLoggerQuiet(t *testing.T) {
	var buf bytes.Buffer
	Logger(&buf, false).Info("hidden")
	Logger(&buf, false).Warn("shown")
	Logger(&buf, true).Info("also", "k", 1)
	assert.Equal(t, "level=WARN msg=shown\nlevel=INFO msg=also k=1\n", buf.String())
}
