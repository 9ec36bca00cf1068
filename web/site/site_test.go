package site

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
)

// testModel is a 2 -> 3 (Softmax) model with a normaliser.
func testModel(t *testing.T) []byte {
	t.Helper()
	b, err := finf.Marshal(&finf.Model{
		Mean: []float32{5.8433332, 3.0573332},
		Std:  []float32{0.8253013, 0.43441147},
		Layers: []finf.Layer{
			{Tag: finf.TagLinear, In: 2, Out: 3, W: []float32{1, 2, 3, 4, 5, 6}, B: []float32{0.5, 0, -0.5}},
			{Tag: finf.TagActivation, Act: finf.Softmax},
		},
	})
	require.NoError(t, err)
	return b
}

func testConfig(t *testing.T) Config {
	return Config{
		Title:   "Test classifier",
		Dataset: "test data",
		Features: []Feature{
			{Name: "sepal_length", Unit: "cm", Min: 4.3, Max: 7.9},
			{Name: "sepal_width", Unit: "cm", Min: 2, Max: 4.4},
		},
		Classes:      []string{"a", "b", "c"},
		TestAccuracy: 0.9,
		TestRows:     30,
		Model:        testModel(t),
		Engine:       []byte("\x00asm\x01\x00\x00\x00"),
		WasmExec:     []byte("// wasm_exec.js\n"),
	}
}

func TestFilesSiteJSON(t *testing.T) {
	files, err := Files(testConfig(t))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"app.js", "engine.js", "engine.wasm", "favicon.svg", "index.html", "model.finf", "site.json", "style.css", "wasm_exec.js"}, names)

	doc := findFile(files, SiteFile)
	require.NotNil(t, doc)
	want := `{
  "title": "Test classifier",
  "dataset": "test data",
  "features": [
    {
      "name": "sepal_length",
      "unit": "cm",
      "min": 4.3,
      "max": 7.9,
      "step": 0.1,
      "default": 5.8
    },
    {
      "name": "sepal_width",
      "unit": "cm",
      "min": 2,
      "max": 4.4,
      "step": 0.1,
      "default": 3.1
    }
  ],
  "classes": [
    "a",
    "b",
    "c"
  ],
  "testAccuracy": 0.9,
  "testRows": 30,
  "model": {
    "file": "model.finf",
    "bytes": ` + itoa(len(testModel(t))) + `,
    "sha256": "` + sha(testModel(t)) + `",
    "params": 9,
    "layers": [
      {
        "kind": "linear",
        "in": 2,
        "out": 3
      },
      {
        "kind": "softmax"
      }
    ]
  },
  "engine": {
    "file": "engine.wasm"
  },
  "page": {
`
	assert.True(t, strings.HasPrefix(string(doc.Data), want), "site.json:\n%s", doc.Data)
	checkPage(t, files, []string{"app.js", "engine.js", "engine.wasm", "favicon.svg", "index.html", "model.finf", "site.json", "style.css", "wasm_exec.js"})
}

// checkPage checks site.json's page entry: the files the page fetches
// before its first prediction, and their true total size raw and gzip.
func checkPage(t *testing.T, files []File, want []string) {
	t.Helper()
	var doc struct{ Page pageJSON }
	require.NoError(t, json.Unmarshal(findFile(files, SiteFile).Data, &doc))
	assert.Equal(t, want, doc.Page.Files)
	var raw, gz int
	for _, name := range doc.Page.Files {
		f := findFile(files, name)
		require.NotNil(t, f, name)
		raw += len(f.Data)
		var buf bytes.Buffer
		w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		require.NoError(t, err)
		_, err = w.Write(f.Data)
		require.NoError(t, err)
		require.NoError(t, w.Close())
		gz += buf.Len()
	}
	assert.Equal(t, raw, doc.Page.Bytes, "raw bytes")
	assert.Equal(t, gz, doc.Page.GzipBytes, "gzip bytes")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestBuildIsReproducibleAndReplaces(t *testing.T) {
	cfg := testConfig(t)
	dir := filepath.Join(t.TempDir(), "out", "site")
	require.NoError(t, Build(dir, cfg))
	first := readDir(t, dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale.txt"), []byte("old"), 0o644))

	require.NoError(t, Build(dir, cfg))
	assert.Equal(t, first, readDir(t, dir), "a second build gives the same bytes and removes stale files")
	files, err := Files(cfg)
	require.NoError(t, err)
	for _, f := range files {
		assert.Equal(t, string(f.Data), first[f.Name], f.Name)
	}
	left, err := os.ReadDir(filepath.Dir(dir))
	require.NoError(t, err)
	require.Len(t, left, 1, "temporary folders left beside the site")

	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), fi.Mode().Perm())
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

func TestFilesRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"corrupt model", func(c *Config) { c.Model = c.Model[:len(c.Model)-1] }, "model: finf: offset"},
		{"no model", func(c *Config) { c.Model = nil }, "model: finf"},
		{"too few features", func(c *Config) { c.Features = c.Features[:1] }, "1 features for a model of 2 inputs"},
		{"too many classes", func(c *Config) { c.Classes = append(c.Classes, "d") }, "4 classes for a model of 3 outputs"},
		{"empty class", func(c *Config) { c.Classes[1] = " " }, "class 1 has no name"},
		{"accuracy above 1", func(c *Config) { c.TestAccuracy = 1.5 }, "test accuracy 1.5 on 30 rows"},
		{"engine not wasm", func(c *Config) { c.Engine = []byte("MZ") }, "engine: not a WebAssembly module"},
		{"no wasm_exec", func(c *Config) { c.WasmExec = nil }, "wasm_exec.js is empty"},
		{"feature without name", func(c *Config) { c.Features[0].Name = "" }, `feature 0 (""): no name`},
		{"inverted range", func(c *Config) { c.Features[1].Min = 5 }, `feature 1 ("sepal_width"): range 5 to 4.4`},
		{"negative step", func(c *Config) { c.Features[0].Step = -1 }, "step -1"},
		{"extra file with a path", func(c *Config) { c.Extra = []File{{"../x.js", nil}} }, `extra file name "../x.js"`},
		{"extra dot file", func(c *Config) { c.Extra = []File{{".hidden", nil}} }, `extra file name ".hidden"`},
		{"extra file clash", func(c *Config) { c.Extra = []File{{"app.js", nil}} }, `two files named "app.js"`},
		{"extra site.json", func(c *Config) { c.Extra = []File{{"site.json", nil}} }, `two files named "site.json"`},
		{"extra files clash", func(c *Config) { c.Extra = []File{{"a.js", nil}, {"a.js", nil}} }, `two files named "a.js"`},
		{"compiled not among extra", func(c *Config) { c.Compiled = &Compiled{File: "model.wasm", Loader: "loader.js"} }, "must both be extra files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			tc.change(&cfg)
			_, err := Files(cfg)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrConfig), "%v does not wrap ErrConfig", err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Error(t, Build(filepath.Join(t.TempDir(), "site"), cfg))
		})
	}
}

func TestCompiledEntry(t *testing.T) {
	cfg := testConfig(t)
	cfg.Extra = []File{{"model.wasm", []byte("\x00asm\x01\x00\x00\x00\x01")}, {"loader.js", []byte("export {}\n")}}
	cfg.Compiled = &Compiled{File: "model.wasm", Loader: "loader.js"}
	files, err := Files(cfg)
	require.NoError(t, err)
	var doc struct {
		Compiled compiledJSON `json:"compiled"`
	}
	require.NoError(t, json.Unmarshal(findFile(files, SiteFile).Data, &doc))
	assert.Equal(t, compiledJSON{File: "model.wasm", Loader: "loader.js", Bytes: 9, GzipBytes: 33}, doc.Compiled)
	assert.NotNil(t, findFile(files, "loader.js"))
	checkPage(t, files, []string{"app.js", "engine.js", "favicon.svg", "index.html", "loader.js", "model.wasm", "site.json", "style.css"})
}

func TestSliderFor(t *testing.T) {
	for _, tc := range []struct {
		name    string
		f       Feature
		mean    float32
		hasMean bool
		want    featureJSON
	}{
		{"iris sepal length", Feature{Name: "x", Min: 4.3, Max: 7.9}, 5.8433332, true,
			featureJSON{Name: "x", Min: 4.3, Max: 7.9, Step: 0.1, Default: 5.8}},
		{"widened to whole steps", Feature{Name: "x", Min: 0.013, Max: 0.987}, 0, false,
			featureJSON{Name: "x", Min: 0.01, Max: 0.99, Step: 0.01, Default: 0.5}},
		{"large values", Feature{Name: "x", Min: 143.5, Max: 2501}, 654.9, true,
			featureJSON{Name: "x", Min: 100, Max: 2600, Step: 100, Default: 700}},
		{"constant column", Feature{Name: "x", Min: 3, Max: 3}, 3, true,
			featureJSON{Name: "x", Min: 2, Max: 4, Step: 0.1, Default: 3}},
		{"given step", Feature{Name: "x", Min: 0, Max: 16, Step: 1}, 4.3, true,
			featureJSON{Name: "x", Min: 0, Max: 16, Step: 1, Default: 4}},
		{"mean outside the range is clamped", Feature{Name: "x", Min: 0, Max: 1}, 7, true,
			featureJSON{Name: "x", Min: 0, Max: 1, Step: 0.01, Default: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sliderFor(tc.f, tc.mean, tc.hasMean)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestHandler(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	require.NoError(t, Build(dir, testConfig(t)))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".secret"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.xyz"), []byte("x"), 0o644))
	outside := filepath.Join(t.TempDir(), "outside.txt")
	require.NoError(t, os.WriteFile(outside, []byte("outside"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "link.txt")))
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()

	for _, tc := range []struct {
		method, path string
		status       int
		contentType  string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8"},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/engine.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/wasm_exec.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/style.css", 200, "text/css; charset=utf-8"},
		{"GET", "/site.json", 200, "application/json"},
		{"GET", "/engine.wasm", 200, "application/wasm"},
		{"GET", "/model.finf", 200, "application/octet-stream"},
		{"GET", "/favicon.svg", 200, "image/svg+xml"},
		{"GET", "/notes.xyz", 200, "application/octet-stream"},
		{"HEAD", "/model.finf", 200, "application/octet-stream"},
		{"GET", "/missing.js", 404, ""},
		{"GET", "/sub/", 404, ""},
		{"GET", "/.secret", 404, ""},
		{"GET", "/../outside.txt", 404, ""},
		{"GET", "/link.txt", 404, ""},
		{"POST", "/index.html", 405, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			require.NoError(t, err)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.status == 200 {
				assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"))
				assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
				assert.Equal(t, ContentSecurityPolicy, resp.Header.Get("Content-Security-Policy"))
			}
			assert.NotContains(t, string(body), "outside")
		})
	}
}

// TestHandlerRedirectStaysOnSite: a folder requested without its slash is
// redirected to the cleaned path; "//sub" must not become "//sub/", which a
// browser reads as the host "sub".
func TestHandlerRedirectStaysOnSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	require.NoError(t, Build(dir, testConfig(t)))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	h := Handler(dir)
	for path, want := range map[string]string{"/sub": "/sub/", "//sub": "/sub/", "/./sub": "/sub/"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "http://localhost/", nil)
		req.URL.Path = path
		h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusMovedPermanently, rec.Code, path)
		assert.Equal(t, want, rec.Header().Get("Location"), path)
	}
}

// The page's meta policy must be the header's, minus frame-ancestors (which
// browsers ignore, with a console error, in a meta tag).
func TestIndexPolicyMatchesHeader(t *testing.T) {
	b, err := static.ReadFile("static/index.html")
	require.NoError(t, err)
	want := strings.TrimSuffix(ContentSecurityPolicy, "; frame-ancestors 'none'")
	assert.Contains(t, string(b), `<meta http-equiv="Content-Security-Policy" content="`+want+`">`)
}
