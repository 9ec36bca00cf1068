package pipeline_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestArm64ReproducesManifest builds the stage binaries for linux/arm64, runs
// every experiment through them under qemu-aarch64 (user-mode emulation) and
// requires `make reproduce-check` to pass: another architecture, another
// instruction set (with fused multiply-add instructions the compiler could
// use), the same bytes as the committed manifest. It skips without
// qemu-aarch64 outside CI; in CI (CI=true) it fails, as .ci/run installs it.
func TestArm64ReproducesManifest(t *testing.T) {
	if testing.Short() {
		t.Skip("reruns every experiment under emulation; skipped with -short")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	qemu, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("qemu-aarch64 is not installed (apt-get install qemu-user); CI must run this test")
		}
		t.Skip("SKIPPED: qemu-aarch64 is not installed (apt-get install qemu-user), so arm64 reproducibility is not checked")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	bin := t.TempDir()
	real := filepath.Join(bin, "arm64")
	// The stage binaries as Make would build them, for arm64, each behind a
	// script of the stage's name that runs it under qemu. The scripts are
	// written last, so they are newer than every source and Make keeps them.
	for _, stage := range []string{"ingest", "split", "normalize", "train", "evaluate", "package", "report"} {
		build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(real, stage), "./pipeline/"+stage)
		build.Dir = root
		build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		out, err := build.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	engine := exec.Command("make", "--no-print-directory", filepath.Join(bin, "engine.wasm"), "BIN="+bin)
	engine.Dir = root
	engine.Env = append(os.Environ(), "MAKEFLAGS=")
	out, err := engine.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, stage := range []string{"ingest", "split", "normalize", "train", "evaluate", "package", "report"} {
		script := fmt.Sprintf("#!/bin/sh\nexec %s %s \"$@\"\n", qemu, filepath.Join(real, stage))
		require.NoError(t, os.WriteFile(filepath.Join(bin, stage), []byte(script), 0o755))
	}

	check := exec.Command("make", "--no-print-directory", "reproduce-check", "BIN="+bin)
	check.Dir = root
	check.Env = append(os.Environ(), "MAKEFLAGS=")
	out, err = check.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "files reproduce bit for bit")
}
