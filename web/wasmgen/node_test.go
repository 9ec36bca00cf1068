package wasmgen

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/nn/rng"
)

// nodeScript drives loader.js in Node: it loads the module from bytes and
// from a URL, predicts on inputs given as float32 bits (in a Float32Array)
// and as plain numbers, and checks the loader's errors.
const nodeScript = `
import { readFileSync } from "node:fs";
const { loadModel } = await import(process.argv[2]);
const spec = JSON.parse(readFileSync(process.argv[3], "utf8"));
const bitsOf = (f) => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));
const model = await loadModel(readFileSync(spec.wasm));
const viaURL = await loadModel(spec.url);
const res = { inWidth: model.inWidth, outWidth: model.outWidth, bits: [], numbers: [], url: [], errors: [] };
for (const b of spec.bits) {
  const x = new Float32Array(new Uint32Array(b).buffer);
  res.bits.push(bitsOf(model.predict(x)));
  res.url.push(bitsOf(viaURL.predict(x)));
}
for (const x of spec.numbers) res.numbers.push(bitsOf(model.predict(x)));
for (const f of [() => model.predict([1]), () => loadModel(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])), () => loadModel(spec.url + ".missing")]) {
  try { await f(); res.errors.push("no error"); } catch (e) { res.errors.push(e.constructor.name + ": " + e.message); }
}
console.log(JSON.stringify(res));
`

// TestLoaderInNode runs loader.js in Node on a compiled model and compares
// its outputs with the engine's, for inputs passed as a Float32Array (bit
// for bit, edge values included) and as plain numbers, which loader.js must
// round to float32 as Go's float32(x) does. The module is also fetched over
// HTTP from a loopback server. Node is optional: without it the test skips.
func TestLoaderInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIPPING the loader.js test: node not found (apt-get install -y nodejs)")
	}
	r := rng.New(9)
	m := randModel(r, []int{5, 16, 4}, []int{tanh, soft}, 1, true)
	bin, err := Compile(m)
	require.NoError(t, err)
	p := native(t, m)

	dir := t.TempDir()
	wasmPath := filepath.Join(dir, "model.wasm")
	require.NoError(t, os.WriteFile(wasmPath, bin, 0o644))
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	xs := inputs(r, 5, 40)
	var bits [][]uint32
	for _, x := range xs {
		bits = append(bits, bitsOf(x))
	}
	// Numbers that are not float32 values, so loader.js must round them.
	var numbers [][]float64
	for n := 0; n < 40; n++ {
		x := make([]float64, 5)
		for i := range x {
			x[i] = 3 * r.Normal()
		}
		numbers = append(numbers, x)
	}
	numbers = append(numbers, []float64{0.1, 1.0 / 3, -2.0 / 3, 1 + 0x1p-24, 1 + 0x1.8p-24})

	spec, err := json.Marshal(map[string]any{"wasm": wasmPath, "url": srv.URL + "/model.wasm", "bits": bits, "numbers": numbers})
	require.NoError(t, err)
	specPath := filepath.Join(dir, "spec.json")
	require.NoError(t, os.WriteFile(specPath, spec, 0o644))
	scriptPath := filepath.Join(dir, "run.mjs")
	require.NoError(t, os.WriteFile(scriptPath, []byte(nodeScript), 0o644))
	loader, err := filepath.Abs("loader.js")
	require.NoError(t, err)

	cmd := exec.Command(node, scriptPath, "file://"+loader, specPath)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node: %s", out)
	var res struct {
		InWidth, OutWidth  int
		Bits, Numbers, URL [][]uint32
		Errors             []string
	}
	require.NoError(t, json.Unmarshal(out, &res))

	assert.Equal(t, 5, res.InWidth)
	assert.Equal(t, 4, res.OutWidth)
	require.Len(t, res.Bits, len(xs))
	require.Len(t, res.URL, len(xs))
	for n, x := range xs {
		want := canonical(p.Predict(x))
		assert.Equal(t, want, canonicalBits(res.Bits[n]), "bytes: input %d %v", n, x)
		assert.Equal(t, want, canonicalBits(res.URL[n]), "url: input %d %v", n, x)
	}
	require.Len(t, res.Numbers, len(numbers))
	for n, x64 := range numbers {
		x := make([]float32, len(x64))
		for i, v := range x64 {
			x[i] = float32(v)
		}
		assert.Equal(t, canonical(p.Predict(x)), canonicalBits(res.Numbers[n]), "numbers: input %d %v", n, x64)
	}
	require.Len(t, res.Errors, 3)
	assert.Equal(t, "RangeError: predict: got 1 inputs, want 5", res.Errors[0])
	assert.Contains(t, res.Errors[1], "does not export memory")
	assert.Contains(t, res.Errors[2], "HTTP 404")
}

// canonicalBits is canonical for values given as bits.
func canonicalBits(bits []uint32) []uint32 {
	v := make([]float32, len(bits))
	for i, b := range bits {
		v[i] = math.Float32frombits(b)
	}
	return canonical(v)
}
