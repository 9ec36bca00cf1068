package artifact

import (
	"fmt"
	"math"
	"strconv"
)

// Float64 is a float64 that JSON and CSV files hold as the shortest decimal
// that parses back to the same bits: strconv.FormatFloat(x, 'g', -1, 64).
type Float64 float64

// Float32 is a float32 written as strconv.FormatFloat(x, 'g', -1, 32).
type Float32 float32

// String returns the shortest round-trip text of x.
func (x Float64) String() string { return strconv.FormatFloat(float64(x), 'g', -1, 64) }

// String returns the shortest round-trip text of x.
func (x Float32) String() string { return strconv.FormatFloat(float64(x), 'g', -1, 32) }

// MarshalJSON returns x as a JSON number; NaN and infinities are
// ErrNotFinite, as JSON cannot hold them.
func (x Float64) MarshalJSON() ([]byte, error) { return finiteText(float64(x), x.String()) }

// MarshalJSON returns x as a JSON number; NaN and infinities are
// ErrNotFinite.
func (x Float32) MarshalJSON() ([]byte, error) { return finiteText(float64(x), x.String()) }

func finiteText(v float64, s string) ([]byte, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("%w: %v", ErrNotFinite, v)
	}
	return []byte(s), nil
}

// UnmarshalJSON parses a JSON number.
func (x *Float64) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*x = Float64(v)
	return nil
}

// UnmarshalJSON parses a JSON number as binary32, correctly rounded.
func (x *Float32) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseFloat(string(b), 32)
	if err != nil {
		return err
	}
	*x = Float32(v)
	return nil
}

// MarshalCSV returns the shortest round-trip text of x (gocsv would
// otherwise write the 'f' format).
func (x Float64) MarshalCSV() (string, error) { return x.String(), nil }

// UnmarshalCSV parses a CSV field.
func (x *Float64) UnmarshalCSV(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return err
	}
	*x = Float64(v)
	return nil
}
