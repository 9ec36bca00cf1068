package wasmgen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

// FuzzCompile feeds FINF files to Compile: every file finf.Read accepts
// must compile, the module must run without trapping, and its outputs must
// match the engine's on a few inputs. The corpus is finf's testdata (valid
// and broken files) and the models of TestBitIdentical.
func FuzzCompile(f *testing.F) {
	files, err := filepath.Glob("../../finf/testdata/*.finf")
	require.NoError(f, err)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b)
	}
	for _, tc := range modelCases(f) {
		b, err := finf.Marshal(tc.model)
		if err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := finf.Read(b)
		if err != nil {
			return
		}
		bin, err := Compile(m)
		require.NoError(t, err, "a readable FINF file must compile")
		mod := instantiate(t, wazero.NewRuntimeConfigInterpreter(), bin)
		p := native(t, m)
		for _, x := range inputs(rng.New(uint64(len(b))), m.InWidth(), 3)[:5] {
			assert.Equal(t, canonical(p.Predict(x)), canonical(mod.run(x)), "input %v", x)
		}
	})
}
