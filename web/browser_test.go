package web_test

// The browser test: the site the pipeline publishes, made by the Makefile
// (ingest, split, normalize, train and package of the baseline experiment,
// into a temporary folder), served by a test server and driven in Debian's
// headless Chromium. It needs the chromium package; outside CI it skips
// (loudly) when none is installed, in CI (CI=true) it fails. It needs make
// and go on PATH.
//
// Run it with -v to see the measurements (site size, time to the first
// prediction, time of one prediction), and with -screenshot=PATH.png to
// write the desktop view to PATH.png and the phone view to PATH-phone.png.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/web/site"
)

var screenshot = flag.String("screenshot", "", "write PNG screenshots of the page to `path` (and path-phone.png)")

var irisClasses = []string{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}

// findChromium returns the browser to drive, or skips (outside CI) or fails
// (in CI) when there is none.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: the browser test must run in CI (apt-get install -y chromium)")
	}
	t.Skip("SKIPPING THE BROWSER TEST: no chromium on PATH (apt-get install -y chromium); in CI this is a failure")
	return ""
}

// packaged is the baseline experiment's site as the package stage built it.
type packaged struct {
	dir      string // the site folder
	file     []byte // its model.finf
	pred     *nn.Predictor[float32]
	accuracy float64
	testRows int
	page     struct {
		Files     []string
		Bytes     int
		GzipBytes int
	}
	compiled struct{ Bytes, GzipBytes int }
}

// packageBaseline runs the Makefile's pipeline for the baseline experiment
// up to its site, with binaries and outputs in a temporary folder, and reads
// the site's model and description.
func packageBaseline(t *testing.T) packaged {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is not installed: the browser test builds the site with the Makefile")
	}
	tmp := t.TempDir()
	target := filepath.Join(tmp, "artifacts", "baseline", "site", "site.json")
	cmd := exec.Command("make", "--no-print-directory", "EXP=baseline", "GO=go",
		"BIN="+filepath.Join(tmp, "bin"), "PROCESSED="+filepath.Join(tmp, "data", "processed"),
		"ARTIFACTS="+filepath.Join(tmp, "artifacts"), "REPORTS="+filepath.Join(tmp, "reports"), target)
	cmd.Dir = ".."
	// Without the variables an outer make (make test) passes down.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "MAKEFLAGS" && k != "MFLAGS" && k != "MAKELEVEL" && k != "MAKEOVERRIDES" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "make the baseline site:\n%s", out)

	p := packaged{dir: filepath.Dir(target)}
	p.file, err = os.ReadFile(filepath.Join(p.dir, site.ModelFile))
	require.NoError(t, err)
	p.pred = predictorOf(t, p.file)
	js, err := os.ReadFile(target)
	require.NoError(t, err)
	var doc struct {
		TestAccuracy float64
		TestRows     int
		Page         *struct {
			Files     []string
			Bytes     int
			GzipBytes int
		}
		Compiled *struct{ Bytes, GzipBytes int }
	}
	require.NoError(t, json.Unmarshal(js, &doc))
	require.NotNil(t, doc.Page, "site.json has no page entry")
	require.NotNil(t, doc.Compiled, "the packaged site has no compiled model")
	p.accuracy, p.testRows, p.page, p.compiled = doc.TestAccuracy, doc.TestRows, *doc.Page, *doc.Compiled
	return p
}

// predictorOf reads a model file the way the browser engine does.
func predictorOf(t *testing.T, file []byte) *nn.Predictor[float32] {
	t.Helper()
	m, err := finf.Read(file)
	require.NoError(t, err)
	s, n, err := nn.FromFINF(m)
	require.NoError(t, err)
	p, err := nn.NewPredictor(s, n)
	require.NoError(t, err)
	return p
}

// siteConfig is the packaged site's model on the Go engine alone: the page
// as it is without a compiled model, with the packaged engine.
func siteConfig(t *testing.T, m packaged) site.Config {
	t.Helper()
	wasm, err := os.ReadFile(filepath.Join(m.dir, site.EngineFile))
	require.NoError(t, err)
	wasmExec, err := os.ReadFile(filepath.Join(m.dir, site.WasmExecFile))
	require.NoError(t, err)
	js, err := os.ReadFile(filepath.Join(m.dir, site.SiteFile))
	require.NoError(t, err)
	var doc struct {
		Title, Dataset string
		Features       []struct {
			Name, Unit string
			Min, Max   float32
		}
		Classes []string
	}
	require.NoError(t, json.Unmarshal(js, &doc))
	c := site.Config{
		Title:        doc.Title,
		Dataset:      doc.Dataset,
		Classes:      doc.Classes,
		TestAccuracy: m.accuracy,
		TestRows:     m.testRows,
		Model:        m.file,
		Engine:       wasm,
		WasmExec:     wasmExec,
	}
	for _, f := range doc.Features {
		c.Features = append(c.Features, site.Feature{Name: f.Name, Unit: f.Unit, Min: f.Min, Max: f.Max})
	}
	return c
}

// serve builds the site for cfg into a new folder and serves it.
func serve(t *testing.T, cfg site.Config) (dir string, srv *httptest.Server) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "site")
	require.NoError(t, site.Build(dir, cfg))
	srv = httptest.NewServer(site.Handler(dir))
	t.Cleanup(srv.Close)
	return dir, srv
}

func newBrowser(t *testing.T, chrome string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 900),
	}
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	require.NoError(t, chromedp.Do(bctx), "start chromium")
	return bctx
}

// tab is one page in the browser with what it requested and logged.
type tab struct {
	ctx    context.Context
	origin string

	mu       sync.Mutex
	requests []string
	problems []string // console errors, exceptions, error log entries
}

func openTab(t *testing.T, browser context.Context, pageURL string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	require.NoError(t, chromedp.Do(ctx), "open a tab")
	u, err := url.Parse(pageURL)
	require.NoError(t, err)
	tb := &tab{ctx: ctx, origin: u.Scheme + "://" + u.Host}
	require.NoError(t, chromedp.Listen(ctx, tb.event))
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(pageURL)))
	return tb
}

func (tb *tab) event(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			tb.problems = append(tb.problems, "console."+string(ev.Type)+": "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tb.problems = append(tb.problems, "exception: "+msg)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			tb.problems = append(tb.problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	}
}

// checkClean fails if the page requested anything from another origin or
// logged an error, except problems that contain one of allowed.
func (tb *tab) checkClean(t *testing.T, allowed ...string) {
	t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	require.NotEmpty(t, tb.requests, "no requests seen: the listener is not working")
	for _, r := range tb.requests {
		u, err := url.Parse(r)
		if assert.NoError(t, err) {
			assert.Equal(t, tb.origin, u.Scheme+"://"+u.Host, "request to another origin: %s", r)
		}
	}
	for _, p := range tb.problems {
		ok := false
		for _, a := range allowed {
			ok = ok || strings.Contains(p, a)
		}
		assert.True(t, ok, "the page logged an error: %s", p)
	}
}

// pageState is what the page shows and exposes in window.__ferrum.
type pageState struct {
	Ready        bool
	Error        *string
	Prediction   string
	Features     int
	ErrorVisible bool
	ErrorText    string
	AppVisible   bool
	First        float64
	Last         *struct {
		Input, Output []string
		Class         int
	}
}

const stateJS = `JSON.stringify({
	ready: window.__ferrum.ready,
	error: window.__ferrum.error,
	prediction: document.getElementById('prediction').textContent,
	features: document.querySelectorAll('#features .feature').length,
	errorVisible: !document.getElementById('error').hidden,
	errorText: document.getElementById('error-text').textContent,
	appVisible: !document.getElementById('app').hidden,
	first: window.__ferrum.timing.firstPrediction ?? -1,
	last: window.__ferrum.last,
})`

func (tb *tab) state(t *testing.T) pageState {
	t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](stateJS))
	require.NoError(t, err)
	var st pageState
	require.NoError(t, json.Unmarshal([]byte(s), &st), s)
	return st
}

// waitLoaded waits until the page has loaded its model or given up.
func (tb *tab) waitLoaded(t *testing.T) pageState {
	t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](
		`window.__ferrum !== undefined && (window.__ferrum.ready || window.__ferrum.error !== null)`,
		chromedp.WithPollingTimeout(30*time.Second)))
	require.NoError(t, err, "the page neither loaded the model nor showed an error")
	return tb.state(t)
}

// typeValue replaces the number field of feature i by typing v into it.
func (tb *tab) typeValue(t *testing.T, i int, v string) {
	t.Helper()
	id := chromedp.ID(fmt.Sprintf("feature-%d-value", i))
	require.NoError(t, chromedp.Do(tb.ctx, chromedp.SetValue(id, ""), chromedp.SendKeys(id, v)))
}

func parseBits(t *testing.T, hex []string) []float32 {
	t.Helper()
	out := make([]float32, len(hex))
	for i, h := range hex {
		u, err := strconv.ParseUint(h, 16, 32)
		require.NoError(t, err)
		out[i] = math.Float32frombits(uint32(u))
	}
	return out
}

func hexBits(v []float32) []string {
	out := make([]string, len(v))
	for i, f := range v {
		out[i] = fmt.Sprintf("%08x", math.Float32bits(f))
	}
	return out
}

func TestBrowser(t *testing.T) {
	chrome := findChromium(t)
	start := time.Now()
	m := packageBaseline(t)
	t.Logf("make the baseline site: %v", time.Since(start).Round(time.Millisecond))
	require.GreaterOrEqual(t, m.accuracy, 0.9, "the baseline model did not learn Iris")
	srv := httptest.NewServer(site.Handler(m.dir))
	t.Cleanup(srv.Close)
	cfg := siteConfig(t, m)
	browser := newBrowser(t, chrome)

	t.Run("packaged site", func(t *testing.T) {
		// The published page: the model compiled to its own module; the Go
		// engine must not be loaded at all.
		tb := openTab(t, browser, srv.URL+"/")
		st := tb.waitLoaded(t)
		require.Nil(t, st.Error, "the page failed to load the compiled model")
		require.True(t, st.Ready)
		assert.True(t, st.AppVisible)
		assert.Equal(t, 4, st.Features)
		assert.Greater(t, st.First, 0.0)
		t.Logf("packaged site: page load to first prediction: %.1f ms (fresh browser profile)", st.First)

		// What the page fetched before its first prediction is what
		// site.json says, and so are the sizes the about panel shows.
		tb.mu.Lock()
		var names []string
		for _, r := range tb.requests {
			u, err := url.Parse(r)
			require.NoError(t, err)
			name := strings.TrimPrefix(u.Path, "/")
			if name == "" {
				name = "index.html"
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		tb.mu.Unlock()
		slices.Sort(names)
		assert.Equal(t, m.page.Files, names, "the files the page fetched")
		var raw, gz int
		for _, name := range m.page.Files {
			r, g := fileSize(t, filepath.Join(m.dir, name))
			raw, gz = raw+r, gz+g
		}
		assert.Equal(t, raw, m.page.Bytes, "site.json's page bytes")
		assert.Equal(t, gz, m.page.GzipBytes, "site.json's page gzip bytes")
		about, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.ID("about")))
		require.NoError(t, err)
		assert.Contains(t, about, fmt.Sprintf("%s (%s gzip) in %d files before the first prediction", kb1(raw), kb1(gz), len(names)))
		modRaw, modGz := fileSize(t, filepath.Join(m.dir, "model.wasm"))
		assert.Contains(t, about, fmt.Sprintf("model.wasm, %s bytes (%s gzip)", thousands(modRaw), thousands(modGz)))
		assert.Contains(t, about, fmt.Sprintf("%.1f %% on %d held-out rows", 100*m.accuracy, m.testRows))
		t.Logf("packaged site: %d requests before the first prediction, %d bytes raw, %d gzip; model.wasm %d bytes, %d gzip",
			len(names), raw, gz, modRaw, modGz)

		checkSamples(t, tb, m)

		// Keyboard: a focused slider moves one step with the arrow key and
		// the prediction follows.
		before := tb.state(t)
		require.NoError(t, chromedp.Do(tb.ctx, chromedp.Focus(chromedp.ID("feature-3")), chromedp.KeyEvent(kb.ArrowLeft)))
		after := tb.state(t)
		v, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID("feature-3-value")))
		require.NoError(t, err)
		assert.Equal(t, "2.4", v, "petal width after one ArrowLeft from 2.5")
		assert.NotEqual(t, before.Last.Input, after.Last.Input)
		assert.Equal(t, hexBits(m.pred.Predict(parseBits(t, after.Last.Input))), after.Last.Output)

		measure(t, tb, "packaged site (compiled model)")
		if *screenshot != "" {
			shoot(t, tb)
		}
		tb.mu.Lock()
		for _, r := range tb.requests {
			u, err := url.Parse(r)
			require.NoError(t, err)
			assert.NotContains(t, []string{site.EngineFile, site.WasmExecFile, site.ModelFile}, strings.TrimPrefix(u.Path, "/"),
				"the compiled page loaded the Go engine")
		}
		tb.mu.Unlock()
		tb.checkClean(t)
	})

	t.Run("Go engine", func(t *testing.T) {
		// The same model on the Go engine: the page without a compiled
		// module, as it runs a model opened from disk.
		_, gsrv := serve(t, cfg)
		tb := openTab(t, browser, gsrv.URL+"/")
		st := tb.waitLoaded(t)
		require.Nil(t, st.Error, "the page failed to load the model")
		t.Logf("Go engine: page load to first prediction: %.1f ms (fresh browser profile)", st.First)
		checkSamples(t, tb, m)
		measure(t, tb, "Go engine")
		tb.checkClean(t)
	})

	t.Run("own model", func(t *testing.T) {
		// A second model of another shape, opened from disk on the packaged
		// site: 3 inputs, tanh hidden layer, 2 outputs.
		r := rng.New(7)
		net, err := nn.NewMLP[float32]([]int{3, 5, 2}, nn.Tanh, r)
		require.NoError(t, err)
		norm := &nn.Normalizer[float32]{Mean: []float32{10, -2, 0.5}, Std: []float32{2, 0.25, 0.01}}
		file, err := finf.Marshal(nn.ToFINF(net, norm))
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "mine.finf")
		require.NoError(t, os.WriteFile(path, file, 0o644))

		tb := openTab(t, browser, srv.URL+"/")
		require.Nil(t, tb.waitLoaded(t).Error)
		require.NoError(t, chromedp.Do(tb.ctx, chromedp.SetUploadFiles(chromedp.ID("own-file"), []string{path})))
		_, err = chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.querySelectorAll('#features .feature').length === 3`,
			chromedp.WithPollingTimeout(10*time.Second)))
		require.NoError(t, err, "the page did not switch to the opened model")
		st := tb.state(t)
		require.NotNil(t, st.Last)
		assert.Equal(t, hexBits([]float32{10, -2, 0.5}), st.Last.Input, "sliders start at the normaliser's means")
		assert.Equal(t, hexBits(predictorOf(t, file).Predict(parseBits(t, st.Last.Input))), st.Last.Output)
		assert.Equal(t, fmt.Sprintf("output %d", st.Last.Class+1), st.Prediction)
		about, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.ID("about")))
		require.NoError(t, err)
		engine, _ := fileSize(t, filepath.Join(m.dir, site.EngineFile))
		assert.Contains(t, about, fmt.Sprintf("(engine.wasm, %.2f MB)", float64(engine)/1e6), "the engine's size, measured by the page")
		tb.checkClean(t)
	})

	t.Run("bad model file", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			file     string // the file to spoil
			compiled bool   // on the packaged site (compiled model), else on the Go engine's
			data     []byte // nil: no file at all
			want     []string
			allow    string // an error the browser itself logs for this case
		}{
			{"truncated", site.ModelFile, false, m.file[:len(m.file)-7], []string{"model.finf", "corrupt", "layer 2 (linear 32x3) needs 99 floats", "bytes remain"}, ""},
			{"not a model", site.ModelFile, false, []byte("<html>this is not a model</html>"), []string{"model.finf", "corrupt", "offset 0: magic"}, ""},
			{"missing", site.ModelFile, false, nil, []string{"model.finf", "missing", "404"}, "404"},
			{"corrupt compiled module", "model.wasm", true, []byte("\x00asm\x01\x00\x00\x00\x01\xff"), []string{"model.wasm", "could not be loaded"}, ""},
			{"missing compiled module", "model.wasm", true, nil, []string{"model.wasm", "could not be loaded", "404"}, "404"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := cfg
				if tc.compiled {
					c = packagedConfig(t, m)
				}
				bad, badSrv := serve(t, c)
				if tc.data == nil {
					require.NoError(t, os.Remove(filepath.Join(bad, tc.file)))
				} else {
					require.NoError(t, os.WriteFile(filepath.Join(bad, tc.file), tc.data, 0o644))
				}
				tb := openTab(t, browser, badSrv.URL+"/")
				st := tb.waitLoaded(t)
				require.NotNil(t, st.Error, "the page accepted a bad model file")
				assert.False(t, st.Ready)
				assert.True(t, st.ErrorVisible, "the error message is not shown")
				assert.False(t, st.AppVisible, "the sliders are shown for a bad model")
				for _, w := range tc.want {
					assert.Contains(t, strings.ToLower(st.ErrorText), w)
				}
				t.Logf("%s: %q", tc.name, st.ErrorText)
				if *screenshot != "" && tc.name == "truncated" {
					png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
					require.NoError(t, err)
					require.NoError(t, os.WriteFile(strings.TrimSuffix(*screenshot, filepath.Ext(*screenshot))+"-error.png", png, 0o644))
				}
				if tc.allow == "" {
					tb.checkClean(t, "WebAssembly")
				} else {
					tb.checkClean(t, tc.allow)
				}
			})
		}
	})

	logSizes(t, m.dir)
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// packagedConfig is the packaged site's config, compiled model included,
// rebuilt from its files so that a test can spoil a copy.
func packagedConfig(t *testing.T, m packaged) site.Config {
	t.Helper()
	c := siteConfig(t, m)
	var extra []site.File
	for _, name := range []string{"model.wasm", "loader.js"} {
		b, err := os.ReadFile(filepath.Join(m.dir, name))
		require.NoError(t, err)
		extra = append(extra, site.File{Name: name, Data: b})
	}
	c.Extra = extra
	c.Compiled = &site.Compiled{File: "model.wasm", Loader: "loader.js"}
	files, err := site.Files(c)
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(m.dir, f.Name))
		require.NoError(t, err)
		require.Equal(t, b, f.Data, "the packaged %s differs from the site rebuilt from its files", f.Name)
	}
	return c
}

// kb1 formats n bytes as the page does: KB of 1024 bytes, one decimal.
func kb1(n int) string {
	return strconv.FormatFloat(math.Round(float64(n)/102.4)/10, 'f', 1, 64) + " KB"
}

// thousands formats n with commas, as Intl.NumberFormat('en') does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// checkSamples types the textbook samples into the number fields and checks
// the displayed class and that the page's probabilities are the native
// engine's bits.
func checkSamples(t *testing.T, tb *tab, m packaged) {
	t.Helper()
	for _, tc := range []struct {
		values []string
		want   string
	}{
		{[]string{"5.1", "3.5", "1.4", "0.2"}, "Iris-setosa"},
		{[]string{"5.7", "2.8", "4.1", "1.3"}, "Iris-versicolor"},
		{[]string{"6.3", "3.3", "6.0", "2.5"}, "Iris-virginica"},
	} {
		for i, v := range tc.values {
			tb.typeValue(t, i, v)
		}
		st := tb.state(t)
		require.NotNil(t, st.Last)
		x := parseBits(t, st.Last.Input)
		want := make([]float32, len(tc.values))
		for i, v := range tc.values {
			f, err := strconv.ParseFloat(v, 32)
			require.NoError(t, err)
			want[i] = float32(f)
		}
		assert.Equal(t, hexBits(want), st.Last.Input, "the page's inputs for %v", tc.values)
		native := m.pred.Predict(x)
		assert.Equal(t, hexBits(native), st.Last.Output, "the page's probabilities for %v are not the native engine's bits", tc.values)
		assert.Equal(t, tc.want, st.Prediction, "displayed class for %v", tc.values)
		assert.Equal(t, tc.want, irisClasses[st.Last.Class])
		slider, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID("feature-2")))
		require.NoError(t, err)
		got, err := strconv.ParseFloat(slider, 64)
		require.NoError(t, err)
		assert.Equal(t, float64(want[2]), float64(float32(got)), "the slider follows the number field")
	}
}

// measure logs the time of one prediction in the page, and the time to the
// first prediction after a reload.
func measure(t *testing.T, tb *tab, label string) {
	t.Helper()
	const js = `(() => {
		const b = window.__ferrum.backend;
		const x = new Float32Array([5.7, 2.8, 4.1, 1.3]);
		for (let i = 0; i < 500; i++) b.predict(x);
		const med = (a) => { a.sort((p, q) => p - q); return a[a.length >> 1]; };
		const single = [];
		for (let i = 0; i < 1000; i++) {
			const s = performance.now();
			b.predict(x);
			single.push(performance.now() - s);
		}
		// performance.now() is coarsened (100 µs here), so time batches of n
		// calls, n doubled until a batch takes at least 10 ms.
		let n = 1;
		for (;;) {
			const s = performance.now();
			for (let i = 0; i < n; i++) b.predict(x);
			if (performance.now() - s >= 10) break;
			n *= 2;
		}
		const batch = [];
		for (let k = 0; k < 31; k++) {
			const s = performance.now();
			for (let i = 0; i < n; i++) b.predict(x);
			batch.push((performance.now() - s) / n);
		}
		return JSON.stringify({single: med(single), batch: med(batch)});
	})()`
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	require.NoError(t, err)
	var r struct{ Single, Batch float64 }
	require.NoError(t, json.Unmarshal([]byte(s), &r))
	t.Logf("%s: one prediction in the page: median of 1000 timed calls %.1f µs (performance.now is coarse); median of 31 batches of >= 10 ms: %.3f µs per call",
		label, r.Single*1000, r.Batch*1000)

	// Reloads: the time to the first prediction with the browser's caches
	// warm (every file revalidated: the server sends no-cache).
	var firsts []float64
	for range 7 {
		require.NoError(t, chromedp.Do(tb.ctx, chromedp.Reload()))
		st := tb.waitLoaded(t)
		require.Nil(t, st.Error)
		firsts = append(firsts, st.First)
	}
	slices.Sort(firsts)
	t.Logf("%s: page load to first prediction after a reload: median of %d %.1f ms (%.1f to %.1f)",
		label, len(firsts), firsts[len(firsts)/2], firsts[0], firsts[len(firsts)-1])
}

func shoot(t *testing.T, tb *tab) {
	t.Helper()
	require.NoError(t, chromedp.Do(tb.ctx, chromedp.EmulateViewport(1100, 900)))
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(*screenshot, png, 0o644))
	require.NoError(t, chromedp.Do(tb.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)))
	png, err = chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	phone := strings.TrimSuffix(*screenshot, filepath.Ext(*screenshot)) + "-phone.png"
	require.NoError(t, os.WriteFile(phone, png, 0o644))
	require.NoError(t, chromedp.Do(tb.ctx, chromedp.EmulateViewport(1100, 900)))
	t.Logf("screenshots: %s, %s", *screenshot, phone)
}

// logSizes logs every file of the site, raw and gzip -9.
func logSizes(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var raw, gz int
	var lines []string
	for _, e := range entries {
		r, g := fileSize(t, filepath.Join(dir, e.Name()))
		raw += r
		gz += g
		lines = append(lines, fmt.Sprintf("  %-14s %9d bytes %9d gzip", e.Name(), r, g))
	}
	t.Logf("site files:\n%s\n  %-14s %9d bytes %9d gzip", strings.Join(lines, "\n"), "total", raw, gz)
}

// fileSize returns the size of a file, raw and compressed with gzip -9.
func fileSize(t *testing.T, path string) (raw, gz int) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return len(b), buf.Len()
}
