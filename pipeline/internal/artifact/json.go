package artifact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteJSON writes v as indented JSON followed by a newline. Struct fields
// keep their declared order and map keys are sorted, so the bytes depend
// only on v.
func WriteJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// ReadJSON decodes the JSON file at path into v, rejecting unknown fields
// and trailing data. Errors name the file and, for syntax and type
// errors, the line.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", jsonPlace(path, b, dec.InputOffset(), err), err)
	}
	if dec.More() {
		return fmt.Errorf("%s: data after the JSON value", jsonPlace(path, b, dec.InputOffset(), nil))
	}
	return nil
}

// jsonPlace returns "path:line" for the byte offset the error points at.
func jsonPlace(path string, b []byte, off int64, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	off = min(max(off, 0), int64(len(b)))
	return fmt.Sprintf("%s:%d", path, bytes.Count(b[:off], []byte("\n"))+1)
}
