package site

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// EnginePackage is the import path of the engine's WebAssembly entry point.
const EnginePackage = "github.com/ferrum-ml/ferrum/web/wasm"

// BuildEngine compiles the engine (EnginePackage) for GOOS=js GOARCH=wasm
// into the file out, with the go command goCmd run in moduleDir (any folder
// inside the module). It builds with
//
//	-trimpath -buildvcs=false -ldflags="-s -w"
//
// so the bytes depend only on the sources and the Go toolchain: no paths,
// no VCS state, no symbol table. It returns the go command's output in the
// error when the build fails.
func BuildEngine(ctx context.Context, goCmd, moduleDir, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, goCmd, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", abs, EnginePackage)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build the engine: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// WasmExecPath returns the path of wasm_exec.js in the Go distribution of
// goCmd: $GOROOT/lib/wasm/wasm_exec.js (Go 1.24 and later), or
// $GOROOT/misc/wasm/wasm_exec.js for older toolchains. It returns an error if
// neither exists.
func WasmExecPath(ctx context.Context, goCmd string) (string, error) {
	out, err := exec.CommandContext(ctx, goCmd, "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	root := strings.TrimSpace(string(out))
	for _, p := range []string{filepath.Join(root, "lib", "wasm", "wasm_exec.js"), filepath.Join(root, "misc", "wasm", "wasm_exec.js")} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no wasm_exec.js in GOROOT %s", root)
}
