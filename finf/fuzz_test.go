package finf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead is seeded from every *.finf file in testdata/ (the reference
// file and broken variants of it). It checks that Read never panics, that
// every error is a *FormatError with an offset inside the input, that what
// Read accepts is bounded by the input's size, and that Marshal reproduces
// every accepted input byte for byte.
func FuzzRead(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.finf"))
	if err != nil {
		f.Fatal(err)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed files in testdata/")
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Read(b)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is a %T, want *FormatError", err, err)
			}
			if fe.Offset < 0 || fe.Offset > len(b) {
				t.Fatalf("error offset %d outside the %d-byte input: %v", fe.Offset, len(b), err)
			}
			if fe.Err == nil {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			if m != nil {
				t.Fatalf("Read returned a model with error %v", err)
			}
			return
		}

		// Every weight and bias takes four bytes of input, every normaliser
		// number at least one, every layer record at least two.
		floats := 0
		for _, l := range m.Layers {
			floats += len(l.W) + len(l.B)
		}
		if floats > len(b)/4 {
			t.Fatalf("%d weights and biases from %d bytes", floats, len(b))
		}
		if 2*len(m.Mean) > len(b) || len(m.Mean) != len(m.Std) {
			t.Fatalf("%d means and %d stds from %d bytes", len(m.Mean), len(m.Std), len(b))
		}
		if 2*len(m.Layers) > len(b) {
			t.Fatalf("%d layers from %d bytes", len(m.Layers), len(b))
		}

		out, err := Marshal(m)
		if err != nil {
			t.Fatalf("Marshal of an accepted model: %v", err)
		}
		if !bytes.Equal(b, out) {
			t.Fatalf("Marshal does not reproduce the input:\n in  %x\n out %x", b, out)
		}
	})
}
