package pipeline_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPureGoKernelsReproduceManifest builds the stage binaries with
// -tags purego, the portable kernels that every architecture but amd64 with
// AVX2 runs (and js/wasm), and requires `make reproduce-check` to pass with
// them: every output of every experiment, trained with the other kernels,
// has the bytes the committed manifest records.
func TestPureGoKernelsReproduceManifest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries again and reruns every experiment; skipped with -short")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	cmd := exec.Command("make", "--no-print-directory", "reproduce-check", "BIN="+t.TempDir())
	cmd.Dir = root
	flags := strings.TrimSpace(os.Getenv("GOFLAGS") + " -tags=purego")
	cmd.Env = append(os.Environ(), "GOFLAGS="+flags, "MAKEFLAGS=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "files reproduce bit for bit")
}
