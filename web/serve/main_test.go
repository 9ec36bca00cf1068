package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunErrors(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no dir", nil, true, ""},
		{"extra argument", []string{"-dir", empty, "x"}, true, ""},
		{"unknown flag", []string{"-port", "1"}, true, ""},
		{"missing dir", []string{"-dir", filepath.Join(empty, "nope")}, false, "no such file"},
		{"not a folder", []string{"-dir", file}, false, "not a folder"},
		{"no index", []string{"-dir", empty}, false, "no index.html"},
		{"bad address", []string{"-dir", withIndex(t), "-addr", "127.0.0.1:99999"}, false, "invalid port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), tc.args, &stderr)
			require.Error(t, err)
			if tc.usage {
				assert.True(t, errors.Is(err, errUsage), "%v", err)
				assert.Contains(t, stderr.String(), "Usage: serve")
			} else {
				assert.Contains(t, err.Error(), tc.want)
			}
		})
	}
}

func withIndex(t *testing.T) string {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>"), 0o644))
	return dir
}

func TestRunStopsCleanly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-dir", withIndex(t), "-addr", "127.0.0.1:0"}, &stderr) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	assert.Contains(t, stderr.String(), "url=http://127.0.0.1:")
}
