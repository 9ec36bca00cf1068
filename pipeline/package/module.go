package main

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ferrum-ml/ferrum/web/wasmgen"
)

// checkModule checks the compiled model module mod without running it: the
// WebAssembly 1.0 header, every section inside the file in the standard
// order, no imports, the sections a compiled model needs, and the exports
// of web/wasmgen's interface, with input_width and output_width equal to
// the model's widths. Running it bit for bit against the model file is the
// job of the stage's tests (a WebAssembly runtime is a test dependency
// only) and of the browser test.
func checkModule(mod []byte, inWidth, outWidth int) error {
	if !bytes.HasPrefix(mod, []byte("\x00asm\x01\x00\x00\x00")) {
		return errors.New("offset 0: not a WebAssembly 1.0 module")
	}
	r := &wasmReader{b: mod, off: 8}
	var (
		last     byte
		seen     = map[byte]bool{}
		globals  []int64            // each global's i32.const initial value
		exported = map[string]int{} // export name -> index
		kinds    = map[string]byte{}
	)
	for r.off < len(r.b) {
		start := r.off
		id := r.byte()
		size := r.uleb()
		if r.err != nil {
			return r.err
		}
		if size > uint64(len(r.b)-r.off) {
			return fmt.Errorf("offset %d: section %d of %d bytes runs past the end of the module", start, id, size)
		}
		end := r.off + int(size)
		switch {
		case id == 0: // custom sections may appear anywhere
		case id > 12 || id <= last:
			return fmt.Errorf("offset %d: section id %d out of order or unknown", start, id)
		default:
			last = id
			seen[id] = true
		}
		body := &wasmReader{b: r.b[:end], off: r.off}
		switch id {
		case 2:
			return fmt.Errorf("offset %d: the module imports something; a compiled model imports nothing", start)
		case 6:
			for n := body.uleb(); n > 0 && body.err == nil; n-- {
				body.byte() // value type
				body.byte() // mutability
				if op := body.byte(); op != 0x41 && body.err == nil {
					return fmt.Errorf("offset %d: global initialiser opcode %#x, want i32.const", body.off-1, op)
				}
				globals = append(globals, body.sleb())
				if op := body.byte(); op != 0x0b && body.err == nil {
					return fmt.Errorf("offset %d: global initialiser not ended", body.off-1)
				}
			}
		case 7:
			for n := body.uleb(); n > 0 && body.err == nil; n-- {
				name := string(body.bytes(int(body.uleb())))
				kinds[name] = body.byte()
				exported[name] = int(body.uleb())
			}
		}
		if body.err != nil {
			return body.err
		}
		if id == 6 || id == 7 {
			if body.off != end {
				return fmt.Errorf("offset %d: section %d has %d bytes left over", body.off, id, end-body.off)
			}
		}
		r.off = end
	}
	for _, id := range []byte{1, 3, 5, 6, 7, 10, 11} {
		if !seen[id] {
			return fmt.Errorf("the module has no section %d", id)
		}
	}
	for _, e := range []struct {
		name string
		kind byte
	}{
		{wasmgen.ExportMemory, 2}, {wasmgen.ExportPredict, 0}, {wasmgen.ExportInputPtr, 3},
		{wasmgen.ExportOutputPtr, 3}, {wasmgen.ExportInputWidth, 3}, {wasmgen.ExportOutputWidth, 3},
	} {
		if k, ok := kinds[e.name]; !ok || k != e.kind {
			return fmt.Errorf("the module does not export %s (kind %d)", e.name, e.kind)
		}
	}
	width := func(name string) int64 {
		if i := exported[name]; i < len(globals) {
			return globals[i]
		}
		return -1
	}
	if in, out := width(wasmgen.ExportInputWidth), width(wasmgen.ExportOutputWidth); in != int64(inWidth) || out != int64(outWidth) {
		return fmt.Errorf("the module takes %d inputs and gives %d outputs, the model %d and %d", in, out, inWidth, outWidth)
	}
	return nil
}

// wasmReader reads the WebAssembly binary format from b at off; the first
// error sticks and later reads return zero.
type wasmReader struct {
	b   []byte
	off int
	err error
}

func (r *wasmReader) fail(msg string) {
	if r.err == nil {
		r.err = fmt.Errorf("offset %d: %s", r.off, msg)
	}
}

func (r *wasmReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.b) {
		r.fail("unexpected end of section")
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

func (r *wasmReader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail("name runs past the end of its section")
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

// uleb reads an unsigned LEB128 number of at most 32 bits.
func (r *wasmReader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.fail("LEB128 number longer than 5 bytes")
	return 0
}

// sleb reads a signed LEB128 number of at most 32 bits.
func (r *wasmReader) sleb() int64 {
	var v int64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 < 64 && c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v
		}
	}
	r.fail("LEB128 number longer than 5 bytes")
	return 0
}
