package wasmgen

import (
	"bytes"
	"compress/gzip"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

var update = flag.Bool("update", false, "rewrite testdata/ref_4_32_3.wasm")

const goldenPath = "testdata/ref_4_32_3.wasm"

// TestGolden pins the module compiled from finf's reference model byte for
// byte (regenerate with go test -run TestGolden -update and review the
// diff), and its size: the page downloads it before its first prediction.
func TestGolden(t *testing.T) {
	bin, err := Compile(refModel(t))
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(goldenPath, bin, 0o644))
	}
	want, err := os.ReadFile(goldenPath)
	require.NoError(t, err)
	assert.Equal(t, want, bin)

	var gz bytes.Buffer
	w, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	require.NoError(t, err)
	_, err = w.Write(bin)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	t.Logf("reference 4-32-3 module: %d bytes raw, %d bytes gzip -9", len(bin), gz.Len())
	// 1,068 bytes of weights and normaliser plus the code: about 2 KB.
	assert.Less(t, len(bin), 2500, "raw size")
	assert.Less(t, gz.Len(), 2000, "gzip size")
}

// TestWasmValidate checks emitted modules with wabt's wasm-validate, a
// second, independent reading of the binary format. Without the tool the
// test skips, except in CI (CI=true), where it fails: CI must install wabt.
func TestWasmValidate(t *testing.T) {
	tool, err := exec.LookPath("wasm-validate")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("wasm-validate not found in CI: install Debian's wabt package (apt-get install -y wabt)")
		}
		t.Skip("SKIPPING the independent validation of emitted modules: wasm-validate not found; install it with apt-get install -y wabt")
	}
	r := rng.New(3)
	modules := map[string][]byte{"math.wasm": mathModule()}
	models := map[string]*finf.Model{
		"ref_4_32_3.wasm": refModel(t),
		"all_kinds.wasm": randModel(r, []int{3, 8, 8, 8, 8, 2},
			[]int{relu, sigm, tanh, iden, soft}, 1, true),
		"no_normaliser.wasm": randModel(r, []int{1, 1}, []int{none}, 1, false),
	}
	lead := randModel(r, []int{2, 3}, []int{tanh}, 1, false)
	lead.Layers = append([]finf.Layer{act(finf.Sigmoid)}, lead.Layers...)
	models["leading_activation.wasm"] = lead
	for name, m := range models {
		bin, err := Compile(m)
		require.NoError(t, err)
		modules[name] = bin
	}
	dir := t.TempDir()
	for name, bin := range modules {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, bin, 0o644))
			out, err := exec.Command(tool, path).CombinedOutput()
			assert.NoError(t, err, "wasm-validate %s: %s", name, out)
		})
	}
}
