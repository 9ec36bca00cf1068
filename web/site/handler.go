package site

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
)

// ContentSecurityPolicy is the policy of the page, sent as a header by
// Handler and repeated in index.html's meta tag for static hosts that send
// none: everything from the page's own origin only, and WebAssembly
// compilation.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// contentTypes are the types Handler sends, by file extension; anything
// else is application/octet-stream. The host's MIME tables are not
// consulted, so every machine serves the same headers.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".txt":  "text/plain; charset=utf-8",
	".finf": "application/octet-stream",
}

// Handler returns an HTTP handler that serves the site folder root: GET and
// HEAD only, "/" as index.html, a folder as its index.html or 404 (never a
// listing), names starting with '.' as 404, and nothing outside root (the
// folder is opened with os.OpenRoot, so symbolic links cannot escape it).
// It answers 500 for every request if root cannot be opened.
func Handler(root string) http.Handler {
	return &handler{dir: root}
}

type handler struct {
	dir string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "site folder not readable", http.StatusInternalServerError)
		return
	}
	defer root.Close()

	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			http.NotFound(w, r)
			return
		}
	}
	f, err := root.Open(name)
	if err != nil {
		notFoundOr500(w, r, err)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		notFoundOr500(w, r, err)
		return
	}
	if fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			// The cleaned name, never the raw path: "//host" would send
			// the browser to another site.
			http.Redirect(w, r, "/"+name+"/", http.StatusMovedPermanently)
			return
		}
		f.Close()
		name = path.Join(name, "index.html")
		if f, err = root.Open(name); err != nil {
			notFoundOr500(w, r, err)
			return
		}
		defer f.Close()
		if fi, err = f.Stat(); err != nil || fi.IsDir() {
			http.NotFound(w, r)
			return
		}
	}
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	hdr := w.Header()
	hdr.Set("Content-Type", ct)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Security-Policy", ContentSecurityPolicy)
	hdr.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// notFoundOr500 answers 404 for a name that does not exist or is not allowed
// (such as a link out of the folder), 500 for anything else.
func notFoundOr500(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, fs.ErrPermission) {
		http.Error(w, "cannot read the file", http.StatusInternalServerError)
		return
	}
	http.NotFound(w, r)
}
