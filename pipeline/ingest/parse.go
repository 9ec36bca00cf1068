package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
)

// parsed is the schema plus what the log reports.
type parsed struct {
	dataset.Schema
	TrailingBlankLines int
}

// parse reads the raw CSV bytes of the file at path as the data section
// describes. Errors name path, the 1-based line and the column.
func parse(path string, raw []byte, spec *config.Data) (*dataset.Table, *parsed, error) {
	text := bytes.TrimPrefix(raw, []byte("\ufeff"))
	body, trailing, err := trimBlankLines(path, text)
	if err != nil {
		return nil, nil, err
	}
	if len(body) == 0 {
		return nil, nil, fmt.Errorf("%s: empty file", path)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1 // counted here, for a message that names the columns
	r.TrimLeadingSpace = true

	columns := spec.Columns
	dataLine := 1
	if spec.Format == config.FormatHeader {
		head, err := r.Read()
		if err != nil {
			return nil, nil, csvError(path, err)
		}
		columns = make([]string, len(head))
		for i, h := range head {
			columns[i] = strings.TrimSpace(h)
			if columns[i] == "" {
				return nil, nil, fmt.Errorf("%s:1: column %d has an empty name", path, i+1)
			}
			if slices.Contains(columns[:i], columns[i]) {
				return nil, nil, fmt.Errorf("%s:1: column %d: name %q appears twice", path, i+1, columns[i])
			}
		}
		if len(columns) < 2 {
			return nil, nil, fmt.Errorf("%s:1: %d column, want a label and at least one feature", path, len(columns))
		}
		dataLine = 2
	}

	labelName := spec.Label
	if labelName == "" {
		labelName = columns[len(columns)-1]
	}
	label := slices.Index(columns, labelName)
	if label < 0 {
		return nil, nil, fmt.Errorf("%s: label column %q is not one of the columns %q", path, labelName, columns)
	}
	var feats []int // raw column index of each feature
	if len(spec.Features) > 0 {
		for _, f := range spec.Features {
			i := slices.Index(columns, f)
			if i < 0 {
				return nil, nil, fmt.Errorf("%s: feature %q is not one of the columns %q", path, f, columns)
			}
			feats = append(feats, i)
		}
	} else {
		for i := range columns {
			if i != label {
				feats = append(feats, i)
			}
		}
	}
	names := make([]string, len(feats))
	for i, c := range feats {
		names[i] = columns[c]
	}
	for _, u := range slices.Sorted(maps.Keys(spec.Units)) {
		if !slices.Contains(names, u) {
			return nil, nil, fmt.Errorf("%s: data.units names %q, which is not a feature (%q)", path, u, names)
		}
	}

	t := &dataset.Table{Features: names}
	var labels []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvError(path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(columns) {
			return nil, nil, fmt.Errorf("%s:%d: %d fields, want %d (%s)", path, line, len(rec), len(columns), strings.Join(columns, ","))
		}
		for _, c := range feats {
			s := strings.TrimSpace(rec[c])
			x, err := strconv.ParseFloat(s, 32)
			var msg string
			switch {
			case errors.Is(err, strconv.ErrRange):
				msg = fmt.Sprintf("%q is outside the float32 range", s)
			case err != nil:
				msg = fmt.Sprintf("%q is not a number", s)
			case math.IsNaN(x) || math.IsInf(x, 0):
				msg = fmt.Sprintf("%q is not finite", s)
			}
			if msg != "" {
				return nil, nil, fmt.Errorf("%s:%d: column %d (%s): %s", path, line, c+1, columns[c], msg)
			}
			t.X = append(t.X, float32(x))
		}
		l := strings.TrimSpace(rec[label])
		if l == "" {
			return nil, nil, fmt.Errorf("%s:%d: column %d (%s): empty label", path, line, label+1, labelName)
		}
		if len(spec.Classes) > 0 && !slices.Contains(spec.Classes, l) {
			return nil, nil, fmt.Errorf("%s:%d: column %d (%s): unknown label %q; data.classes allows %q",
				path, line, label+1, labelName, l, spec.Classes)
		}
		t.Rows = append(t.Rows, len(t.Rows))
		labels = append(labels, l)
	}
	if len(labels) == 0 {
		return nil, nil, fmt.Errorf("%s: no data rows after line %d", path, dataLine-1)
	}

	classes := spec.Classes
	if len(classes) == 0 {
		classes = slices.Clone(labels)
		slices.Sort(classes)
		classes = slices.Compact(classes)
	}
	counts := make([]int, len(classes))
	t.Y = make([]int, len(labels))
	for i, l := range labels {
		t.Y[i] = slices.Index(classes, l)
		counts[t.Y[i]]++
	}
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("%s: every row has the label %q; a classifier needs at least 2 classes", path, classes[0])
	}
	s := &parsed{TrailingBlankLines: trailing}
	s.Format = spec.Format
	s.Label = labelName
	s.Rows = len(labels)
	for i, name := range classes {
		if counts[i] == 0 {
			return nil, nil, fmt.Errorf("%s: class %q from data.classes has no rows", path, name)
		}
		s.Classes = append(s.Classes, dataset.Class{Name: name, Count: counts[i]})
	}
	for j, c := range feats {
		lo, hi := t.X[j], t.X[j]
		for i := range t.Rows {
			lo, hi = min(lo, t.X[i*len(feats)+j]), max(hi, t.X[i*len(feats)+j])
		}
		s.Features = append(s.Features, dataset.Feature{Name: columns[c], Unit: spec.Units[columns[c]],
			Column: c, Min: artifact.Float32(lo), Max: artifact.Float32(hi)})
	}
	return t, s, nil
}

// trimBlankLines returns text without its trailing blank lines (lines that
// hold only spaces, tabs or a carriage return) and how many it removed. A
// blank line before the last non-blank one is an error: in a data file it
// usually means rows were lost or two files were joined.
func trimBlankLines(path string, text []byte) ([]byte, int, error) {
	lines := bytes.SplitAfter(text, []byte("\n"))
	last := -1 // index of the last non-blank line
	for i, l := range lines {
		if !isBlank(l) {
			last = i
		}
	}
	for i := 0; i < last; i++ {
		if isBlank(lines[i]) {
			return nil, 0, fmt.Errorf("%s:%d: blank line between data rows (only trailing blank lines are allowed)", path, i+1)
		}
	}
	trailing := 0
	for _, l := range lines[last+1:] {
		if len(l) > 0 && l[len(l)-1] == '\n' {
			trailing++
		}
	}
	return bytes.Join(lines[:last+1], nil), trailing, nil
}

func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// csvError prefixes path, line and column to an encoding/csv error.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %w", path, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}
