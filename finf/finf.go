package finf

import (
	"errors"
	"fmt"
	"strconv"
)

// Version is the only FINF version this package reads and writes.
const Version = 2

// magic is the first four bytes of every FINF file.
const magic = "FINF"

// Activation is the kind byte of an Activation layer record.
type Activation uint8

// The activation kinds, with their FINF codes.
const (
	ReLU     Activation = 0
	Sigmoid  Activation = 1
	Tanh     Activation = 2
	Softmax  Activation = 3
	Identity Activation = 4
)

// String returns the activation's name, or "Activation(N)" for an unknown
// code.
func (a Activation) String() string {
	switch a {
	case ReLU:
		return "ReLU"
	case Sigmoid:
		return "Sigmoid"
	case Tanh:
		return "Tanh"
	case Softmax:
		return "Softmax"
	case Identity:
		return "Identity"
	}
	return "Activation(" + strconv.Itoa(int(a)) + ")"
}

// valid reports whether a is one of the defined kinds.
func (a Activation) valid() bool { return a <= Identity }

// Tag is the first byte of a layer record.
type Tag uint8

// The layer tags, with their FINF codes.
const (
	TagLinear     Tag = 0
	TagActivation Tag = 1
)

// String returns the tag's name, or "Tag(N)" for an unknown code.
func (t Tag) String() string {
	switch t {
	case TagLinear:
		return "Linear"
	case TagActivation:
		return "Activation"
	}
	return "Tag(" + strconv.Itoa(int(t)) + ")"
}

// Layer is one layer record. A Linear layer (Tag TagLinear) computes
//
//	y[j] = b[j] + sum_i x[i] * W[i*Out+j]
//
// and uses In, Out, W and B; W is (In, Out) row-major and B is (Out). An
// Activation layer (Tag TagActivation) uses only Act and keeps the width.
// Fields a layer does not use must be zero.
type Layer struct {
	Tag     Tag
	In, Out int
	W       []float32
	B       []float32
	Act     Activation
}

// Model is a whole FINF file: the input normaliser and the layers.
// Mean and Std hold one entry per input feature; both are empty when the
// model takes its inputs as they are (N = 0 in the file).
type Model struct {
	Mean, Std []float32
	Layers    []Layer
}

// InWidth returns the model's input width: the In of its first Linear
// layer, or 0 when it has none.
func (m *Model) InWidth() int {
	for _, l := range m.Layers {
		if l.Tag == TagLinear {
			return l.In
		}
	}
	return 0
}

// OutWidth returns the model's output width: the Out of its last Linear
// layer, or 0 when it has none.
func (m *Model) OutWidth() int {
	for i := len(m.Layers) - 1; i >= 0; i-- {
		if m.Layers[i].Tag == TagLinear {
			return m.Layers[i].Out
		}
	}
	return 0
}

// Errors that Read, Append and Marshal wrap. Test for them with errors.Is.
var (
	ErrMagic             = errors.New("bad magic")
	ErrVersion           = errors.New("unsupported version")
	ErrTruncated         = errors.New("truncated")
	ErrTrailing          = errors.New("trailing bytes")
	ErrNormaliser        = errors.New("bad normaliser")
	ErrNoLayers          = errors.New("no layers")
	ErrNoLinear          = errors.New("no linear layer")
	ErrUnknownTag        = errors.New("unknown layer tag")
	ErrUnknownActivation = errors.New("unknown activation kind")
	ErrWidth             = errors.New("width mismatch")
	ErrNonFinite         = errors.New("non-finite value")
	// ErrUnusedField is returned by Append for a layer that sets a field
	// its tag does not use, which the file could not carry.
	ErrUnusedField = errors.New("field not used by the layer's tag is set")
	// ErrTooLarge is returned by Append for a model whose widths or
	// normaliser text do not fit the format's u32 fields.
	ErrTooLarge = errors.New("too large for FINF")
)

// FormatError is the error Read returns for a malformed file. Offset is the
// byte offset of the offending field from the start of the file, Msg says
// what is wrong with it, and Err is one of the package's sentinel errors.
type FormatError struct {
	Offset int
	Msg    string
	Err    error
}

// Error returns "finf: offset N: message".
func (e *FormatError) Error() string {
	return "finf: offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns the sentinel error, for errors.Is.
func (e *FormatError) Unwrap() error { return e.Err }

// formatErr builds a *FormatError with a formatted message.
func formatErr(off int, sentinel error, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// ModelError is the error Append and Marshal return for a Model that breaks
// a FINF rule. Layer is the index of the offending layer, or -1 when the
// problem is the normaliser or the model as a whole; Err is one of the
// package's sentinel errors.
type ModelError struct {
	Layer int
	Msg   string
	Err   error
}

// Error returns "finf: invalid model: layer N: message", or without the
// layer when Layer is -1.
func (e *ModelError) Error() string {
	if e.Layer < 0 {
		return "finf: invalid model: " + e.Msg
	}
	return "finf: invalid model: layer " + strconv.Itoa(e.Layer) + ": " + e.Msg
}

// Unwrap returns the sentinel error, for errors.Is.
func (e *ModelError) Unwrap() error { return e.Err }

// modelErr builds a *ModelError with a formatted message.
func modelErr(layer int, sentinel error, format string, args ...any) *ModelError {
	return &ModelError{Layer: layer, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// quote returns s quoted for an error message, cut to a readable length.
func quote(s string) string {
	const max = 24
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

// checkMean returns why x is not a valid normaliser mean, or "".
func checkMean(x float32) string {
	if !finite(x) {
		return "is not finite"
	}
	return ""
}

// checkStd returns why x is not a valid normaliser std, or "".
func checkStd(x float32) string {
	if !finite(x) {
		return "is not finite"
	}
	if !(x > 0) {
		return "is not greater than zero"
	}
	return ""
}

// maxFloat32 is the largest finite binary32 value.
const maxFloat32 = 0x1p127 * (1 + (1 - 0x1p-23))

// finite reports whether x is neither NaN nor infinite.
func finite(x float32) bool { return x == x && x <= maxFloat32 && x >= -maxFloat32 }

// describe names a non-finite float for an error message.
func describe(x float32) string {
	switch {
	case x != x:
		return "NaN"
	case x > 0:
		return "+Inf"
	}
	return "-Inf"
}
