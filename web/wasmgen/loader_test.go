package wasmgen

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoaderJS(t *testing.T) {
	b, err := os.ReadFile(LoaderFile)
	require.NoError(t, err)
	assert.Equal(t, b, LoaderJS, "LoaderJS is the embedded loader.js")
	assert.Contains(t, string(LoaderJS), "export async function loadModel(")
}
