package svgtest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParse(t *testing.T) {
	doc := Parse(t, []byte(`<svg><text x="1">Loss <tspan/>per epoch</text>`+
		`<path style="fill:none;stroke:#0072B2;stroke-width:1"/><path style="fill:#E69F00"/>`+
		`<path style="fill:none;stroke:#0072B2"/><text>epoch</text></svg>`))
	assert.Equal(t, []string{"Loss per epoch", "epoch"}, doc.Texts)
	assert.Equal(t, 2, doc.Strokes("#0072B2"))
	assert.Equal(t, 1, doc.Fills("#E69F00"))
	assert.Equal(t, 0, doc.Fills("#0072B2"), "a stroked path with fill:none is not a fill")
}
