package finf

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// Read parses a FINF version 2 file and returns its model. It enforces
// every rule in the package documentation; a malformed file gives a
// *FormatError that names the byte offset and wraps one of the sentinel
// errors. Read never panics, never reads past the end of b, and checks every
// length and count against the bytes that remain before allocating, so what
// it allocates is linear in len(b). The model does not alias b.
func Read(b []byte) (*Model, error) {
	d := decoder{b: b}
	if err := d.need(0, 4, -1, "magic"); err != nil {
		return nil, err
	}
	if string(b[:4]) != magic {
		return nil, formatErr(0, ErrMagic, "magic %s, want %q", quote(string(b[:4])), magic)
	}
	d.off = 4
	version, err := d.u32(-1, "version")
	if err != nil {
		return nil, err
	}
	if version != Version {
		return nil, formatErr(4, ErrVersion, "unsupported version %d", version)
	}
	n, err := d.u32(-1, "normaliser length")
	if err != nil {
		return nil, err
	}
	if err := d.need(8, uint64(n), -1, "normaliser text"); err != nil {
		return nil, err
	}
	m := &Model{}
	if n > 0 {
		m.Mean, m.Std, err = parseNormaliser(b[d.off:d.off+int(n)], d.off)
		if err != nil {
			return nil, err
		}
	}
	d.off += int(n)

	countOff := d.off
	count, err := d.u32(-1, "layer count")
	if err != nil {
		return nil, err
	}
	if count == 0 {
		return nil, formatErr(countOff, ErrNoLayers, "layer count is 0, want at least 1")
	}
	// Every record takes at least two bytes (an activation).
	if uint64(count) > uint64(d.remaining())/2 {
		return nil, formatErr(countOff, ErrTruncated,
			"layer count %d needs at least %d bytes, %d remain", count, 2*uint64(count), d.remaining())
	}
	m.Layers = make([]Layer, count)

	// width is the width reaching the next layer; -1 until it is known.
	width := -1
	if n > 0 {
		width = len(m.Mean)
	}
	sawLinear := false
	for i := range m.Layers {
		tagOff := d.off
		tag, err := d.u8(i, "tag")
		if err != nil {
			return nil, err
		}
		switch Tag(tag) {
		case TagLinear:
			if err := d.linear(&m.Layers[i], i, width, n > 0, sawLinear); err != nil {
				return nil, err
			}
			width = m.Layers[i].Out
			sawLinear = true
		case TagActivation:
			kindOff := d.off
			kind, err := d.u8(i, "activation kind")
			if err != nil {
				return nil, err
			}
			if !Activation(kind).valid() {
				return nil, formatErr(kindOff, ErrUnknownActivation, "layer %d: unknown activation kind %d", i, kind)
			}
			m.Layers[i] = Layer{Tag: TagActivation, Act: Activation(kind)}
		default:
			return nil, formatErr(tagOff, ErrUnknownTag, "layer %d: unknown tag %d", i, tag)
		}
	}
	if !sawLinear {
		return nil, formatErr(countOff, ErrNoLinear,
			"none of the %d layers is linear, so the model has no width", count)
	}
	if d.off != len(b) {
		return nil, formatErr(d.off, ErrTrailing, "%d bytes after the last layer", len(b)-d.off)
	}
	return m, nil
}

// decoder walks b from off, checking every read against the end.
type decoder struct {
	b   []byte
	off int
}

// remaining returns the number of bytes after off.
func (d *decoder) remaining() int { return len(d.b) - d.off }

// need returns an ErrTruncated *FormatError at fieldOff unless n bytes
// remain after off. layer is the layer index the field belongs to, or -1.
func (d *decoder) need(fieldOff int, n uint64, layer int, what string) error {
	if n <= uint64(d.remaining()) {
		return nil
	}
	if layer >= 0 {
		return formatErr(fieldOff, ErrTruncated, "layer %d %s needs %d bytes, %d remain", layer, what, n, d.remaining())
	}
	return formatErr(fieldOff, ErrTruncated, "%s needs %d bytes, %d remain", what, n, d.remaining())
}

// u8 reads one byte.
func (d *decoder) u8(layer int, what string) (uint8, error) {
	if err := d.need(d.off, 1, layer, what); err != nil {
		return 0, err
	}
	v := d.b[d.off]
	d.off++
	return v, nil
}

// u32 reads a little-endian uint32.
func (d *decoder) u32(layer int, what string) (uint32, error) {
	if err := d.need(d.off, 4, layer, what); err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint32(d.b[d.off:])
	d.off += 4
	return v, nil
}

// linear reads the rest of Linear record i (after its tag) into l. width is
// the width reaching the layer (-1 before the first Linear when there is no
// normaliser); normalised says whether width came from the normaliser.
func (d *decoder) linear(l *Layer, i, width int, normalised, sawLinear bool) error {
	inOff := d.off
	in, err := d.u32(i, "in")
	if err != nil {
		return err
	}
	out, err := d.u32(i, "out")
	if err != nil {
		return err
	}
	if in == 0 {
		return formatErr(inOff, ErrWidth, "layer %d (linear): in is 0, want at least 1", i)
	}
	if out == 0 {
		return formatErr(inOff+4, ErrWidth, "layer %d (linear): out is 0, want at least 1", i)
	}
	switch {
	case sawLinear && uint64(in) != uint64(width):
		return formatErr(inOff, ErrWidth,
			"layer %d (linear %dx%d): in %d differs from the width %d that reaches it", i, in, out, in, width)
	case !sawLinear && normalised && uint64(in) != uint64(width):
		return formatErr(inOff, ErrWidth,
			"layer %d (linear %dx%d): in %d differs from the normaliser's %d pairs", i, in, out, in, width)
	}
	// in*out + out < 2^64 for any u32 in and out, so this cannot overflow;
	// compare floats, not bytes, because 4*count can.
	count := uint64(in)*uint64(out) + uint64(out)
	if count > uint64(d.remaining())/4 {
		return formatErr(inOff, ErrTruncated,
			"layer %d (linear %dx%d) needs %d floats of weights and biases, %d bytes remain",
			i, in, out, count, d.remaining())
	}
	// count fits in the input, so in, out and in*out fit in an int.
	l.Tag = TagLinear
	l.In, l.Out = int(in), int(out)
	l.W = make([]float32, l.In*l.Out)
	l.B = make([]float32, l.Out)
	if err := d.floats(l.W, i, l.In, l.Out, "weight"); err != nil {
		return err
	}
	return d.floats(l.B, i, l.In, l.Out, "bias")
}

// floats fills dst from the input, which the caller has checked holds
// 4*len(dst) more bytes, and rejects NaN and infinities.
func (d *decoder) floats(dst []float32, i, in, out int, what string) error {
	src := d.b[d.off : d.off+4*len(dst)]
	for k := range dst {
		x := math.Float32frombits(binary.LittleEndian.Uint32(src[4*k:]))
		if !finite(x) {
			where := "b[" + strconv.Itoa(k) + "]"
			if what == "weight" {
				where = "W[" + strconv.Itoa(k/out) + "][" + strconv.Itoa(k%out) + "]"
			}
			return formatErr(d.off+4*k, ErrNonFinite, "layer %d (linear %dx%d): %s %s is %s",
				i, in, out, what, where, describe(x))
		}
		dst[k] = x
	}
	d.off += len(src)
	return nil
}

// parseNormaliser parses the normaliser text "mean0,std0;mean1,std1;...",
// which starts at byte offset base of the file.
func parseNormaliser(text []byte, base int) (mean, std []float32, err error) {
	s := string(text)
	pairs := strings.Count(s, ";") + 1
	mean = make([]float32, 0, pairs)
	std = make([]float32, 0, pairs)
	for k, start := 0, 0; ; k++ {
		end := strings.IndexByte(s[start:], ';')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		pair := s[start:end]
		if pair == "" {
			return nil, nil, formatErr(base+start, ErrNormaliser, "normaliser pair %d is empty", k)
		}
		comma := strings.IndexByte(pair, ',')
		if comma < 0 {
			return nil, nil, formatErr(base+start, ErrNormaliser, "normaliser pair %d %s has no ','", k, quote(pair))
		}
		if extra := strings.IndexByte(pair[comma+1:], ','); extra >= 0 {
			return nil, nil, formatErr(base+start+comma+1+extra, ErrNormaliser,
				"normaliser pair %d %s has more than one ','", k, quote(pair))
		}
		m, why := parseNumber(pair[:comma])
		if why == "" {
			why = checkMean(m)
		}
		if why != "" {
			return nil, nil, formatErr(base+start, ErrNormaliser, "normaliser mean %d %s %s", k, quote(pair[:comma]), why)
		}
		sd, why := parseNumber(pair[comma+1:])
		if why == "" {
			why = checkStd(sd)
		}
		if why != "" {
			return nil, nil, formatErr(base+start+comma+1, ErrNormaliser,
				"normaliser std %d %s %s", k, quote(pair[comma+1:]), why)
		}
		mean = append(mean, m)
		std = append(std, sd)
		if end == len(s) {
			return mean, std, nil
		}
		start = end + 1
	}
}

// parseNumber parses one normaliser number and returns why it is not the
// canonical text of a finite binary32 value, or "".
func parseNumber(s string) (float32, string) {
	if s == "" {
		return 0, "is empty"
	}
	f, err := strconv.ParseFloat(s, 32)
	x := float32(f)
	if err != nil && !finite(x) {
		// ParseFloat reports overflow as ±Inf with ErrRange.
		return 0, "is not finite"
	}
	if err != nil {
		return 0, "is not a number"
	}
	if !finite(x) {
		return 0, "is not finite"
	}
	if want := strconv.FormatFloat(f, 'g', -1, 32); want != s {
		return 0, "is not canonical, want " + strconv.Quote(want)
	}
	return x, ""
}
