package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
	"github.com/ferrum-ml/ferrum/web/site"
	"github.com/ferrum-ml/ferrum/web/wasmgen"
)

const usage = `
Usage: package -schema SCHEMA.json -network NETWORK.finf -normalizer NORMALIZER.json \
  -data DATA.csv -split SPLIT.csv -engine ENGINE.wasm -wasm-exec WASM_EXEC.js \
  -out MODEL.finf -site SITE

Package joins the trained network (a FINF v2 file without a normaliser, from
train) and the normaliser statistics (from normalize) into one FINF v2 model
file, so the model can never be run on un-normalised input, and builds the
experiment's static browser site around it.

Before writing anything, package decodes the new file again and checks that,
for every test row of the raw data set, the decoded model's single-sample
prediction (normalise, then forward) equals the trained network's batch
prediction on the normalised row bit for bit; the same loop counts the test
accuracy the page shows. It then compiles the model to its own WebAssembly
module (web/wasmgen) and checks the module's structure and interface. A
difference, or a model the compiler cannot handle, is an error and nothing
is written.

The site folder SITE (replaced as a whole, never left half-written) holds
the page, the model file, the compiled module and its loader (the page's
default back-end), and the Go engine ENGINE.wasm with the Go distribution's
WASM_EXEC.js for models a visitor opens from disk. Build ENGINE.wasm with
  GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -ldflags="-s -w" \
    -o bin/engine.wasm ./web/wasm
and take WASM_EXEC.js from the same toolchain: $(go env GOROOT)/lib/wasm.

Example:
  package -schema data/processed/baseline/schema.json \
    -network artifacts/baseline/network.finf \
    -normalizer data/processed/baseline/normalizer.json \
    -data data/processed/baseline/data.csv \
    -split data/processed/baseline/split.csv \
    -engine bin/engine.wasm \
    -wasm-exec "$(go env GOROOT)/lib/wasm/wasm_exec.js" \
    -out artifacts/baseline/model.finf -site artifacts/baseline/site
`

// CompiledFile is the compiled model module's name in the site.
const CompiledFile = "model.wasm"

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("package", usage, stderr)
	schemaPath := fs.String("schema", "", "input schema `file` from ingest")
	netPath := fs.String("network", "", "input network `file` from train (FINF v2)")
	normPath := fs.String("normalizer", "", "input statistics `file` from normalize")
	dataPath := fs.String("data", "", "input data set `file` from ingest")
	splitPath := fs.String("split", "", "input split `file` from split")
	enginePath := fs.String("engine", "", "input `file`: the Go engine built for GOOS=js GOARCH=wasm (./web/wasm)")
	wasmExecPath := fs.String("wasm-exec", "", "input `file`: wasm_exec.js of the toolchain that built -engine")
	out := fs.String("out", "", "output model `file` (FINF v2 with normaliser)")
	siteDir := fs.String("site", "", "output site `folder`, replaced as a whole")
	err := stage.Parse(fs, args, "schema", "network", "normalizer", "data", "split", "engine", "wasm-exec", "out", "site")
	if err != nil {
		return err
	}
	schema, err := dataset.ReadSchema(*schemaPath)
	if err != nil {
		return err
	}
	features := schema.FeatureNames()
	model, err := artifact.ReadNetwork(*netPath, len(features), len(schema.Classes))
	if err != nil {
		return err
	}
	stats, err := dataset.ReadNormalizer(*normPath, features)
	if err != nil {
		return err
	}
	mean, std := stats.MeanStd()
	norm := &nn.Normalizer[float32]{Mean: mean, Std: std}
	data, err := schema.ReadTable(*dataPath)
	if err != nil {
		return err
	}
	members, err := dataset.ReadSplit(*splitPath, data.Len())
	if err != nil {
		return err
	}
	test := data.Select(dataset.Positions(members)[dataset.Test])
	if test.Len() == 0 {
		return fmt.Errorf("%s: no test rows to check the model file on", *splitPath)
	}
	engine, err := os.ReadFile(*enginePath)
	if err != nil {
		return fmt.Errorf("read the engine: %w", err)
	}
	if !bytes.HasPrefix(engine, []byte("\x00asm")) {
		return fmt.Errorf("%s: not a WebAssembly module (build it with GOOS=js GOARCH=wasm, see -h)", *enginePath)
	}
	wasmExec, err := os.ReadFile(*wasmExecPath)
	if err != nil {
		return fmt.Errorf("read wasm_exec.js: %w", err)
	}

	b, err := finf.Marshal(nn.ToFINF(model, norm))
	if err != nil {
		return fmt.Errorf("encode the model: %w", err)
	}
	correct, err := check(b, model, norm, test)
	if err != nil {
		return fmt.Errorf("%s: not written: %w", *out, err)
	}
	fm, err := finf.Read(b)
	if err != nil {
		return fmt.Errorf("decode the model file again: %w", err)
	}
	compiled, err := compile(fm)
	if err != nil {
		return fmt.Errorf("%s: not written: %w", *siteDir, err)
	}

	cfg := site.Config{
		Title:        title(schema.Source),
		Dataset:      fmt.Sprintf("%s, %d rows, %d features, %d classes", schema.Source, schema.Rows, len(features), len(schema.Classes)),
		Classes:      schema.ClassNames(),
		TestAccuracy: float64(correct) / float64(test.Len()),
		TestRows:     test.Len(),
		Model:        b,
		Engine:       engine,
		WasmExec:     wasmExec,
		Extra:        []site.File{{Name: CompiledFile, Data: compiled}, {Name: wasmgen.LoaderFile, Data: wasmgen.LoaderJS}},
		Compiled:     &site.Compiled{File: CompiledFile, Loader: wasmgen.LoaderFile},
	}
	for _, f := range schema.Features {
		cfg.Features = append(cfg.Features, site.Feature{Name: f.Name, Unit: f.Unit, Min: float32(f.Min), Max: float32(f.Max)})
	}
	if err := site.Build(*siteDir, cfg); err != nil {
		return fmt.Errorf("build the site %s: %w", *siteDir, err)
	}
	// The site is only valid beside its model file: without one, remove it.
	if err := artifact.WriteFile(*out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		os.RemoveAll(*siteDir)
		return err
	}
	stage.Logger(stderr, stage.Verbose(fs)).Info("packaged", "file", *out, "bytes", len(b), "parameters", model.ParamCount(),
		"checked_test_rows", test.Len(), "test_accuracy", cfg.TestAccuracy, "site", *siteDir, "compiled_bytes", len(compiled))
	return nil
}

// compile compiles the model fm to a WebAssembly module and checks the
// module's structure and interface.
func compile(fm *finf.Model) ([]byte, error) {
	mod, err := wasmgen.Compile(fm)
	if err != nil {
		return nil, fmt.Errorf("compile the model to WebAssembly: %w", err)
	}
	l := fm.Layers
	inWidth, outWidth := l[0].In, 0
	for _, layer := range l {
		if layer.Tag == finf.TagLinear {
			outWidth = layer.Out
		}
	}
	if err := checkModule(mod, inWidth, outWidth); err != nil {
		return nil, fmt.Errorf("the compiled model module: %w", err)
	}
	return mod, nil
}

// title returns the page heading for a data set read from the raw file
// source: "iris.data" gives "Iris classifier", "breast_cancer.csv"
// "Breast cancer classifier".
func title(source string) string {
	name := strings.ReplaceAll(strings.TrimSuffix(source, filepath.Ext(source)), "_", " ")
	if name == "" {
		return "Classifier"
	}
	return strings.ToUpper(name[:1]) + name[1:] + " classifier"
}

// check decodes the model file b and compares its predictions on the raw
// test rows with model's on the same rows normalised by norm, bit for bit.
// It returns how many test rows the model classifies correctly (as
// evaluate counts them: nn.Argmax, the first largest output).
func check(b []byte, model *nn.Sequential[float32], norm *nn.Normalizer[float32], test *dataset.Table) (correct int, err error) {
	fm, err := finf.Read(b)
	if err != nil {
		return 0, fmt.Errorf("decode the model file again: %w", err)
	}
	if again, err := finf.Marshal(fm); err != nil || !bytes.Equal(again, b) {
		return 0, fmt.Errorf("re-encoding the decoded model file does not give the same bytes")
	}
	s, n, err := nn.FromFINF(fm)
	if err != nil {
		return 0, err
	}
	if n == nil {
		return 0, fmt.Errorf("the decoded model file has no normaliser")
	}
	pred, err := nn.NewPredictor(s, n)
	if err != nil {
		return 0, err
	}

	z := make([]float32, len(test.X))
	if err := norm.Transform(z, test.X); err != nil {
		return 0, err
	}
	x, err := nn.FromData(z, test.Len(), len(test.Features))
	if err != nil {
		return 0, err
	}
	want, err := model.Forward(x)
	if err != nil {
		return 0, err
	}
	k := model.OutWidth()
	for i := range test.Len() {
		got := pred.Predict(test.Row(i))
		for j, g := range got {
			w := want.Data[i*k+j]
			if math.Float32bits(g) != math.Float32bits(w) {
				return 0, fmt.Errorf("test row %d (data row %d), output %d: the model file predicts %v (%#08x), the trained network %v (%#08x)",
					i, test.Rows[i], j, g, math.Float32bits(g), w, math.Float32bits(w))
			}
		}
	}
	classes, err := nn.Argmax(want)
	if err != nil {
		return 0, err
	}
	for i, c := range classes {
		if c == test.Y[i] {
			correct++
		}
	}
	return correct, nil
}
