package wasmgen

import (
	"encoding/binary"
	"math"
)

// This file writes the WebAssembly 1.0 binary format: LEB128 integers, the
// instruction bytes the compiler uses, and the sections of a module
// (https://webassembly.github.io/spec/core/binary/).

// Value types.
const (
	i32 byte = 0x7f
	i64 byte = 0x7e
	f32 byte = 0x7d
	f64 byte = 0x7c
)

// blockVoid is the block type of a block, loop or if that yields nothing.
const blockVoid byte = 0x40

// Opcodes, named as in the text format with dots dropped.
const (
	opBlock  byte = 0x02
	opLoop   byte = 0x03
	opIf     byte = 0x04
	opElse   byte = 0x05
	opEnd    byte = 0x0b
	opBr     byte = 0x0c
	opBrIf   byte = 0x0d
	opReturn byte = 0x0f
	opCall   byte = 0x10
	opSelect byte = 0x1b

	opLocalGet byte = 0x20
	opLocalSet byte = 0x21
	opLocalTee byte = 0x22

	opF32Load  byte = 0x2a
	opF32Store byte = 0x38

	opI32Const byte = 0x41
	opI64Const byte = 0x42
	opF32Const byte = 0x43
	opF64Const byte = 0x44

	opI32Ne  byte = 0x47
	opI32LtS byte = 0x48
	opI32GtS byte = 0x4a
	opI32GeU byte = 0x4f

	opF32Gt byte = 0x5e

	opF64Eq byte = 0x61
	opF64Ne byte = 0x62
	opF64Lt byte = 0x63
	opF64Gt byte = 0x64
	opF64Ge byte = 0x66

	opI32Add byte = 0x6a
	opI32Sub byte = 0x6b
	opI32Shl byte = 0x74
	opI64Shl byte = 0x86

	opF32Neg byte = 0x8c
	opF32Add byte = 0x92
	opF32Sub byte = 0x93
	opF32Mul byte = 0x94
	opF32Div byte = 0x95

	opF64Abs byte = 0x99
	opF64Neg byte = 0x9a
	opF64Add byte = 0xa0
	opF64Sub byte = 0xa1
	opF64Mul byte = 0xa2
	opF64Div byte = 0xa3

	opI32TruncF64S    byte = 0xaa
	opI64ExtendI32U   byte = 0xad
	opF32DemoteF64    byte = 0xb6
	opF64ConvertI32S  byte = 0xb7
	opF64PromoteF32   byte = 0xbb
	opF64ReinterpretI byte = 0xbf
)

// Section ids.
const (
	secType     byte = 1
	secFunction byte = 3
	secMemory   byte = 5
	secGlobal   byte = 6
	secExport   byte = 7
	secCode     byte = 10
	secData     byte = 11
)

// Export kinds.
const (
	exportFunc   byte = 0
	exportMemory byte = 2
	exportGlobal byte = 3
)

// pageSize is the size of a WebAssembly memory page in bytes.
const pageSize = 65536

// appendULEB appends v as unsigned LEB128: seven bits a byte, low first,
// the high bit set on every byte but the last.
func appendULEB(dst []byte, v uint64) []byte {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(dst, b)
		}
		dst = append(dst, b|0x80)
	}
}

// appendSLEB appends v as signed LEB128: like appendULEB, ending at the
// first byte after which the remaining bits are all copies of the sign bit
// (bit 6 of the last byte).
func appendSLEB(dst []byte, v int64) []byte {
	for {
		b := byte(v & 0x7f)
		v >>= 7 // arithmetic shift keeps the sign
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			return append(dst, b)
		}
		dst = append(dst, b|0x80)
	}
}

// appendName appends s as a WebAssembly name: its byte length, then the
// bytes.
func appendName(dst []byte, s string) []byte {
	dst = appendULEB(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendSection appends a section: its id, the byte length of its
// contents, then the contents.
func appendSection(dst []byte, id byte, contents []byte) []byte {
	dst = append(dst, id)
	dst = appendULEB(dst, uint64(len(contents)))
	return append(dst, contents...)
}

// code is a function body under construction: a sequence of instructions.
type code struct {
	b []byte
}

// op appends raw opcodes (and any immediates already encoded).
func (c *code) op(ops ...byte) { c.b = append(c.b, ops...) }

// get, set and tee append local.get, local.set and local.tee of local l.
func (c *code) get(l uint32) { c.b = appendULEB(append(c.b, opLocalGet), uint64(l)) }
func (c *code) set(l uint32) { c.b = appendULEB(append(c.b, opLocalSet), uint64(l)) }
func (c *code) tee(l uint32) { c.b = appendULEB(append(c.b, opLocalTee), uint64(l)) }

// i32Const appends i32.const v.
func (c *code) i32Const(v int32) { c.b = appendSLEB(append(c.b, opI32Const), int64(v)) }

// i64Const appends i64.const v.
func (c *code) i64Const(v int64) { c.b = appendSLEB(append(c.b, opI64Const), v) }

// f32Const appends f32.const v, its IEEE bits little-endian.
func (c *code) f32Const(v float32) {
	c.b = binary.LittleEndian.AppendUint32(append(c.b, opF32Const), math.Float32bits(v))
}

// f64Const appends f64.const v, its IEEE bits little-endian.
func (c *code) f64Const(v float64) {
	c.b = binary.LittleEndian.AppendUint64(append(c.b, opF64Const), math.Float64bits(v))
}

// call appends call f.
func (c *code) call(f uint32) { c.b = appendULEB(append(c.b, opCall), uint64(f)) }

// f32Load and f32Store append f32.load and f32.store with the natural
// alignment (2**2 bytes) and the constant byte offset off added to the
// address on the stack.
func (c *code) f32Load(off uint32)  { c.memarg(opF32Load, off) }
func (c *code) f32Store(off uint32) { c.memarg(opF32Store, off) }

func (c *code) memarg(op byte, off uint32) {
	c.b = appendULEB(append(c.b, op, 2), uint64(off))
}

// block, loop and ifThen open a structured instruction of block type bt.
func (c *code) block(bt byte)  { c.op(opBlock, bt) }
func (c *code) loop(bt byte)   { c.op(opLoop, bt) }
func (c *code) ifThen(bt byte) { c.op(opIf, bt) }

// brIf appends br_if to the label depth levels out.
func (c *code) brIf(depth uint32) { c.b = appendULEB(append(c.b, opBrIf), uint64(depth)) }

// br appends br to the label depth levels out.
func (c *code) br(depth uint32) { c.b = appendULEB(append(c.b, opBr), uint64(depth)) }

// funcType is a function signature.
type funcType struct {
	params, results []byte
}

func (t funcType) equal(u funcType) bool {
	return string(t.params) == string(u.params) && string(t.results) == string(u.results)
}

// appendFuncType appends t: 0x60, the parameter types, the result types.
func appendFuncType(dst []byte, t funcType) []byte {
	dst = append(dst, 0x60)
	dst = appendULEB(dst, uint64(len(t.params)))
	dst = append(dst, t.params...)
	dst = appendULEB(dst, uint64(len(t.results)))
	return append(dst, t.results...)
}

// function is one function of a module: its signature, the types of its
// locals beyond the parameters, and its body (which ends with opEnd).
type function struct {
	typ    funcType
	locals []byte
	body   []byte
}

// appendFuncBody appends f's entry in the code section: its byte size, its
// locals as runs of one type, then the body.
func appendFuncBody(dst []byte, f function) []byte {
	var runs []byte
	nruns := 0
	for i := 0; i < len(f.locals); {
		j := i
		for j < len(f.locals) && f.locals[j] == f.locals[i] {
			j++
		}
		runs = appendULEB(runs, uint64(j-i))
		runs = append(runs, f.locals[i])
		nruns++
		i = j
	}
	entry := appendULEB(nil, uint64(nruns))
	entry = append(entry, runs...)
	entry = append(entry, f.body...)
	dst = appendULEB(dst, uint64(len(entry)))
	return append(dst, entry...)
}

// export is one entry of the export section.
type export struct {
	name  string
	kind  byte
	index uint32
}

// module is a whole WebAssembly module as the compiler builds it: functions
// (no imports), one memory of a fixed number of pages, immutable i32
// globals, exports and one active data segment.
type module struct {
	funcs      []function
	pages      uint32
	globals    []int32
	exports    []export
	dataOffset uint32
	data       []byte
}

// encode returns the binary encoding of m, sections in the order the
// format requires.
func (m *module) encode() []byte {
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

	// Type section: each distinct signature once.
	var types []funcType
	typeIndex := make([]uint32, len(m.funcs))
	for i, f := range m.funcs {
		idx := -1
		for k, t := range types {
			if t.equal(f.typ) {
				idx = k
				break
			}
		}
		if idx < 0 {
			idx = len(types)
			types = append(types, f.typ)
		}
		typeIndex[i] = uint32(idx)
	}
	sec := appendULEB(nil, uint64(len(types)))
	for _, t := range types {
		sec = appendFuncType(sec, t)
	}
	out = appendSection(out, secType, sec)

	sec = appendULEB(nil, uint64(len(m.funcs)))
	for _, idx := range typeIndex {
		sec = appendULEB(sec, uint64(idx))
	}
	out = appendSection(out, secFunction, sec)

	// One memory, minimum m.pages, no maximum: flags 0x00.
	sec = []byte{1, 0x00}
	sec = appendULEB(sec, uint64(m.pages))
	out = appendSection(out, secMemory, sec)

	if len(m.globals) > 0 {
		sec = appendULEB(nil, uint64(len(m.globals)))
		for _, v := range m.globals {
			sec = append(sec, i32, 0x00, opI32Const) // immutable i32
			sec = appendSLEB(sec, int64(v))
			sec = append(sec, opEnd)
		}
		out = appendSection(out, secGlobal, sec)
	}

	sec = appendULEB(nil, uint64(len(m.exports)))
	for _, e := range m.exports {
		sec = appendName(sec, e.name)
		sec = append(sec, e.kind)
		sec = appendULEB(sec, uint64(e.index))
	}
	out = appendSection(out, secExport, sec)

	sec = appendULEB(nil, uint64(len(m.funcs)))
	for _, f := range m.funcs {
		sec = appendFuncBody(sec, f)
	}
	out = appendSection(out, secCode, sec)

	if len(m.data) > 0 {
		// One active segment for memory 0 (flags 0), at a constant offset.
		sec = []byte{1, 0x00, opI32Const}
		sec = appendSLEB(sec, int64(int32(m.dataOffset)))
		sec = append(sec, opEnd)
		sec = appendULEB(sec, uint64(len(m.data)))
		sec = append(sec, m.data...)
		out = appendSection(out, secData, sec)
	}
	return out
}
