//go:build js && wasm

// Command wasm is the engine compiled to WebAssembly (GOOS=js GOARCH=wasm)
// for the browser site. It runs the same Go code as the native pipeline: the
// FINF reader in finf/ and the forward pass in nn/.
//
// Started with wasm_exec.js's go.run, it sets one global and then waits for
// calls from JavaScript:
//
//	globalThis.ferrumEngine.load(bytes Uint8Array) -> model | {error: string}
//
// where model is
//
//	{
//	  inWidth, outWidth, params: number,
//	  layers: object[],            // {kind: "linear", in, out} or {kind: "relu"}, ...
//	  mean, std: number[],         // the embedded normaliser (empty if none)
//	  predict(x Uint8Array, y Uint8Array) -> undefined | string,
//	  release(),
//	}
//
// predict reads inWidth float32 values (little-endian bytes, a Uint8Array
// view of a Float32Array) from x, normalises them with the model's own
// normaliser, runs the network and writes outWidth float32 values into y. It
// returns an error message instead of panicking when the arguments have the
// wrong size. load never panics on a corrupt file: it returns {error}. The
// JavaScript wrapper in the site's engine.js turns these into the page's
// back-end interface {inWidth, outWidth, predict(Float32Array)}.
//
// The program avoids fmt and other heavy packages of its own to keep the
// binary small; build it with
//
//	GOOS=js GOARCH=wasm go build -trimpath -buildvcs=false -ldflags="-s -w" ./web/wasm
package main

import (
	"math"
	"strconv"
	"syscall/js"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
)

func main() {
	engine := js.Global().Get("Object").New()
	engine.Set("load", js.FuncOf(load))
	js.Global().Set("ferrumEngine", engine)
	select {} // serve calls from JavaScript until the page goes away
}

// load is ferrumEngine.load: args[0] is the model file as a Uint8Array.
func load(_ js.Value, args []js.Value) (result any) {
	defer func() {
		// The reader and engine return errors for bad input; this only turns
		// a bug into a message on the page instead of a dead engine.
		if r := recover(); r != nil {
			result = errorValue("internal error while loading the model")
		}
	}()
	if len(args) != 1 || args[0].Type() != js.TypeObject || args[0].Get("byteLength").Type() != js.TypeNumber {
		return errorValue("load expects the model file as a Uint8Array")
	}
	b := make([]byte, args[0].Get("byteLength").Int())
	if js.CopyBytesToGo(b, args[0]) != len(b) {
		return errorValue("load expects the model file as a Uint8Array")
	}
	m, err := finf.Read(b)
	if err != nil {
		return errorValue(err.Error())
	}
	s, n, err := nn.FromFINF(m)
	if err != nil {
		return errorValue("no usable network: " + err.Error())
	}
	p, err := nn.NewPredictor(s, n)
	if err != nil {
		return errorValue("no usable network: " + err.Error())
	}
	return newModel(m, s, p).value()
}

func errorValue(msg string) js.Value {
	o := js.Global().Get("Object").New()
	o.Set("error", msg)
	return o
}

// model is one loaded network with its byte buffers for predict.
type model struct {
	in, out int
	info    js.Value
	pred    *nn.Predictor[float32]
	x       []float32
	xb, yb  []byte
	funcs   []js.Func
}

func newModel(m *finf.Model, s *nn.Sequential[float32], p *nn.Predictor[float32]) *model {
	md := &model{in: s.InWidth(), out: s.OutWidth(), pred: p}
	md.x = make([]float32, md.in)
	md.xb = make([]byte, 4*md.in)
	md.yb = make([]byte, 4*md.out)

	layers := make([]any, len(m.Layers))
	for i, l := range m.Layers {
		if l.Tag == finf.TagLinear {
			layers[i] = map[string]any{"kind": "linear", "in": l.In, "out": l.Out}
		} else {
			layers[i] = map[string]any{"kind": nn.Activation(l.Act).String()}
		}
	}
	o := js.Global().Get("Object").New()
	o.Set("inWidth", md.in)
	o.Set("outWidth", md.out)
	o.Set("params", s.ParamCount())
	o.Set("layers", js.ValueOf(layers))
	o.Set("mean", floats(m.Mean))
	o.Set("std", floats(m.Std))
	md.info = o
	return md
}

func floats(v []float32) js.Value {
	a := make([]any, len(v))
	for i, f := range v {
		a[i] = float64(f)
	}
	return js.ValueOf(a)
}

func (md *model) value() js.Value {
	predict := js.FuncOf(md.predict)
	var release js.Func
	release = js.FuncOf(func(js.Value, []js.Value) any {
		predict.Release()
		release.Release()
		return nil
	})
	md.info.Set("predict", predict)
	md.info.Set("release", release)
	return md.info
}

// predict is model.predict(x, y): x holds the input's float32 bytes, y
// receives the output's.
func (md *model) predict(_ js.Value, args []js.Value) any {
	// Anything but two Uint8Arrays of the right lengths is refused here:
	// js.CopyBytesToGo panics on any other object (a Float32Array of the
	// right byteLength included), and a panic would end the Go program and
	// with it every model on the page.
	if len(args) != 2 || !isBytes(args[0], len(md.xb)) || !isBytes(args[1], len(md.yb)) {
		return "predict expects Uint8Arrays of " + strconv.Itoa(len(md.xb)) + " and " + strconv.Itoa(len(md.yb)) + " bytes"
	}
	js.CopyBytesToGo(md.xb, args[0])
	for i := range md.x {
		b := md.xb[4*i:]
		md.x[i] = math.Float32frombits(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
	}
	y := md.pred.Predict(md.x)
	for j, v := range y {
		u := math.Float32bits(v)
		b := md.yb[4*j:]
		b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
	}
	js.CopyBytesToJS(args[1], md.yb)
	return nil
}

// isBytes reports whether v is a Uint8Array of n bytes.
func isBytes(v js.Value, n int) bool {
	return v.Type() == js.TypeObject && v.InstanceOf(js.Global().Get("Uint8Array")) && v.Get("byteLength").Int() == n
}
