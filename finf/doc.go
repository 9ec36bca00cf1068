// Package finf reads and writes FINF version 2 model files: a small
// feed-forward network together with the input normaliser it was trained
// with, so a model can never be run on un-normalised input by mistake.
//
// The format is specified in the project's shared/FINF.md; this comment
// restates it completely, and the package enforces every rule of it.
//
// # Byte layout
//
// All integers are unsigned little-endian, all floats IEEE-754 binary32
// little-endian, with no padding or alignment anywhere:
//
//	offset  size      field
//	0       4         magic: the ASCII bytes "FINF"
//	4       4         u32 version = 2
//	8       4         u32 N = normaliser text length in bytes (may be 0)
//	12      N         normaliser text, ASCII
//	12+N    4         u32 L = number of layers (at least 1)
//	...               L layer records, one after another
//
// A Linear layer record (y = xW + b) is
//
//	1       u8  tag = 0
//	4       u32 in  (input width, at least 1)
//	4       u32 out (output width, at least 1)
//	4*in*out    W, row-major [in][out]: W[i][j] at index i*out + j
//	4*out       b
//
// and an Activation layer record is
//
//	1       u8  tag = 1
//	1       u8  kind: 0 ReLU, 1 Sigmoid, 2 Tanh, 3 Softmax, 4 Identity
//
// The file ends exactly after the last layer record.
//
// # Normaliser text
//
// The text is one "mean,std" pair per input feature, pairs separated by ';',
// with no spaces and no trailing separator:
//
//	mean0,std0;mean1,std1;...;meanK,stdK
//
// Each number is the shortest decimal that parses back to the same binary32
// value, exactly as strconv.FormatFloat(float64(x), 'g', -1, 32) writes it.
// Every mean is finite; every std is finite and greater than zero. With
// N = 0 the model takes its inputs as they are. Inference computes, in
// binary32, before the first layer:
//
//	z[i] = (x[i] - mean[i]) / std[i]
//
// # Rules
//
// Read rejects, each with a *FormatError carrying the byte offset and
// wrapping its own sentinel error (test with errors.Is):
//
//   - a wrong magic (ErrMagic) or any version other than 2 (ErrVersion);
//   - any length or count larger than the bytes that remain (ErrTruncated);
//     counts are checked with 64-bit arithmetic before anything is
//     allocated, so Read never allocates more than the input's size in
//     floats and never reads past the end;
//   - normaliser text that is malformed, not canonical, not finite, or has a
//     std that is not greater than zero (ErrNormaliser);
//   - a layer count of zero (ErrNoLayers);
//   - an unknown layer tag (ErrUnknownTag) or activation kind
//     (ErrUnknownActivation);
//   - a Linear width of zero, a Linear whose in differs from the width that
//     reaches it, or a first Linear whose in differs from the normaliser's
//     pair count when N > 0 (ErrWidth);
//   - a NaN or infinite weight or bias (ErrNonFinite, naming the layer);
//   - a model without any Linear layer (ErrNoLinear): activations keep the
//     width, so such a model has no defined input or output width;
//   - bytes after the last layer record (ErrTrailing).
//
// Activations before the first Linear layer are allowed; they keep the input
// width, which the first Linear layer defines.
//
// Because every accepted number is canonical and every field is fixed, a
// file that Read accepts is reproduced byte for byte by Marshal:
//
//	Marshal(Read(b)) == b
//
// Append and Marshal check a Model against the same rules before writing a
// single byte and return a *ModelError, never panic, when it breaks one. The
// error names the layer and wraps the same sentinels, plus ErrUnusedField
// for a layer that sets a field its tag cannot carry (an Activation with
// weights, a Linear with an activation kind) and ErrTooLarge for widths that
// do not fit a u32.
package finf
