//go:build js && wasm

package main

import (
	"math"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
)

// These tests run the engine's JavaScript entry points under Node
// (GOOS=js GOARCH=wasm go test -exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec).

func bytesJS(b []byte) js.Value {
	a := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(a, b)
	return a
}

func testModel(t *testing.T) ([]byte, *nn.Predictor[float32]) {
	t.Helper()
	s, err := nn.NewMLP[float32]([]int{4, 5, 3}, nn.ReLU, rng.New(3))
	require.NoError(t, err)
	norm := &nn.Normalizer[float32]{Mean: []float32{5, 3, 4, 1}, Std: []float32{0.5, 0.25, 2, 1}}
	b, err := finf.Marshal(nn.ToFINF(s, norm))
	require.NoError(t, err)
	p, err := nn.NewPredictor(s, norm)
	require.NoError(t, err)
	return b, p
}

func TestLoadAndPredictBits(t *testing.T) {
	file, native := testModel(t)
	m := load(js.Undefined(), []js.Value{bytesJS(file)}).(js.Value)
	require.True(t, m.Get("error").IsUndefined(), "load: %v", m.Get("error"))
	assert.Equal(t, 4, m.Get("inWidth").Int())
	assert.Equal(t, 3, m.Get("outWidth").Int())

	x := []float32{5.1, 3.5, 1.4, 0.2}
	xb := make([]byte, 16)
	for i, v := range x {
		u := math.Float32bits(v)
		xb[4*i], xb[4*i+1], xb[4*i+2], xb[4*i+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
	}
	y := js.Global().Get("Uint8Array").New(12)
	res := m.Call("predict", bytesJS(xb), y)
	require.True(t, res.IsNull() || res.IsUndefined(), "predict: %v", res)
	yb := make([]byte, 12)
	js.CopyBytesToGo(yb, y)
	want := native.Predict(x)
	for j := range want {
		got := uint32(yb[4*j]) | uint32(yb[4*j+1])<<8 | uint32(yb[4*j+2])<<16 | uint32(yb[4*j+3])<<24
		assert.Equal(t, math.Float32bits(want[j]), got, "output %d", j)
	}
}

// TestPredictRefusesOtherArrays: a Float32Array of the right byte length
// (or any object with a byteLength) is refused with a message; it used to
// panic in js.CopyBytesToGo and end the Go program.
func TestPredictRefusesOtherArrays(t *testing.T) {
	file, _ := testModel(t)
	m := load(js.Undefined(), []js.Value{bytesJS(file)}).(js.Value)
	require.True(t, m.Get("error").IsUndefined())
	y := js.Global().Get("Uint8Array").New(12)
	fake := js.Global().Get("Object").New()
	fake.Set("byteLength", 16)
	for name, x := range map[string]js.Value{
		"Float32Array":  js.Global().Get("Float32Array").New(4),
		"byteLength":    fake,
		"short":         js.Global().Get("Uint8Array").New(15),
		"not an object": js.ValueOf(7),
	} {
		res := m.Call("predict", x, y)
		assert.Equal(t, "predict expects Uint8Arrays of 16 and 12 bytes", res.String(), name)
	}
	// The engine is still alive.
	again := load(js.Undefined(), []js.Value{bytesJS(file)}).(js.Value)
	assert.True(t, again.Get("error").IsUndefined())
}

func TestLoadCorruptFile(t *testing.T) {
	file, _ := testModel(t)
	for name, b := range map[string][]byte{"truncated": file[:len(file)-3], "not FINF": []byte("hello, world")} {
		m := load(js.Undefined(), []js.Value{bytesJS(b)}).(js.Value)
		assert.False(t, m.Get("error").IsUndefined(), name)
		assert.Contains(t, m.Get("error").String(), "finf: offset", name)
	}
	m := load(js.Undefined(), []js.Value{js.ValueOf("model.finf")}).(js.Value)
	assert.Equal(t, "load expects the model file as a Uint8Array", m.Get("error").String())
}
