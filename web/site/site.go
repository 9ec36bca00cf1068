// Package site assembles the project's static browser site: a page with one
// slider per input feature, live class probabilities and the predicted class,
// run by the engine compiled to WebAssembly on the packaged FINF v2 model.
//
// The site is one flat folder that any static host can serve as it is:
//
//	index.html, app.js, engine.js, style.css, favicon.svg   the page (embedded here)
//	engine.wasm     the Go engine, web/wasm built for GOOS=js GOARCH=wasm (BuildEngine)
//	wasm_exec.js    the Go distribution's glue for engine.wasm (WasmExecPath)
//	model.finf      the model file
//	site.json       what the page needs to label itself (written from Config)
//	...             Config.Extra files, such as a compiled model and its loader
//
// site.json also lists the files the page fetches before its first
// prediction, with their total size raw and gzip-compressed (each file on
// its own, as an HTTP server compresses responses), so the page's about
// panel states its own weight from the bytes actually published. It holds
// nothing derived from the Go toolchain (not the size of engine.wasm), so
// it is the same for every toolchain that builds the same model.
//
// Build writes exactly these bytes and nothing else (no timestamps, no
// paths), so the same inputs give the same folder, byte for byte. Handler
// serves such a folder with the right content types.
package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
)

//go:embed static
var static embed.FS

// The names of the files Build writes besides the static page.
const (
	ModelFile    = "model.finf"
	EngineFile   = "engine.wasm"
	WasmExecFile = "wasm_exec.js"
	SiteFile     = "site.json"
)

// Feature describes one input of the model as the page shows it: a slider
// from Min to Max in steps of Step, with a number field beside it.
type Feature struct {
	Name string // as in the data set, e.g. "sepal_length"; the page capitalises it and turns _ into spaces
	Unit string // e.g. "cm"; may be empty

	// Min and Max are the range of the feature in the data. The slider
	// covers it, widened outwards to whole steps; a constant feature
	// (Min == Max) gets the range Min-1 to Max+1.
	Min, Max float32

	// Step is the slider's step; 0 chooses the largest power of ten that
	// is at most (Max-Min)/20.
	Step float32
}

// File is one file of the site: a base name (letters, digits, '.', '_' and
// '-', not starting with '.') and its bytes.
type File struct {
	Name string
	Data []byte
}

// Compiled names, among Config.Extra, a model compiled to its own
// WebAssembly module (web/wasmgen) and the ES module that loads it
// (web/wasmgen/loader.js). The loader must export loadModel(url) returning a
// Promise of the page's back-end interface
//
//	{ inWidth, outWidth, predict(Float32Array) -> Float32Array }
//
// When Config.Compiled is set the page runs the model on it and keeps the Go
// engine for models opened from disk.
type Compiled struct {
	File   string // e.g. "model.wasm"
	Loader string // e.g. "loader.js"
}

// Config is everything Build needs. Model, Engine and WasmExec are required;
// WasmExec must come from the Go toolchain that built Engine.
type Config struct {
	Title    string    // page heading, e.g. "Iris species classifier"; empty keeps "Iris classifier"
	Dataset  string    // shown in the about panel, e.g. "UCI Iris (Fisher, 1936), 150 rows"
	Features []Feature // one per model input, in order
	Classes  []string  // one per model output, in order

	// TestAccuracy is the accuracy on TestRows held-out rows, in [0, 1].
	// With TestRows == 0 the page shows no accuracy.
	TestAccuracy float64
	TestRows     int

	Model    []byte // the FINF v2 model file, normaliser included
	Engine   []byte // the engine compiled to WebAssembly (see BuildEngine)
	WasmExec []byte // wasm_exec.js (see WasmExecPath)

	Extra    []File    // more files to publish, e.g. a compiled model and its loader
	Compiled *Compiled // optional: the page's default back-end, among Extra
}

// ErrConfig is wrapped by every error Files and Build return about their
// Config.
var ErrConfig = errors.New("site config")

func configError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...)
}

var fileName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*$`)

// Files returns the complete contents of the site for cfg, sorted by name.
// It returns an error wrapping ErrConfig if the model file is not a valid
// FINF v2 model, its widths do not match the features and classes, or any
// other field is impossible.
func Files(cfg Config) ([]File, error) {
	m, err := finf.Read(cfg.Model)
	if err != nil {
		return nil, configError("model: %w", err)
	}
	net, norm, err := nn.FromFINF(m)
	if err != nil {
		return nil, configError("model: %w", err)
	}
	if len(cfg.Features) != net.InWidth() {
		return nil, configError("%d features for a model of %d inputs", len(cfg.Features), net.InWidth())
	}
	if len(cfg.Classes) != net.OutWidth() {
		return nil, configError("%d classes for a model of %d outputs", len(cfg.Classes), net.OutWidth())
	}
	for i, c := range cfg.Classes {
		if strings.TrimSpace(c) == "" {
			return nil, configError("class %d has no name", i)
		}
	}
	if cfg.TestRows < 0 || cfg.TestRows > 0 && !(cfg.TestAccuracy >= 0 && cfg.TestAccuracy <= 1) {
		return nil, configError("test accuracy %v on %d rows", cfg.TestAccuracy, cfg.TestRows)
	}
	if !bytes.HasPrefix(cfg.Engine, []byte("\x00asm")) {
		return nil, configError("engine: not a WebAssembly module")
	}
	if len(cfg.WasmExec) == 0 {
		return nil, configError("wasm_exec.js is empty")
	}

	doc := siteJSON{
		Title:    cfg.Title,
		Dataset:  cfg.Dataset,
		Classes:  cfg.Classes,
		TestRows: cfg.TestRows,
		Model: modelJSON{
			File: ModelFile, Bytes: len(cfg.Model), SHA256: sha(cfg.Model),
			Params: net.ParamCount(), Layers: layers(m),
		},
		Engine: engineJSON{File: EngineFile},
	}
	if cfg.TestRows > 0 {
		doc.TestAccuracy = &cfg.TestAccuracy
	}
	for i, f := range cfg.Features {
		var mean float32
		if norm != nil {
			mean = norm.Mean[i]
		}
		fj, err := sliderFor(f, mean, norm != nil)
		if err != nil {
			return nil, configError("feature %d (%q): %w", i, f.Name, err)
		}
		doc.Features = append(doc.Features, fj)
	}

	// pageFiles are the files the page fetches before its first
	// prediction: the static page, site.json, and the back-end.
	pageFiles := []string{SiteFile}
	files := []File{
		{EngineFile, cfg.Engine},
		{ModelFile, cfg.Model},
		{WasmExecFile, cfg.WasmExec},
	}
	err = fs.WalkDir(static, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.ReadFile(path)
		files = append(files, File{d.Name(), b})
		pageFiles = append(pageFiles, d.Name())
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, f := range cfg.Extra {
		if !fileName.MatchString(f.Name) {
			return nil, configError("extra file name %q", f.Name)
		}
		files = append(files, File{f.Name, f.Data})
	}
	if name, ok := duplicate(files, SiteFile); ok {
		return nil, configError("two files named %q", name)
	}
	if c := cfg.Compiled; c != nil {
		mod := findFile(cfg.Extra, c.File)
		if mod == nil || findFile(cfg.Extra, c.Loader) == nil {
			return nil, configError("compiled model %q and loader %q must both be extra files", c.File, c.Loader)
		}
		doc.Compiled = &compiledJSON{File: c.File, Loader: c.Loader, Bytes: len(mod.Data), GzipBytes: gzipSize(mod.Data)}
		pageFiles = append(pageFiles, c.File, c.Loader)
	} else {
		pageFiles = append(pageFiles, ModelFile, EngineFile, WasmExecFile)
	}
	js, err := pageWeight(&doc, files, pageFiles)
	if err != nil {
		return nil, err
	}
	files = append(files, File{SiteFile, js})

	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

// duplicate returns a name that two of files have, or that one of them
// shares with reserved.
func duplicate(files []File, reserved string) (string, bool) {
	seen := map[string]bool{reserved: true}
	for _, f := range files {
		if seen[f.Name] {
			return f.Name, true
		}
		seen[f.Name] = true
	}
	return "", false
}

// pageWeight sets doc.Page to the files named in pageFiles (found in files,
// or site.json itself) and their total size, raw and gzip, and returns
// site.json's bytes. site.json counts itself, so its size is found by
// iteration: write it with the current totals, recount, until the totals
// no longer change. The gzip size can flip between two values (writing n
// compresses to n+1 bytes, writing n+1 to n); then a few spaces of JSON
// whitespace after the object, tried from none upwards, find totals that
// hold.
func pageWeight(doc *siteJSON, files []File, pageFiles []string) ([]byte, error) {
	slices.Sort(pageFiles)
	var raw, gz int
	for _, name := range pageFiles {
		if name == SiteFile {
			continue
		}
		f := findFile(files, name)
		if f == nil {
			return nil, configError("the page needs %s, which is not in the site", name)
		}
		raw += len(f.Data)
		gz += gzipSize(f.Data)
	}
	doc.Page = pageJSON{Files: pageFiles, Bytes: raw, GzipBytes: gz}
	for pad := range 64 {
		for range 8 {
			js, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				return nil, err
			}
			js = append(append(js, bytes.Repeat([]byte{' '}, pad)...), '\n')
			r, g := raw+len(js), gz+gzipSize(js)
			if r == doc.Page.Bytes && g == doc.Page.GzipBytes {
				return js, nil
			}
			doc.Page.Bytes, doc.Page.GzipBytes = r, g
		}
	}
	return nil, errors.New("site.json: the page's total size does not settle")
}

// gzipSize returns the size of b compressed by compress/gzip at
// BestCompression, with no name or time in the header.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		panic("site: " + err.Error()) // only for an invalid level
	}
	w.Write(b) // writes to a bytes.Buffer do not fail
	w.Close()
	return buf.Len()
}

func findFile(files []File, name string) *File {
	for i := range files {
		if files[i].Name == name {
			return &files[i]
		}
	}
	return nil
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Build writes the site for cfg into the folder dir, replacing what was
// there. It writes a temporary folder beside dir and renames it into place,
// so dir never holds half a site. It returns Files' errors and I/O errors.
func Build(dir string, cfg Config) error {
	files, err := Files(cfg)
	if err != nil {
		return err
	}
	return writeDir(dir, files)
}

func writeDir(dir string, files []File) (err error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	if fi, err := os.Lstat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("site folder %s: exists and is not a folder", dir)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(tmp, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	old := tmp + "-old"
	moved := false
	if _, err := os.Lstat(dir); err == nil {
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		moved = true
	}
	if err := os.Rename(tmp, dir); err != nil {
		if moved {
			os.Rename(old, dir)
		}
		return err
	}
	if moved {
		return os.RemoveAll(old)
	}
	return nil
}

// site.json, read by app.js.
type siteJSON struct {
	Title        string        `json:"title,omitempty"`
	Dataset      string        `json:"dataset"`
	Features     []featureJSON `json:"features"`
	Classes      []string      `json:"classes"`
	TestAccuracy *float64      `json:"testAccuracy,omitempty"`
	TestRows     int           `json:"testRows,omitempty"`
	Model        modelJSON     `json:"model"`
	Engine       engineJSON    `json:"engine"`
	Compiled     *compiledJSON `json:"compiled,omitempty"`
	Page         pageJSON      `json:"page"`
}

type featureJSON struct {
	Name    string  `json:"name"`
	Unit    string  `json:"unit,omitempty"`
	Min     float32 `json:"min"`
	Max     float32 `json:"max"`
	Step    float32 `json:"step"`
	Default float32 `json:"default"`
}

type modelJSON struct {
	File   string      `json:"file"`
	Bytes  int         `json:"bytes"`
	SHA256 string      `json:"sha256"`
	Params int         `json:"params"`
	Layers []layerJSON `json:"layers"`
}

type layerJSON struct {
	Kind string `json:"kind"` // "linear" or an activation's name
	In   int    `json:"in,omitempty"`
	Out  int    `json:"out,omitempty"`
}

// engineJSON names the Go engine. Its size is left out on purpose: it
// depends on the Go toolchain, and the page learns it when it fetches it.
type engineJSON struct {
	File string `json:"file"`
}

type compiledJSON struct {
	File      string `json:"file"`
	Loader    string `json:"loader"`
	Bytes     int    `json:"bytes"`
	GzipBytes int    `json:"gzipBytes"`
}

// pageJSON is what the page transfers before its first prediction: the
// files (sorted) and their total size, raw and gzip-compressed file by file.
type pageJSON struct {
	Files     []string `json:"files"`
	Bytes     int      `json:"bytes"`
	GzipBytes int      `json:"gzipBytes"`
}

func layers(m *finf.Model) []layerJSON {
	out := make([]layerJSON, len(m.Layers))
	for i, l := range m.Layers {
		if l.Tag == finf.TagLinear {
			out[i] = layerJSON{Kind: "linear", In: l.In, Out: l.Out}
		} else {
			out[i] = layerJSON{Kind: nn.Activation(l.Act).String()}
		}
	}
	return out
}

// sliderFor returns the slider of f. Its default is the training mean when
// the model has a normaliser (hasMean), otherwise the middle of the range,
// rounded to a whole step and kept inside the slider's range.
func sliderFor(f Feature, mean float32, hasMean bool) (featureJSON, error) {
	if strings.TrimSpace(f.Name) == "" {
		return featureJSON{}, errors.New("no name")
	}
	lo, hi, step := float64(f.Min), float64(f.Max), float64(f.Step)
	if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) || lo > hi {
		return featureJSON{}, fmt.Errorf("range %v to %v", f.Min, f.Max)
	}
	if !(step >= 0) || math.IsInf(step, 0) {
		return featureJSON{}, fmt.Errorf("step %v", f.Step)
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	if step == 0 {
		step = powerOfTenAtMost((hi - lo) / 20)
	}
	// Each product rounded on its own: no fused lo + step*q below (DESIGN rule 2).
	lo = float64(step * wholeSteps(lo/step, math.Floor))
	hi = float64(step * wholeSteps(hi/step, math.Ceil))
	def := (lo + hi) / 2
	if hasMean {
		def = float64(mean)
	}
	def = min(max(step*math.Round(def/step), lo), hi)
	return featureJSON{
		Name: f.Name, Unit: f.Unit,
		Min: float32(lo), Max: float32(hi), Step: float32(step), Default: float32(def),
	}, nil
}

// wholeSteps rounds q (a value divided by the step) with round, except that
// a q within 1e-6 of a whole number is that number: 4.3/0.1 is
// 42.99999999999999 in float64, and the slider must start at 4.3, not 4.2.
func wholeSteps(q float64, round func(float64) float64) float64 {
	if r := math.Round(q); math.Abs(q-r) < 1e-6 {
		return r
	}
	return round(q)
}

// powerOfTenAtMost returns the largest power of ten at most x, as the
// float64 nearest to 1e<k>, for k in [-30, 30].
func powerOfTenAtMost(x float64) float64 {
	k := 0
	for k > -30 && pow10(k) > x {
		k--
	}
	for k < 30 && pow10(k+1) <= x {
		k++
	}
	return pow10(k)
}

func pow10(k int) float64 {
	v, _ := strconv.ParseFloat("1e"+strconv.Itoa(k), 64)
	return v
}
