package wasmgen

import _ "embed"

// LoaderJS is loader.js, the ES module that loads a compiled model in a web
// page (see the package documentation), for a site to publish beside the
// module. Its name in a site is LoaderFile.
//
//go:embed loader.js
var LoaderJS []byte

// LoaderFile is the name loader.js is published under.
const LoaderFile = "loader.js"
