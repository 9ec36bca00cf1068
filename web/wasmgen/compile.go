package wasmgen

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/ferrum-ml/ferrum/finf"
)

// ErrTooLarge is wrapped by the error Compile returns for a model whose
// weights and buffers do not fit the linear memory a module may use.
var ErrTooLarge = errors.New("model too large for a WebAssembly module")

// MaxMemory is the most linear memory, in bytes, that a compiled module
// uses: 2 GiB, what every browser grants a 32-bit memory, and small enough
// that every address the code forms is a positive i32 with no wrap-around.
const MaxMemory = 1 << 31

// The exported names of a compiled module.
const (
	ExportMemory      = "memory"
	ExportPredict     = "predict"
	ExportInputPtr    = "input_ptr"
	ExportOutputPtr   = "output_ptr"
	ExportInputWidth  = "input_width"
	ExportOutputWidth = "output_width"
)

// Compile returns a standalone WebAssembly module that computes m's
// forward pass bit for bit as nn.Predictor does; the package documentation
// describes its interface. m is not modified and the result does not alias
// it.
//
// It returns an error, and no module, for a model that breaks a rule of
// FINF v2 (wrapping the finf sentinel error, such as finf.ErrWidth or
// finf.ErrUnknownActivation, inside a *finf.ModelError that names the
// layer), and an error wrapping ErrTooLarge for one that needs more than
// MaxMemory bytes. Any module it returns runs without trapping.
func Compile(m *finf.Model) ([]byte, error) {
	if m == nil {
		return nil, errors.New("wasmgen: model is nil")
	}
	lay, err := plan(m)
	if err != nil {
		return nil, fmt.Errorf("wasmgen: %w", err)
	}
	// finf's own rules: widths chain, finite values, known kinds. Checked
	// after plan, which looks at the widths only, so that the size check
	// never needs the weights to exist.
	if _, err := finf.Marshal(m); err != nil {
		return nil, fmt.Errorf("wasmgen: %w", err)
	}
	return build(m, lay).encode(), nil
}

// layout is where a model's values live in linear memory. All addresses are
// byte offsets, multiples of 4.
//
//	0        input   (inWidth f32), written by the caller
//	bufA     scratch (maxWidth f32)
//	bufB     scratch (maxWidth f32)
//	data     mean, std (inWidth f32 each, when there is a normaliser),
//	         then W and b of each Linear layer in order
type layout struct {
	inWidth, outWidth int
	bufA, bufB        uint32
	mean, std         uint32   // valid when the model has a normaliser
	w, b              []uint32 // per layer; zero for activations
	data              uint32   // start of the data segment
	size              uint64   // total bytes
}

// plan returns m's memory layout, checking only what it needs to: the
// widths of the Linear layers, and that everything fits MaxMemory. The
// widths are not checked to chain; finf.Marshal does that.
func plan(m *finf.Model) (*layout, error) {
	if len(m.Layers) == 0 {
		return nil, &finf.ModelError{Layer: -1, Msg: "model has no layers, want at least 1", Err: finf.ErrNoLayers}
	}
	var maxW, params uint64 // widest layer output; f32 values in the data segment
	params = 2 * uint64(len(m.Mean))
	for i, l := range m.Layers {
		if l.Tag != finf.TagLinear {
			continue
		}
		if l.In < 1 || l.Out < 1 {
			return nil, &finf.ModelError{Layer: i, Msg: fmt.Sprintf("linear %dx%d: widths must be at least 1", l.In, l.Out), Err: finf.ErrWidth}
		}
		if uint64(l.In) > MaxMemory || uint64(l.Out) > MaxMemory {
			return nil, fmt.Errorf("%w: layer %d is linear %dx%d, wider than %d", ErrTooLarge, i, l.In, l.Out, uint64(MaxMemory))
		}
		maxW = max(maxW, uint64(l.Out))
		params += (uint64(l.In) + 1) * uint64(l.Out) // < 2**63: both factors are at most 2**31+1
		if params > MaxMemory/4 {
			return nil, fmt.Errorf("%w: layer %d (linear %dx%d) brings the data segment to %d f32 values, more than %d bytes hold", ErrTooLarge, i, l.In, l.Out, params, uint64(MaxMemory))
		}
	}
	in := m.InWidth()
	if in == 0 {
		return nil, &finf.ModelError{Layer: -1, Msg: fmt.Sprintf("none of the %d layers is linear, so the model has no width", len(m.Layers)), Err: finf.ErrNoLinear}
	}
	maxW = max(maxW, uint64(in))
	lay := &layout{inWidth: in, outWidth: m.OutWidth(), w: make([]uint32, len(m.Layers)), b: make([]uint32, len(m.Layers))}
	// maxW <= MaxMemory and params <= MaxMemory/4 here: no overflow.
	size := 4 * (uint64(in) + 2*maxW + params)
	if size > MaxMemory {
		return nil, fmt.Errorf("%w: it needs %d bytes of linear memory, more than %d", ErrTooLarge, size, uint64(MaxMemory))
	}
	lay.size = size
	lay.bufA = uint32(4 * in)
	lay.bufB = lay.bufA + uint32(4*maxW)
	lay.data = lay.bufB + uint32(4*maxW)
	at := lay.data
	if len(m.Mean) > 0 {
		lay.mean, lay.std = at, at+uint32(4*len(m.Mean))
		at = lay.std + uint32(4*len(m.Mean))
	}
	for i, l := range m.Layers {
		if l.Tag != finf.TagLinear {
			continue
		}
		lay.w[i] = at
		lay.b[i] = at + uint32(4*l.In*l.Out)
		at = lay.b[i] + uint32(4*l.Out)
	}
	return lay, nil
}

// Function indices: predict first, the helpers after it in the order they
// are first needed.
type builder struct {
	funcs []function
	index map[string]uint32 // helper name -> function index
}

// need returns the index of the helper called name, building it with gen
// the first time. gen may itself call need.
func (b *builder) need(name string, gen func() function) uint32 {
	if idx, ok := b.index[name]; ok {
		return idx
	}
	idx := uint32(len(b.funcs))
	b.index[name] = idx
	b.funcs = append(b.funcs, function{})
	b.funcs[idx] = gen()
	return idx
}

func (b *builder) exp() uint32 { return b.need("exp", expFunc) }

func (b *builder) tanh() uint32 {
	return b.need("tanh", func() function { return tanhFunc(b.exp()) })
}

// activation returns the index of the row function for kind a; a is not
// Identity, which needs no code.
func (b *builder) activation(a finf.Activation) uint32 {
	switch a {
	case finf.ReLU:
		return b.need("relu", reluFunc)
	case finf.Sigmoid:
		return b.need("sigmoid", func() function { return sigmoidFunc(b.exp()) })
	case finf.Tanh:
		return b.need("tanh32", func() function { return tanhActFunc(b.tanh()) })
	case finf.Softmax:
		return b.need("softmax", func() function { return softmaxFunc(b.exp()) })
	}
	panic("wasmgen: activation without a row function") // Compile validated the kinds
}

// build returns the module for the valid model m laid out as lay.
//
// predict walks the layers with a current buffer: the input, then A or B.
// A Linear layer writes to whichever of A and B is not current; an
// activation works in place, except on the input itself, which it maps into
// A so that predict never changes the caller's input. Identity emits
// nothing. The output is the current buffer after the last layer, which is
// always A or B since every model has a Linear layer.
func build(m *finf.Model, lay *layout) *module {
	b := &builder{funcs: []function{{}}, index: map[string]uint32{}}
	var c code
	cur, width := uint32(0), lay.inWidth
	if len(m.Mean) > 0 {
		normalise(&c, 0, lay.bufA, lay.mean, lay.std, lay.inWidth)
		cur = lay.bufA
	}
	for i, l := range m.Layers {
		if l.Tag == finf.TagLinear {
			dst := lay.bufA
			if cur == lay.bufA {
				dst = lay.bufB
			}
			for _, v := range []uint32{cur, dst, lay.w[i], lay.b[i], uint32(l.In), uint32(l.Out)} {
				c.i32Const(int32(v))
			}
			c.call(b.need("linear", linearFunc))
			cur, width = dst, l.Out
			continue
		}
		if l.Act == finf.Identity {
			continue
		}
		dst := cur
		if cur == 0 {
			dst = lay.bufA
		}
		for _, v := range []uint32{cur, dst, uint32(width)} {
			c.i32Const(int32(v))
		}
		c.call(b.activation(l.Act))
		cur = dst
	}
	c.op(opEnd)
	b.funcs[0] = function{typ: funcType{}, body: c.b}
	if len(m.Mean) > 0 {
		b.funcs[0].locals = []byte{i32} // normalise's k
	}

	data := make([]byte, 0, lay.size-uint64(lay.data))
	data = appendFloats(data, m.Mean)
	data = appendFloats(data, m.Std)
	for _, l := range m.Layers {
		data = appendFloats(data, l.W)
		data = appendFloats(data, l.B)
	}
	return &module{
		funcs:   b.funcs,
		pages:   uint32(max(1, (lay.size+pageSize-1)/pageSize)),
		globals: []int32{0, int32(cur), int32(lay.inWidth), int32(lay.outWidth)},
		exports: []export{
			{ExportMemory, exportMemory, 0},
			{ExportPredict, exportFunc, 0},
			{ExportInputPtr, exportGlobal, 0},
			{ExportOutputPtr, exportGlobal, 1},
			{ExportInputWidth, exportGlobal, 2},
			{ExportOutputWidth, exportGlobal, 3},
		},
		dataOffset: lay.data,
		data:       data,
	}
}

// normalise appends predict's first loop, nn's transformRow for n >= 1
// features, with local 0 as the byte offset k:
//
//	z[k] = (x[k] - mean[k]) / std[k]   in f32
func normalise(c *code, x, z, mean, std uint32, n int) {
	const k = 0
	c.loop(blockVoid)
	c.get(k)
	c.get(k)
	c.f32Load(x)
	c.get(k)
	c.f32Load(mean)
	c.op(opF32Sub)
	c.get(k)
	c.f32Load(std)
	c.op(opF32Div)
	c.f32Store(z)
	c.get(k)
	c.i32Const(4)
	c.op(opI32Add)
	c.tee(k)
	c.i32Const(int32(4 * n))
	c.op(opI32Ne)
	c.brIf(0)
	c.op(opEnd)
}

// appendFloats appends v as little-endian IEEE binary32 values.
func appendFloats(dst []byte, v []float32) []byte {
	for _, x := range v {
		dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(x))
	}
	return dst
}

// inf returns +Inf.
func inf() float64 { return math.Inf(1) }
