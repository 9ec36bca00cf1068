// Package artifact writes the pipeline's output files: atomically, with
// floats as the shortest text that round-trips, and in the fixed-shape
// record formats (the training log, the folds) that later stages and the
// reports read back.
package artifact

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File is one output: its path and a function that writes its contents.
type File struct {
	Path  string
	Write func(w io.Writer) error
}

// WriteFile writes one file atomically; see WriteFiles.
func WriteFile(path string, write func(w io.Writer) error) error {
	return WriteFiles(File{Path: path, Write: write})
}

// WriteFiles writes every file to a temporary file in its destination's
// folder (creating the folder), and only when all of them are complete
// renames each over its destination. On any error it removes the temporary
// files and any destination it had already renamed, so a failed stage
// leaves no output behind that Make could take as done.
func WriteFiles(files ...File) error {
	temps := make([]string, 0, len(files))
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	for _, f := range files {
		t, err := writeTemp(f)
		if err != nil {
			cleanup()
			return err
		}
		temps = append(temps, t)
	}
	for i, f := range files {
		if err := os.Rename(temps[i], f.Path); err != nil {
			for _, done := range files[:i] {
				os.Remove(done.Path)
			}
			temps = temps[i:]
			cleanup()
			return err
		}
	}
	return nil
}

// writeTemp writes f's contents to a new temporary file beside f.Path and
// returns its name; on error the temporary file is already removed.
func writeTemp(f File) (name string, err error) {
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.Path)+".*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriter(tmp)
	if err := f.Write(w); err != nil {
		return "", fmt.Errorf("write %s: %w", f.Path, err)
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	// CreateTemp makes the file private; outputs are ordinary files.
	if err := tmp.Chmod(0o644); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}

// ErrNotFinite is returned when a NaN or infinity would be written where
// the format has no way to hold it.
var ErrNotFinite = errors.New("value is not finite")
