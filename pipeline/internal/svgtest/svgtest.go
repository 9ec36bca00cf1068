// Package svgtest reads the SVG plots the pipeline writes, for tests that
// check a plot's content rather than only its existence: the text of every
// <text> element and the style of every <path>.
package svgtest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Doc is what a test reads from an SVG document.
type Doc struct {
	Texts  []string // the character data of each <text> element, in order
	Styles []string // the style attribute of each <path>, in order
}

// Parse reads the SVG document b, failing t unless it is well-formed XML.
func Parse(t testing.TB, b []byte) Doc {
	t.Helper()
	var doc Doc
	dec := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return doc
		}
		require.NoError(t, err, "the SVG must be well-formed XML")
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "text":
				inText = true
				doc.Texts = append(doc.Texts, "")
			case "path":
				for _, a := range e.Attr {
					if a.Name.Local == "style" {
						doc.Styles = append(doc.Styles, a.Value)
					}
				}
			}
		case xml.EndElement:
			inText = inText && e.Name.Local != "text"
		case xml.CharData:
			if inText {
				doc.Texts[len(doc.Texts)-1] += string(e)
			}
		}
	}
}

// Strokes returns the number of paths stroked in colour c ("#RRGGBB").
func (d Doc) Strokes(c string) int {
	n := 0
	for _, s := range d.Styles {
		if strings.Contains(s, "stroke:"+c) {
			n++
		}
	}
	return n
}

// Fills returns the number of paths filled with colour c ("#RRGGBB").
func (d Doc) Fills(c string) int {
	n := 0
	for _, s := range d.Styles {
		if strings.HasPrefix(s, "fill:"+c) {
			n++
		}
	}
	return n
}
