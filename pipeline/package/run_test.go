package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/pipetest"
	"github.com/ferrum-ml/ferrum/web/wasmgen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeEngine stands in for bin/engine.wasm: package only checks that it is
// a WebAssembly module and publishes it as it is.
const fakeEngine = "\x00asm\x01\x00\x00\x00"

// paths are a package run's inputs that the fixture does not make, and its
// outputs.
type paths struct {
	engine, wasmExec string
	out, site        string
}

func newPaths(f *pipetest.Fix) paths {
	p := paths{
		engine:   filepath.Join(f.Dir, "engine.wasm"),
		wasmExec: filepath.Join(f.Dir, "wasm_exec.js"),
		out:      filepath.Join(f.Dir, "out", "model.finf"),
		site:     filepath.Join(f.Dir, "out", "site"),
	}
	return p
}

// newFix returns the stage files of pipetest.New and a fake engine and
// wasm_exec.js.
func newFix(t *testing.T) *pipetest.Fix {
	f := pipetest.New(t)
	p := newPaths(f)
	pipetest.Write(t, p.engine, fakeEngine)
	pipetest.Write(t, p.wasmExec, "// wasm_exec.js\n")
	return f
}

func runPackage(t *testing.T, f *pipetest.Fix) (pipetest.Result, paths) {
	t.Helper()
	p := newPaths(f)
	return runWith(f, p), p
}

func runWith(f *pipetest.Fix, p paths) pipetest.Result {
	return pipetest.Run(run, "-schema", f.Schema, "-network", f.Network, "-normalizer", f.Normalizer,
		"-data", f.Data, "-split", f.Split, "-engine", p.engine, "-wasm-exec", p.wasmExec, "-out", p.out, "-site", p.site)
}

func TestPackage(t *testing.T) {
	f := newFix(t)
	res, p := runPackage(t, f)
	require.NoError(t, res.Err)
	b, err := os.ReadFile(p.out)
	require.NoError(t, err)
	m, err := finf.Read(b)
	require.NoError(t, err)
	n, err := dataset.ReadNormalizer(f.Normalizer, []string{"length", "width"})
	require.NoError(t, err)
	mean, std := n.MeanStd()
	assert.Equal(t, mean, m.Mean)
	assert.Equal(t, std, m.Std)
	net, err := os.ReadFile(f.Network)
	require.NoError(t, err)
	bare, err := finf.Read(net)
	require.NoError(t, err)
	assert.Equal(t, bare.Layers, m.Layers)

	// The site: every file, and nothing else beside it.
	entries, err := os.ReadDir(p.site)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"app.js", "engine.js", "engine.wasm", "favicon.svg", "index.html", "loader.js",
		"model.finf", "model.wasm", "site.json", "style.css", "wasm_exec.js"}, names)
	left, err := os.ReadDir(filepath.Dir(p.out))
	require.NoError(t, err)
	assert.Len(t, left, 2, "temporary files beside the model file and the site")
	for name, want := range map[string][]byte{"model.finf": b, "engine.wasm": []byte(fakeEngine),
		"wasm_exec.js": []byte("// wasm_exec.js\n"), "loader.js": wasmgen.LoaderJS} {
		got, err := os.ReadFile(filepath.Join(p.site, name))
		require.NoError(t, err)
		assert.Equal(t, want, got, name)
	}
	compiled, err := wasmgen.Compile(m)
	require.NoError(t, err)
	mod, err := os.ReadFile(filepath.Join(p.site, CompiledFile))
	require.NoError(t, err)
	assert.Equal(t, compiled, mod, "model.wasm is the compiled model file")

	var doc struct {
		Title        string
		Dataset      string
		Features     []struct{ Name, Unit string }
		Classes      []string
		TestAccuracy float64
		TestRows     int
		Compiled     struct{ File, Loader string }
	}
	js, err := os.ReadFile(filepath.Join(p.site, "site.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(js, &doc))
	assert.Equal(t, "Raw classifier", doc.Title)
	assert.Equal(t, "raw.csv, 30 rows, 2 features, 3 classes", doc.Dataset)
	assert.Equal(t, pipetest.Classes, doc.Classes)
	require.Len(t, doc.Features, 2)
	assert.Equal(t, "length", doc.Features[0].Name)
	assert.Equal(t, "model.wasm", doc.Compiled.File)
	assert.Equal(t, "loader.js", doc.Compiled.Loader)

	// The test accuracy the page shows is the model file's on the test rows,
	// counted again here; and the compiled module's outputs on those rows
	// are the model file's bits.
	test := testRows(t, f)
	pred := predictor(t, b)
	in := instantiate(t, mod)
	correct := 0
	for i := range test.Len() {
		want := pred.Predict(test.Row(i))
		got := in.run(t, test.Row(i))
		assert.Equal(t, bits(want), bits(got), "test row %d: the compiled module's outputs", i)
		best := 0
		for j := range want {
			if want[j] > want[best] {
				best = j
			}
		}
		if best == test.Y[i] {
			correct++
		}
	}
	assert.Equal(t, test.Len(), doc.TestRows)
	assert.Equal(t, float64(correct)/float64(test.Len()), doc.TestAccuracy)

	if _, err := exec.LookPath("wasm-validate"); err == nil {
		out, err := exec.Command("wasm-validate", filepath.Join(p.site, CompiledFile)).CombinedOutput()
		assert.NoError(t, err, "wasm-validate: %s", out)
	}

	// A second run gives the same bytes.
	first := readDir(t, p.site)
	res = runWith(f, p)
	require.NoError(t, res.Err)
	assert.Equal(t, first, readDir(t, p.site))
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(b)
	}
	return out
}

func testRows(t *testing.T, f *pipetest.Fix) *dataset.Table {
	t.Helper()
	schema, err := dataset.ReadSchema(f.Schema)
	require.NoError(t, err)
	data, err := dataset.ReadTable(f.Data, schema.FeatureNames(), len(schema.Classes))
	require.NoError(t, err)
	members, err := dataset.ReadSplit(f.Split, data.Len())
	require.NoError(t, err)
	test := data.Select(dataset.Positions(members)[dataset.Test])
	require.NotZero(t, test.Len())
	return test
}

func predictor(t *testing.T, b []byte) *nn.Predictor[float32] {
	t.Helper()
	m, err := finf.Read(b)
	require.NoError(t, err)
	s, n, err := nn.FromFINF(m)
	require.NoError(t, err)
	p, err := nn.NewPredictor(s, n)
	require.NoError(t, err)
	return p
}

func bits(v []float32) []uint32 {
	out := make([]uint32, len(v))
	for i, f := range v {
		out[i] = math.Float32bits(f)
	}
	return out
}

// module is a compiled model instantiated in wazero.
type module struct {
	mod           api.Module
	predict       api.Function
	inPtr, outPtr uint32
	outWidth      int
}

func instantiate(t *testing.T, bin []byte) *module {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	t.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Instantiate(ctx, bin)
	require.NoError(t, err)
	g := func(name string) uint32 {
		gl := mod.ExportedGlobal(name)
		require.NotNil(t, gl, name)
		return uint32(gl.Get())
	}
	m := &module{mod: mod, predict: mod.ExportedFunction(wasmgen.ExportPredict),
		inPtr: g(wasmgen.ExportInputPtr), outPtr: g(wasmgen.ExportOutputPtr), outWidth: int(g(wasmgen.ExportOutputWidth))}
	require.NotNil(t, m.predict)
	return m
}

func (m *module) run(t *testing.T, x []float32) []float32 {
	t.Helper()
	mem := m.mod.Memory()
	for i, v := range x {
		require.True(t, mem.WriteFloat32Le(m.inPtr+uint32(4*i), v))
	}
	_, err := m.predict.Call(context.Background())
	require.NoError(t, err)
	out := make([]float32, m.outWidth)
	for j := range out {
		v, ok := mem.ReadFloat32Le(m.outPtr + uint32(4*j))
		require.True(t, ok)
		out[j] = v
	}
	return out
}

func TestUsage(t *testing.T) {
	res := pipetest.Run(run, "-h")
	assert.Equal(t, 0, res.Code)
	for _, want := range []string{"-engine bin/engine.wasm", `-wasm-exec "$(go env GOROOT)/lib/wasm/wasm_exec.js"`,
		"-site artifacts/baseline/site", "-site folder"} {
		assert.Contains(t, res.Stderr, want)
	}
}

func TestCompileTooLarge(t *testing.T) {
	// Only a model too big for a module's memory defeats the compiler;
	// its widths are enough, so no weights are allocated.
	m := &finf.Model{Layers: []finf.Layer{{Tag: finf.TagLinear, In: 1 << 16, Out: 1 << 16}}}
	_, err := compile(m)
	require.Error(t, err)
	assert.ErrorIs(t, err, wasmgen.ErrTooLarge)
	assert.Contains(t, err.Error(), "compile the model to WebAssembly")
}

func TestCheckModule(t *testing.T) {
	net, err := nn.NewMLP[float32]([]int{3, 5, 2}, nn.Tanh, rng.New(1))
	require.NoError(t, err)
	good, err := wasmgen.Compile(nn.ToFINF(net, nil))
	require.NoError(t, err)
	require.NoError(t, checkModule(good, 3, 2))
	// exportAt is the offset of the export section's id byte.
	exportAt := bytes.Index(good, append([]byte{7}, good[bytes.Index(good, []byte("memory"))-3:bytes.Index(good, []byte("memory"))]...))
	require.Positive(t, exportAt)
	for _, tc := range []struct {
		name string
		mod  []byte
		in   int
		out  int
		want string
	}{
		{"not wasm", []byte("MZ\x90\x00"), 3, 2, "offset 0: not a WebAssembly 1.0 module"},
		{"wrong widths", good, 4, 2, "the module takes 3 inputs and gives 2 outputs, the model 4 and 2"},
		{"truncated", good[:len(good)-1], 3, 2, "runs past the end of the module"},
		{"header only", good[:8], 3, 2, "the module has no section 1"},
		{"section out of order", append(bytes.Clone(good), 1, 0), 3, 2, "section id 1 out of order"},
		{"import section", append(append([]byte{}, good[:8]...), 2, 1, 0), 3, 2, "imports something"},
		{"renamed export", bytes.Replace(good, []byte("predict"), []byte("predicT"), 1), 3, 2, "does not export predict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkModule(tc.mod, tc.in, tc.out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	for i := range good {
		assert.NotPanics(t, func() { checkModule(good[:i], 3, 2) }, "prefix of %d bytes", i)
	}
}

func TestPackageBadInput(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, f *pipetest.Fix)
		want  string
	}{
		{"network is not FINF", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Network, "FINX\x02\x00\x00\x00") }, "network.finf: "},
		{"empty network", func(t *testing.T, f *pipetest.Fix) { pipetest.Write(t, f.Network, "") }, "network.finf: "},
		{"network already packaged", func(t *testing.T, f *pipetest.Fix) {
			res, p := runPackage(t, f)
			require.NoError(t, res.Err)
			b, err := os.ReadFile(p.out)
			require.NoError(t, err)
			require.NoError(t, os.RemoveAll(filepath.Dir(p.out)))
			pipetest.Write(t, f.Network, string(b))
		}, "the file has a normaliser"},
		{"normaliser with zero std", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Normalizer, `{"features":["length","width"],"mean":[1,2],"std":[1,0]}`)
		}, "feature width: mean 2 and std 0"},
		{"normaliser for other features", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, f.Normalizer, `{"features":["length"],"mean":[1],"std":[1]}`)
		}, "normalizer.json: statistics for 1 features"},
		{"no test rows", func(t *testing.T, f *pipetest.Fix) {
			ms, err := dataset.ReadSplit(f.Split, 30)
			require.NoError(t, err)
			for i := range ms {
				ms[i].Partition = dataset.Train
			}
			require.NoError(t, artifact.WriteFile(f.Split, func(w io.Writer) error { return artifact.WriteRecords(w, ms) }))
		}, "no test rows to check the model file on"},
		{"no engine file", func(t *testing.T, f *pipetest.Fix) {
			require.NoError(t, os.Remove(newPaths(f).engine))
		}, "read the engine: open "},
		{"engine not WebAssembly", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, newPaths(f).engine, "#!/bin/sh\n")
		}, "engine.wasm: not a WebAssembly module"},
		{"no wasm_exec.js", func(t *testing.T, f *pipetest.Fix) {
			require.NoError(t, os.Remove(newPaths(f).wasmExec))
		}, "read wasm_exec.js: open "},
		{"empty wasm_exec.js", func(t *testing.T, f *pipetest.Fix) {
			pipetest.Write(t, newPaths(f).wasmExec, "")
		}, "wasm_exec.js is empty"},
		{"network cut short", func(t *testing.T, f *pipetest.Fix) {
			b, err := os.ReadFile(f.Network)
			require.NoError(t, err)
			pipetest.Write(t, f.Network, string(b[:len(b)-3]))
		}, "network.finf: "},
		{"site path is a file", func(t *testing.T, f *pipetest.Fix) {
			require.NoError(t, os.MkdirAll(filepath.Dir(newPaths(f).site), 0o755))
			pipetest.Write(t, newPaths(f).site, "not a folder")
		}, "exists and is not a folder"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFix(t)
			tc.spoil(t, f)
			res, p := runPackage(t, f)
			require.Error(t, res.Err)
			assert.Equal(t, 1, res.Code)
			assert.Contains(t, res.Err.Error(), tc.want)
			pipetest.NoFile(t, f.Dir, p.out)
			// No site, nor any temporary folder of one, is left behind.
			entries, err := os.ReadDir(filepath.Dir(p.out))
			if err == nil {
				for _, e := range entries {
					assert.True(t, e.Name() == "site" && !e.IsDir(), "%s left behind", e.Name())
				}
			}
		})
	}
}
