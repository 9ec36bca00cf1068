package finf

import (
	"encoding/binary"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden and seed files in testdata/")

// refNormText is the reference model's normaliser as FINF text; the values
// are the Iris features' means and population stds as binary32.
const refNormText = "5.8433332,0.8253013;3.0573332,0.43441096;3.758,1.7594041;1.1993333,0.75969714"

// refSize is the reference 4-32-3 model's exact encoded size: 16 bytes of
// header and counts, the normaliser text, 22 bytes of layer headers and 259
// floats (1,036 bytes).
const refSize = 16 + len(refNormText) + 22 + 4*259

// Byte offsets of fields in the reference file.
const (
	offCount  = 12 + len(refNormText) // u32 L
	offL0     = offCount + 4          // layer 0 tag (Linear 4x32)
	offL0In   = offL0 + 1
	offL0Out  = offL0 + 5
	offL0W    = offL0 + 9
	offL0B    = offL0W + 4*4*32
	offL1     = offL0B + 4*32 // layer 1 tag (ReLU)
	offL2     = offL1 + 2     // layer 2 tag (Linear 32x3)
	offL2In   = offL2 + 1
	offL2W    = offL2 + 9
	offL2B    = offL2W + 4*32*3
	offL3     = offL2B + 4*3 // layer 3 tag (Softmax)
	offL3Kind = offL3 + 1
	offEnd    = offL3 + 2
)

// testRand is a xorshift64* generator, kept local so the reference model
// does not depend on another package.
type testRand uint64

// next returns a float32 in [-0.5, 0.5).
func (r *testRand) next() float32 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = testRand(x)
	return float32((x*0x2545F4914F6CDD1D)>>40)*0x1p-24 - 0.5
}

// refModel returns the reference 4 -> 32 (ReLU) -> 3 (Softmax) classifier
// with the Iris normaliser.
func refModel() *Model {
	r := testRand(0x9E3779B97F4A7C15)
	floats := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = r.next()
		}
		return v
	}
	return &Model{
		Mean: []float32{5.8433332, 3.0573332, 3.758, 1.1993333},
		Std:  []float32{0.8253013, 0.43441096, 1.7594041, 0.75969714},
		Layers: []Layer{
			{Tag: TagLinear, In: 4, Out: 32, W: floats(4 * 32), B: floats(32)},
			{Tag: TagActivation, Act: ReLU},
			{Tag: TagLinear, In: 32, Out: 3, W: floats(32 * 3), B: floats(3)},
			{Tag: TagActivation, Act: Softmax},
		},
	}
}

// bits returns the bit patterns of v, so float comparisons are exact.
func bits(v []float32) []uint32 {
	if v == nil {
		return nil
	}
	out := make([]uint32, len(v))
	for i, x := range v {
		out[i] = math.Float32bits(x)
	}
	return out
}

// assertSameModel checks that got equals want bit for bit.
func assertSameModel(t *testing.T, want, got *Model) {
	t.Helper()
	assert.Equal(t, bits(want.Mean), bits(got.Mean), "mean")
	assert.Equal(t, bits(want.Std), bits(got.Std), "std")
	require.Len(t, got.Layers, len(want.Layers))
	for i := range want.Layers {
		w, g := want.Layers[i], got.Layers[i]
		assert.Equal(t, w.Tag, g.Tag, "layer %d tag", i)
		assert.Equal(t, w.In, g.In, "layer %d in", i)
		assert.Equal(t, w.Out, g.Out, "layer %d out", i)
		assert.Equal(t, w.Act, g.Act, "layer %d act", i)
		assert.Equal(t, bits(w.W), bits(g.W), "layer %d W", i)
		assert.Equal(t, bits(w.B), bits(g.B), "layer %d B", i)
	}
}

// Helpers that build raw files, so each test states its bytes.

func u32le(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// file returns a FINF v2 file with normaliser text norm and the given
// layer records.
func file(norm string, layers ...[]byte) []byte {
	b := []byte("FINF")
	b = append(b, u32le(2)...)
	b = append(b, u32le(uint32(len(norm)))...)
	b = append(b, norm...)
	b = append(b, u32le(uint32(len(layers)))...)
	for _, l := range layers {
		b = append(b, l...)
	}
	return b
}

// linear returns a Linear record with in*out weights and out biases, all
// set to fill.
func linear(in, out uint32, fill float32) []byte {
	b := []byte{0}
	b = append(b, u32le(in)...)
	b = append(b, u32le(out)...)
	for range in*out + out {
		b = append(b, u32le(math.Float32bits(fill))...)
	}
	return b
}

// act returns an Activation record.
func act(kind Activation) []byte { return []byte{1, byte(kind)} }

// with returns a copy of b with the bytes at off replaced by v.
func with(b []byte, off int, v ...byte) []byte {
	c := append([]byte(nil), b...)
	copy(c[off:], v)
	return c
}

// withF32 returns a copy of b with the float at off replaced by x.
func withF32(b []byte, off int, x float32) []byte {
	return with(b, off, u32le(math.Float32bits(x))...)
}

func readGolden(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ref_4_32_3.finf"))
	require.NoError(t, err)
	return b
}

func TestReferenceRoundTrip(t *testing.T) {
	m := refModel()
	b, err := Marshal(m)
	require.NoError(t, err)

	// FINF.md: "about 80 to 90 bytes of normaliser text: about 1.16 KB in all".
	assert.Equal(t, 1151, refSize, "reference size in bytes")
	assert.Equal(t, refSize, len(b))
	assert.InDelta(t, 1160, len(b), 30, "the spec's ~1.16 KB")
	assert.Equal(t, refNormText, string(b[12:12+len(refNormText)]))
	assert.Equal(t, uint32(len(refNormText)), binary.LittleEndian.Uint32(b[8:]))

	got, err := Read(b)
	require.NoError(t, err)
	assertSameModel(t, m, got)
	assert.Equal(t, 4, got.InWidth())
	assert.Equal(t, 3, got.OutWidth())

	again, err := Marshal(got)
	require.NoError(t, err)
	assert.Equal(t, b, again)
}

// TestGolden pins the reference file and the fuzz seeds byte for byte.
// Run with -update to rewrite them, then review the diff.
func TestGolden(t *testing.T) {
	ref, err := Marshal(refModel())
	require.NoError(t, err)
	seeds := seedFiles(ref)
	if *update {
		for name, b := range seeds {
			require.NoError(t, os.WriteFile(filepath.Join("testdata", name), b, 0o644))
		}
	}
	for name, want := range seeds {
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join("testdata", name))
			require.NoError(t, err, "run go test ./finf -run TestGolden -update")
			assert.Equal(t, want, got)
		})
	}
}

// seedFiles returns the files in testdata/: the reference file and a few
// broken variants that seed FuzzRead.
func seedFiles(ref []byte) map[string][]byte {
	return map[string][]byte{
		"ref_4_32_3.finf":          ref,
		"no_normaliser.finf":       file("", act(Tanh), linear(2, 1, 0.25), act(Sigmoid)),
		"truncated.finf":           ref[:offL2W+7],
		"oversized_count.finf":     append(file("", []byte{0}), append(u32le(65536), append(u32le(65536), make([]byte, 1000)...)...)...)[:1024],
		"oversized_layers.finf":    with(ref, offCount, 0xff, 0xff, 0xff, 0xff),
		"wrong_version.finf":       with(ref, 4, 3),
		"trailing.finf":            append(append([]byte(nil), ref...), 0),
		"nan_weight.finf":          withF32(ref, offL2W+4*5, float32(math.NaN())),
		"noncanonical_normal.finf": file("5.0,1", linear(1, 1, 1)),
		"width_mismatch.finf":      with(ref, offL2In, 31),
	}
}

func TestSeedFiles(t *testing.T) {
	tests := []struct {
		name   string
		want   error
		offset int
	}{
		{"ref_4_32_3.finf", nil, 0},
		{"no_normaliser.finf", nil, 0},
		{"truncated.finf", ErrTruncated, offL2In},
		{"oversized_count.finf", ErrTruncated, 17},
		{"oversized_layers.finf", ErrTruncated, offCount},
		{"wrong_version.finf", ErrVersion, 4},
		{"trailing.finf", ErrTrailing, offEnd},
		{"nan_weight.finf", ErrNonFinite, offL2W + 4*5},
		{"noncanonical_normal.finf", ErrNormaliser, 12},
		{"width_mismatch.finf", ErrWidth, offL2In},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.name))
			require.NoError(t, err)
			m, err := Read(b)
			if tc.want == nil {
				require.NoError(t, err)
				out, err := Marshal(m)
				require.NoError(t, err)
				assert.Equal(t, b, out)
				return
			}
			assert.Nil(t, m)
			assert.ErrorIs(t, err, tc.want)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.offset, fe.Offset)
		})
	}
}

func TestGoldenPrefixes(t *testing.T) {
	b := readGolden(t)
	for n := range len(b) {
		m, err := Read(b[:n])
		require.Error(t, err, "prefix of %d bytes", n)
		assert.Nil(t, m)
		assert.ErrorIs(t, err, ErrTruncated, "prefix of %d bytes", n)
		var fe *FormatError
		require.ErrorAs(t, err, &fe)
		assert.LessOrEqual(t, fe.Offset, n, "prefix of %d bytes", n)
	}
}

func TestReadErrors(t *testing.T) {
	ref := readGolden(t)
	tests := []struct {
		name   string
		b      []byte
		want   error
		offset int
		msg    string
	}{
		{"empty", nil, ErrTruncated, 0, "magic needs 4 bytes, 0 remain"},
		{"bad magic", with(ref, 0, 'F', 'I', 'N', 'X'), ErrMagic, 0, `magic "FINX", want "FINF"`},
		{"version 1", with(ref, 4, 1), ErrVersion, 4, "unsupported version 1"},
		{"version 3", with(ref, 4, 3), ErrVersion, 4, "unsupported version 3"},
		{"version 2^32-1", with(ref, 4, 0xff, 0xff, 0xff, 0xff), ErrVersion, 4, "unsupported version 4294967295"},
		{"normaliser length past end", with(ref, 8, 0xff, 0xff, 0xff, 0xff), ErrTruncated, 8,
			"normaliser text needs 4294967295 bytes"},
		{"layer count 0", file("", nil...), ErrNoLayers, 12, "layer count is 0"},
		{"layer count past end", with(ref, offCount, 0xff, 0xff, 0xff, 0xff), ErrTruncated, offCount,
			"layer count 4294967295 needs at least 8589934590 bytes"},
		{"4 billion weights in 1 KB", append(file("", linear(1, 1, 0)[:1]), append(u32le(65536), u32le(65536)...)...),
			ErrTruncated, 17, "needs 4295032832 floats"},
		{"in*out*4 overflows 64 bits", append(file("", linear(1, 1, 0)[:1]), append(u32le(0xffffffff), u32le(0xffffffff)...)...),
			ErrTruncated, 17, "needs 18446744069414584320 floats"},
		{"unknown tag", with(ref, offL1, 2), ErrUnknownTag, offL1, "layer 1: unknown tag 2"},
		{"unknown activation", with(ref, offL3Kind, 5), ErrUnknownActivation, offL3Kind, "layer 3: unknown activation kind 5"},
		{"activation kind 255", file("", linear(1, 1, 0), act(255)), ErrUnknownActivation, 12 + 4 + 17 + 1,
			"unknown activation kind 255"},
		{"in 0", file("", linear(0, 1, 0)), ErrWidth, 17, "layer 0 (linear): in is 0"},
		{"out 0", file("", linear(1, 0, 0)), ErrWidth, 21, "layer 0 (linear): out is 0"},
		{"in differs from previous out", with(ref, offL2In, 33), ErrWidth, offL2In,
			"layer 2 (linear 33x3): in 33 differs from the width 32 that reaches it"},
		{"in differs from normaliser", with(ref, offL0In, 5), ErrWidth, offL0In,
			"layer 0 (linear 5x32): in 5 differs from the normaliser's 4 pairs"},
		{"normaliser pairs differ after activation", file("1,2;3,4", act(Tanh), linear(3, 1, 0)), ErrWidth, 12 + 7 + 4 + 2 + 1,
			"in 3 differs from the normaliser's 2 pairs"},
		{"NaN weight", withF32(ref, offL0W+4*(2*32+7), float32(math.NaN())), ErrNonFinite, offL0W + 4*(2*32+7),
			"layer 0 (linear 4x32): weight W[2][7] is NaN"},
		{"+Inf weight", withF32(ref, offL2W, float32(math.Inf(1))), ErrNonFinite, offL2W,
			"layer 2 (linear 32x3): weight W[0][0] is +Inf"},
		{"-Inf bias", withF32(ref, offL2B+8, float32(math.Inf(-1))), ErrNonFinite, offL2B + 8,
			"layer 2 (linear 32x3): bias b[2] is -Inf"},
		{"NaN bias with payload", with(ref, offL0B, 0x01, 0x00, 0x80, 0xff), ErrNonFinite, offL0B,
			"layer 0 (linear 4x32): bias b[0] is NaN"},
		{"only activations", file("", act(ReLU), act(Softmax)), ErrNoLinear, 12,
			"none of the 2 layers is linear"},
		{"one trailing byte", append(append([]byte(nil), ref...), 0), ErrTrailing, offEnd, "1 bytes after the last layer"},
		{"a whole second model", append(append([]byte(nil), ref...), ref...), ErrTrailing, offEnd, "bytes after the last layer"},
		{"truncated tag", file("", linear(1, 1, 0), nil)[:12+4+17], ErrTruncated, 33, "layer 1 tag needs 1 bytes, 0 remain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(tc.b)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, tc.want)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.offset, fe.Offset)
			assert.Contains(t, err.Error(), tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "finf: offset "), err.Error())
		})
	}
}

// TestReadOversizedAllocatesNothingLarge checks that a header claiming
// billions of weights is rejected before any allocation of that size.
func TestReadOversizedAllocatesNothingLarge(t *testing.T) {
	b := append(file("", linear(1, 1, 0)[:1]), append(u32le(65536), u32le(65535)...)...)
	b = append(b, make([]byte, 1024-len(b))...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Read(b)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrTruncated)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "bytes allocated")
}

func TestNormaliserText(t *testing.T) {
	tests := []struct {
		text   string
		want   error // nil: accepted
		offset int   // within the text
		msg    string
	}{
		{text: "0,1"},
		{text: "-0,1"},
		{text: "1e-45,1e-45"},
		{text: "3.4028235e+38,3.4028235e+38"},
		{text: "-1.1754944e-38,0.1"},
		{text: "1e+06,1"},
		{"5.0,1", ErrNormaliser, 0, `mean 0 "5.0" is not canonical, want "5"`},
		{"+1,1", ErrNormaliser, 0, `want "1"`},
		{" 1,1", ErrNormaliser, 0, "is not a number"},
		{"1, 1", ErrNormaliser, 2, "std 0 \" 1\" is not a number"},
		{"1e0,1", ErrNormaliser, 0, `want "1"`},
		{"1000000,1", ErrNormaliser, 0, `want "1e+06"`},
		{"0.1,1", nil, 0, ""},
		{"0.10000001,1", nil, 0, ""}, // the next binary32 after 0.1
		{"0.100000001,1", ErrNormaliser, 0, `want "0.1"`},
		{"0x1p-2,1", ErrNormaliser, 0, `want "0.25"`},
		{"NaN,1", ErrNormaliser, 0, "is not finite"},
		{"1,+Inf", ErrNormaliser, 2, "is not finite"},
		{"1,inf", ErrNormaliser, 2, "is not finite"},
		{"1e39,1", ErrNormaliser, 0, "is not finite"},
		{"1e-50,1", ErrNormaliser, 0, `want "0"`},
		{"1,0", ErrNormaliser, 2, "is not greater than zero"},
		{"1,-0", ErrNormaliser, 2, "is not greater than zero"},
		{"1,-2", ErrNormaliser, 2, "is not greater than zero"},
		{"1,1;", ErrNormaliser, 4, "pair 1 is empty"},
		{";1,1", ErrNormaliser, 0, "pair 0 is empty"},
		{"1,1;;1,1", ErrNormaliser, 4, "pair 1 is empty"},
		{"1,1;2", ErrNormaliser, 4, `pair 1 "2" has no ','`},
		{"1,1,1", ErrNormaliser, 3, "more than one ','"},
		{",1", ErrNormaliser, 0, "mean 0 \"\" is empty"},
		{"1,", ErrNormaliser, 2, "std 0 \"\" is empty"},
		{"1,1 ", ErrNormaliser, 2, "is not a number"},
		{"1,1\x00", ErrNormaliser, 2, "is not a number"},
		{"1_0,1", ErrNormaliser, 0, `want "10"`},
		{"1,\xff", ErrNormaliser, 2, "is not a number"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			pairs := strings.Count(tc.text, ";") + 1
			b := file(tc.text, linear(uint32(pairs), 1, 0.5))
			m, err := Read(b)
			if tc.want == nil {
				require.NoError(t, err)
				out, err := Marshal(m)
				require.NoError(t, err)
				assert.Equal(t, b, out)
				return
			}
			assert.ErrorIs(t, err, tc.want)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, 12+tc.offset, fe.Offset)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestReadValidShapes(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		in   int
		out  int
	}{
		{"single linear, no normaliser", file("", linear(1, 1, 2)), 1, 1},
		{"activations before the first linear", file("0,1;0,1", act(Identity), act(Tanh), linear(2, 3, -1)), 2, 3},
		{"every activation kind", file("", linear(3, 2, 0), act(ReLU), act(Sigmoid), act(Tanh), act(Softmax), act(Identity)), 3, 2},
		{"linear chain", file("", linear(2, 5, 1), linear(5, 1, 0)), 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read(tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.in, m.InWidth())
			assert.Equal(t, tc.out, m.OutWidth())
			out, err := Marshal(m)
			require.NoError(t, err)
			assert.Equal(t, tc.b, out)
		})
	}
}

func TestReadNoNormaliserGivesNil(t *testing.T) {
	m, err := Read(file("", linear(1, 2, 0.5)))
	require.NoError(t, err)
	assert.Nil(t, m.Mean)
	assert.Nil(t, m.Std)
	assert.Equal(t, []Layer{{Tag: TagLinear, In: 1, Out: 2, W: []float32{0.5, 0.5}, B: []float32{0.5, 0.5}}}, m.Layers)
}

func TestAppendErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(m *Model)
		want  error
		layer int
		msg   string
	}{
		{"no layers", func(m *Model) { m.Layers = nil }, ErrNoLayers, -1, "model has no layers"},
		{"only activations", func(m *Model) { m.Layers = m.Layers[3:] }, ErrNoLinear, -1, "none of the 1 layers is linear"},
		{"means and stds differ", func(m *Model) { m.Std = m.Std[:3] }, ErrNormaliser, -1, "4 means and 3 stds"},
		{"NaN mean", func(m *Model) { m.Mean[1] = float32(math.NaN()) }, ErrNormaliser, -1, "mean 1 (NaN) is not finite"},
		{"zero std", func(m *Model) { m.Std[2] = 0 }, ErrNormaliser, -1, "std 2 (0) is not greater than zero"},
		{"Inf std", func(m *Model) { m.Std[0] = float32(math.Inf(1)) }, ErrNormaliser, -1, "std 0 (+Inf) is not finite"},
		{"pairs differ from first in", func(m *Model) { m.Mean, m.Std = m.Mean[:3], m.Std[:3] }, ErrWidth, 0,
			"in 4 differs from the normaliser's 3 pairs"},
		{"chain broken", func(m *Model) {
			m.Layers[2] = Layer{Tag: TagLinear, In: 31, Out: 3, W: make([]float32, 93), B: make([]float32, 3)}
		}, ErrWidth, 2, "in 31 differs from the width 32 that reaches it"},
		{"W length", func(m *Model) { m.Layers[0].W = m.Layers[0].W[:127] }, ErrWidth, 0, "W has 127 values, want 128"},
		{"B length", func(m *Model) { m.Layers[2].B = nil }, ErrWidth, 2, "B has 0 values, want 3"},
		{"zero in", func(m *Model) { m.Layers[0].In = 0 }, ErrWidth, 0, "widths must be at least 1"},
		{"negative out", func(m *Model) { m.Layers[2].Out = -3 }, ErrWidth, 2, "widths must be at least 1"},
		{"NaN weight", func(m *Model) { m.Layers[2].W[3*3+1] = float32(math.NaN()) }, ErrNonFinite, 2, "weight W[3][1] is NaN"},
		{"Inf bias", func(m *Model) { m.Layers[0].B[31] = float32(math.Inf(-1)) }, ErrNonFinite, 0, "bias b[31] is -Inf"},
		{"unknown tag", func(m *Model) { m.Layers[1].Tag = 7 }, ErrUnknownTag, 1, "unknown tag 7"},
		{"unknown activation", func(m *Model) { m.Layers[3].Act = 5 }, ErrUnknownActivation, 3, "unknown activation kind 5"},
		{"activation with weights", func(m *Model) { m.Layers[1].W = []float32{1} }, ErrUnusedField, 1, "activation layer has linear fields set"},
		{"activation with width", func(m *Model) { m.Layers[1].In = 32 }, ErrUnusedField, 1, "activation layer has linear fields set"},
		{"linear with activation kind", func(m *Model) { m.Layers[0].Act = Tanh }, ErrUnusedField, 0, "activation kind 2 set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := refModel()
			tc.edit(m)
			dst := []byte("keep")
			out, err := Append(dst, m)
			require.Error(t, err)
			assert.Equal(t, []byte("keep"), out, "dst unchanged")
			assert.ErrorIs(t, err, tc.want)
			var me *ModelError
			require.ErrorAs(t, err, &me)
			assert.Equal(t, tc.layer, me.Layer)
			assert.Contains(t, err.Error(), tc.msg)

			b, err := Marshal(m)
			assert.Nil(t, b)
			assert.ErrorIs(t, err, tc.want)
		})
	}
}

func TestMarshalNil(t *testing.T) {
	b, err := Marshal(nil)
	assert.Nil(t, b)
	assert.ErrorIs(t, err, ErrNoLayers)
	assert.EqualError(t, err, "finf: invalid model: model is nil")
}

func TestAppendExtendsDst(t *testing.T) {
	m := refModel()
	want, err := Marshal(m)
	require.NoError(t, err)
	got, err := Append([]byte("prefix"), m)
	require.NoError(t, err)
	assert.Equal(t, append([]byte("prefix"), want...), got)
}

func TestMarshalCapacityIsEnough(t *testing.T) {
	// The longest shortest-form binary32 texts, to check maxPairText.
	m := &Model{
		Mean:   []float32{-1.1754944e-38, -3.4028235e+38},
		Std:    []float32{1.1754942e-38, 1.4e-45},
		Layers: []Layer{{Tag: TagLinear, In: 2, Out: 1, W: []float32{1, 2}, B: []float32{3}}},
	}
	b, err := Marshal(m)
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(10, func() { b, err = Marshal(m) })
	assert.Equal(t, 1.0, allocs, "Marshal should size its buffer once")
	got, err := Read(b)
	require.NoError(t, err)
	assertSameModel(t, m, got)
}

func TestStrings(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{ReLU.String(), "ReLU"},
		{Sigmoid.String(), "Sigmoid"},
		{Tanh.String(), "Tanh"},
		{Softmax.String(), "Softmax"},
		{Identity.String(), "Identity"},
		{Activation(9).String(), "Activation(9)"},
		{TagLinear.String(), "Linear"},
		{TagActivation.String(), "Activation"},
		{Tag(2).String(), "Tag(2)"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, tc.got)
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{ErrMagic, ErrVersion, ErrTruncated, ErrTrailing, ErrNormaliser, ErrNoLayers, ErrNoLinear,
		ErrUnknownTag, ErrUnknownActivation, ErrWidth, ErrNonFinite, ErrUnusedField, ErrTooLarge}
	for i, a := range all {
		for j, b := range all {
			assert.Equal(t, i == j, errors.Is(a, b), "%v vs %v", a, b)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	data, err := Marshal(refModel())
	require.NoError(b, err)
	b.Run("ref_4_32_3", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		var m *Model
		for b.Loop() {
			m, err = Read(data)
			if err != nil {
				b.Fatal(err)
			}
		}
		require.Len(b, m.Layers, 4)
	})
}

func BenchmarkMarshal(b *testing.B) {
	m := refModel()
	b.Run("ref_4_32_3", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(refSize))
		var out []byte
		var err error
		for b.Loop() {
			out, err = Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
		}
		require.Len(b, out, refSize)
	})
}
