package finf

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"
)

// maxPairText bounds the text of one "mean,std;" pair: each binary32 in its
// shortest 'g' form takes at most 15 bytes ("-1.1754944e-38").
const maxPairText = 32

// Marshal returns the FINF version 2 encoding of m. It returns a
// *ModelError, and writes nothing, when m breaks a rule of the format.
func Marshal(m *Model) ([]byte, error) {
	return Append(nil, m)
}

// Append appends the FINF version 2 encoding of m to dst and returns the
// extended slice. When m breaks a rule of the format it returns dst
// unchanged and a *ModelError wrapping one of the sentinel errors, such as
// ErrWidth, ErrNonFinite or ErrNormaliser.
func Append(dst []byte, m *Model) ([]byte, error) {
	size, err := validate(m)
	if err != nil {
		return dst, err
	}
	dst = slices.Grow(dst, size)

	dst = append(dst, magic...)
	dst = binary.LittleEndian.AppendUint32(dst, Version)
	lenAt := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, 0) // N, patched below
	textStart := len(dst)
	for i := range m.Mean {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = strconv.AppendFloat(dst, float64(m.Mean[i]), 'g', -1, 32)
		dst = append(dst, ',')
		dst = strconv.AppendFloat(dst, float64(m.Std[i]), 'g', -1, 32)
	}
	binary.LittleEndian.PutUint32(dst[lenAt:], uint32(len(dst)-textStart))

	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(m.Layers)))
	for _, l := range m.Layers {
		dst = append(dst, byte(l.Tag))
		if l.Tag == TagActivation {
			dst = append(dst, byte(l.Act))
			continue
		}
		dst = binary.LittleEndian.AppendUint32(dst, uint32(l.In))
		dst = binary.LittleEndian.AppendUint32(dst, uint32(l.Out))
		for _, x := range l.W {
			dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(x))
		}
		for _, x := range l.B {
			dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(x))
		}
	}
	return dst, nil
}

// validate checks m against every rule Read enforces and returns an upper
// bound on its encoded size in bytes.
func validate(m *Model) (int, error) {
	if m == nil {
		return 0, modelErr(-1, ErrNoLayers, "model is nil")
	}
	if len(m.Mean) != len(m.Std) {
		return 0, modelErr(-1, ErrNormaliser, "normaliser has %d means and %d stds", len(m.Mean), len(m.Std))
	}
	for i := range m.Mean {
		if why := checkMean(m.Mean[i]); why != "" {
			return 0, modelErr(-1, ErrNormaliser, "normaliser mean %d (%v) %s", i, m.Mean[i], why)
		}
		if why := checkStd(m.Std[i]); why != "" {
			return 0, modelErr(-1, ErrNormaliser, "normaliser std %d (%v) %s", i, m.Std[i], why)
		}
	}
	// Sizes are summed in uint64 so that a huge model cannot wrap an int
	// on 32-bit platforms such as GOARCH=386 or arm.
	size := 16 + uint64(len(m.Mean))*maxPairText
	if len(m.Layers) == 0 {
		return 0, modelErr(-1, ErrNoLayers, "model has no layers, want at least 1")
	}
	if uint64(len(m.Layers)) > math.MaxUint32 {
		return 0, modelErr(-1, ErrTooLarge, "model has %d layers, more than a u32 holds", len(m.Layers))
	}

	width := -1 // the width reaching the next layer; -1 until it is known
	if len(m.Mean) > 0 {
		width = len(m.Mean)
	}
	sawLinear := false
	for i, l := range m.Layers {
		switch l.Tag {
		case TagLinear:
			if err := checkLinear(l, i, width, len(m.Mean) > 0, sawLinear); err != nil {
				return 0, err
			}
			size += 9 + 4*uint64(len(l.W)+len(l.B))
			width = l.Out
			sawLinear = true
		case TagActivation:
			if l.In != 0 || l.Out != 0 || len(l.W) != 0 || len(l.B) != 0 {
				return 0, modelErr(i, ErrUnusedField, "activation layer has linear fields set (in %d, out %d, %d weights, %d biases)",
					l.In, l.Out, len(l.W), len(l.B))
			}
			if !l.Act.valid() {
				return 0, modelErr(i, ErrUnknownActivation, "unknown activation kind %d", uint8(l.Act))
			}
			size += 2
		default:
			return 0, modelErr(i, ErrUnknownTag, "unknown tag %d", uint8(l.Tag))
		}
	}
	if !sawLinear {
		return 0, modelErr(-1, ErrNoLinear, "none of the %d layers is linear, so the model has no width", len(m.Layers))
	}
	if size > math.MaxInt32 && uint64(math.MaxInt) == math.MaxInt32 {
		return 0, modelErr(-1, ErrTooLarge, "encoding takes about %d bytes, more than a slice holds", size)
	}
	return int(size), nil
}

// checkLinear checks Linear layer i; width is the width reaching it (-1
// before the first Linear when there is no normaliser), and normalised says
// whether width came from the normaliser.
func checkLinear(l Layer, i, width int, normalised, sawLinear bool) error {
	if l.Act != 0 {
		return modelErr(i, ErrUnusedField, "linear layer has activation kind %d set", uint8(l.Act))
	}
	if l.In < 1 || l.Out < 1 {
		return modelErr(i, ErrWidth, "linear %dx%d: widths must be at least 1", l.In, l.Out)
	}
	if uint64(l.In) > math.MaxUint32 || uint64(l.Out) > math.MaxUint32 {
		return modelErr(i, ErrTooLarge, "linear %dx%d: width does not fit a u32", l.In, l.Out)
	}
	if uint64(len(l.W)) != uint64(l.In)*uint64(l.Out) {
		return modelErr(i, ErrWidth, "linear %dx%d: W has %d values, want %d", l.In, l.Out, len(l.W), uint64(l.In)*uint64(l.Out))
	}
	if len(l.B) != l.Out {
		return modelErr(i, ErrWidth, "linear %dx%d: B has %d values, want %d", l.In, l.Out, len(l.B), l.Out)
	}
	switch {
	case sawLinear && l.In != width:
		return modelErr(i, ErrWidth, "linear %dx%d: in %d differs from the width %d that reaches it", l.In, l.Out, l.In, width)
	case !sawLinear && normalised && l.In != width:
		return modelErr(i, ErrWidth, "linear %dx%d: in %d differs from the normaliser's %d pairs", l.In, l.Out, l.In, width)
	}
	for k, x := range l.W {
		if !finite(x) {
			return modelErr(i, ErrNonFinite, "linear %dx%d: weight W[%d][%d] is %s", l.In, l.Out, k/l.Out, k%l.Out, describe(x))
		}
	}
	for k, x := range l.B {
		if !finite(x) {
			return modelErr(i, ErrNonFinite, "linear %dx%d: bias b[%d] is %s", l.In, l.Out, k, describe(x))
		}
	}
	return nil
}
