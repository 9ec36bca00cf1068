// Package dataset reads and writes the data set files the stages pass to
// each other under data/processed/NAME/:
//
//	schema.json      ingest: source file and its SHA-256, feature and class names, counts, ranges
//	data.csv         ingest: every row, typed (a Table)
//	split.csv        split: each row's partition and fold (Member records)
//	normalizer.json  normalize: z-score mean and std per feature, fitted on the training rows
//	train.csv        normalize: the normalised partitions (Tables)
//	validation.csv
//	test.csv
//
// A Table file has the header row,<feature names...>,label: row is the
// 0-based index of the row in data.csv, features are binary32 values
// written as the shortest text that round-trips, and label is the
// 0-based class index into the schema's classes.
package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
)

// Schema is schema.json: what ingest found in the raw file.
type Schema struct {
	Source   string    `json:"source"` // base name of the raw file
	SHA256   string    `json:"sha256"` // of the raw file's bytes
	Bytes    int       `json:"bytes"`
	Format   string    `json:"format"` // "header" or "uci"
	Label    string    `json:"label"`  // the label column's name
	Rows     int       `json:"rows"`
	Features []Feature `json:"features"`
	Classes  []Class   `json:"classes"`
}

// Feature describes one input column.
type Feature struct {
	Name   string           `json:"name"`
	Unit   string           `json:"unit,omitempty"`
	Column int              `json:"column"` // 0-based column in the raw file
	Min    artifact.Float32 `json:"min"`
	Max    artifact.Float32 `json:"max"`
}

// Class is one label value and how many rows carry it.
type Class struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// FeatureNames returns the features' names in order.
func (s *Schema) FeatureNames() []string {
	names := make([]string, len(s.Features))
	for i, f := range s.Features {
		names[i] = f.Name
	}
	return names
}

// ClassNames returns the classes' names in class-index order.
func (s *Schema) ClassNames() []string {
	names := make([]string, len(s.Classes))
	for i, c := range s.Classes {
		names[i] = c.Name
	}
	return names
}

// ReadSchema reads and checks schema.json.
func ReadSchema(path string) (*Schema, error) {
	var s Schema
	if err := artifact.ReadJSON(path, &s); err != nil {
		return nil, err
	}
	switch {
	case len(s.Features) == 0:
		return nil, fmt.Errorf("%s: no features", path)
	case len(s.Classes) < 2:
		return nil, fmt.Errorf("%s: %d classes, want at least 2", path, len(s.Classes))
	case s.Rows < 1:
		return nil, fmt.Errorf("%s: no rows", path)
	}
	return &s, nil
}

// Table is a set of labelled rows: the whole data set or one partition.
type Table struct {
	Features []string
	Rows     []int     // each row's index in data.csv
	X        []float32 // (len(Rows), len(Features)) row-major
	Y        []int     // class index per row
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Rows) }

// Row returns row i's features; the slice aliases t.X.
func (t *Table) Row(i int) []float32 {
	w := len(t.Features)
	return t.X[i*w : (i+1)*w]
}

// Select returns the rows at the given positions of t, in that order, as a
// new table that shares nothing with t.
func (t *Table) Select(positions []int) *Table {
	out := &Table{
		Features: t.Features,
		Rows:     make([]int, 0, len(positions)),
		X:        make([]float32, 0, len(positions)*len(t.Features)),
		Y:        make([]int, 0, len(positions)),
	}
	for _, p := range positions {
		out.Rows = append(out.Rows, t.Rows[p])
		out.X = append(out.X, t.Row(p)...)
		out.Y = append(out.Y, t.Y[p])
	}
	return out
}

// WriteTable writes t as CSV; see the package documentation. Every value
// must be finite. The rows are formatted in chunks by as many goroutines as
// there are CPUs and written in order, so the bytes do not depend on the
// CPU count; writeTableCSV is the plain reference it is tested against.
func WriteTable(w io.Writer, t *Table) error {
	return writeTable(w, t, runtime.GOMAXPROCS(0), tableChunkBytes)
}

// tableChunkBytes is about how much text one chunk of rows holds.
const tableChunkBytes = 1 << 20

// writeTable writes t with workers goroutines formatting chunks of about
// chunkBytes each.
func writeTable(w io.Writer, t *Table, workers, chunkBytes int) error {
	// The header goes through encoding/csv, which quotes names that need it;
	// the numbers never do.
	var head bytes.Buffer
	cw := csv.NewWriter(&head)
	if err := cw.Write(append(append([]string{"row"}, t.Features...), "label")); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if _, err := w.Write(head.Bytes()); err != nil {
		return err
	}

	n := t.Len()
	chunk := max(1, chunkBytes/(8*len(t.Features)+16)) // rows per chunk
	chunks := (n + chunk - 1) / chunk
	workers = max(1, min(workers, chunks))
	rows := func(c int) (int, int) { return c * chunk, min(n, (c+1)*chunk) }
	if workers == 1 {
		var buf []byte
		for c := range chunks {
			lo, hi := rows(c)
			var err error
			if buf, err = appendRows(buf[:0], t, lo, hi); err != nil {
				return err
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
		return nil
	}

	// Worker k formats chunks k, k+workers, ... and hands each over on
	// out[k]; the loop below takes them in chunk order. The channels are
	// unbuffered, so at most one chunk per worker waits, and done releases
	// the workers when the loop stops early.
	type result struct {
		buf []byte
		err error
	}
	out := make([]chan result, workers)
	free := make(chan []byte, workers+1) // used buffers, for reuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(done)
		wg.Wait()
	}()
	for k := range out {
		out[k] = make(chan result)
		wg.Go(func() {
			for c := k; c < chunks; c += workers {
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				lo, hi := rows(c)
				buf, err := appendRows(buf[:0], t, lo, hi)
				select {
				case out[k] <- result{buf, err}:
				case <-done:
					return
				}
				if err != nil {
					return
				}
			}
		})
	}
	for c := range chunks {
		r := <-out[c%workers]
		if r.err != nil {
			return r.err
		}
		if _, err := w.Write(r.buf); err != nil {
			return err
		}
		select {
		case free <- r.buf:
		default:
		}
	}
	return nil
}

// appendRows appends rows [lo, hi) of t to dst as encoding/csv writes
// them.
func appendRows(dst []byte, t *Table, lo, hi int) ([]byte, error) {
	for i := lo; i < hi; i++ {
		dst = strconv.AppendInt(dst, int64(t.Rows[i]), 10)
		for _, x := range t.Row(i) {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return dst, fmt.Errorf("row %d: %w: %v", t.Rows[i], artifact.ErrNotFinite, x)
			}
			dst = append(dst, ',')
			dst = appendFloat32(dst, x)
		}
		dst = append(dst, ',')
		dst = strconv.AppendInt(dst, int64(t.Y[i]), 10)
		dst = append(dst, '\n')
	}
	return dst, nil
}

// writeTableCSV is WriteTable written plainly with encoding/csv: the
// reference the fast writer must match byte for byte.
func writeTableCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	rec := make([]string, 0, len(t.Features)+2)
	rec = append(append(append(rec, "row"), t.Features...), "label")
	if err := cw.Write(rec); err != nil {
		return err
	}
	for i := range t.Rows {
		rec = append(rec[:0], strconv.Itoa(t.Rows[i]))
		for _, x := range t.Row(i) {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return fmt.Errorf("row %d: %w: %v", t.Rows[i], artifact.ErrNotFinite, x)
			}
			rec = append(rec, strconv.FormatFloat(float64(x), 'g', -1, 32))
		}
		rec = append(rec, strconv.Itoa(t.Y[i]))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadTable reads a Table file of this schema's data set: ReadTable with
// its feature names and class count.
func (s *Schema) ReadTable(path string) (*Table, error) {
	return ReadTable(path, s.FeatureNames(), len(s.Classes))
}

// ReadTable reads a Table file whose features must be exactly features and
// whose labels must lie in [0, classes). Errors name the file, line and
// column.
func ReadTable(path string, features []string, classes int) (*Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = len(features) + 2
	r.ReuseRecord = true
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	want := append(append([]string{"row"}, features...), "label")
	if err != nil || !slices.Equal(head, want) {
		return nil, fmt.Errorf("%s:1: header is %q, want %q", path, strings.Join(head, ","), strings.Join(want, ","))
	}
	t := &Table{Features: features}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d:%d: %w", path, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		place := func(col int) string {
			l, c := r.FieldPos(col)
			return fmt.Sprintf("%s:%d:%d", path, l, c)
		}
		row, err := strconv.Atoi(rec[0])
		if err != nil || row < 0 {
			return nil, fmt.Errorf("%s: row %q is not a row index", place(0), rec[0])
		}
		for j, s := range rec[1 : len(rec)-1] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s: %s: %q is not a finite number", place(j+1), features[j], s)
			}
			t.X = append(t.X, float32(x))
		}
		y, err := strconv.Atoi(rec[len(rec)-1])
		if err != nil || y < 0 || y >= classes {
			return nil, fmt.Errorf("%s: label %q is not a class index in [0, %d)", place(len(rec)-1), rec[len(rec)-1], classes)
		}
		t.Rows = append(t.Rows, row)
		t.Y = append(t.Y, y)
	}
	if len(t.Rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	return t, nil
}
