package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
)

// parsed is the schema plus what the log reports.
type parsed struct {
	dataset.Schema
	TrailingBlankLines int
}

// minPartBytes is the least data a parsing goroutine gets: below it the
// cost of starting one exceeds what it saves.
const minPartBytes = 1 << 20

// parse reads the raw CSV bytes of the file at path as the experiment's
// data section describes. Errors in the data name path, the 1-based line
// and the column; data.label, data.features or data.units naming a column
// the header row lacks is a *config.Error (see readLayout).
//
// Files without a double quote, which is nearly every numeric data set,
// are read by a byte scanner split between the CPUs (scanRows); files with
// one by encoding/csv (readRowsCSV), the reference the scanner is tested
// against. Both accept and reject the same files with the same messages and
// give the same bits.
func parse(path string, raw []byte, cfg *config.Config) (*dataset.Table, *parsed, error) {
	parts := min(runtime.GOMAXPROCS(0), max(1, len(raw)/minPartBytes))
	return parseWith(path, raw, cfg, parts, false)
}

// parseWith is parse with the number of parts the scanner splits the rows
// into, or with reference set, encoding/csv for every file.
func parseWith(path string, raw []byte, cfg *config.Config, parts int, reference bool) (*dataset.Table, *parsed, error) {
	spec := &cfg.Data
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

	lay, err := readLayout(path, r, cfg)
	if err != nil {
		return nil, nil, err
	}
	var rows *rowSet
	if reference || bytes.IndexByte(body, '"') >= 0 {
		rows, err = readRowsCSV(path, r, spec, lay)
	} else {
		// Without quotes a record is a line, so the scanner starts where
		// the header ended.
		rows, err = scanRows(path, body[r.InputOffset():], spec, lay, parts)
	}
	if err != nil {
		return nil, nil, err
	}
	return finish(path, spec, lay, rows, trailing)
}

// layout is what the header or data.columns and the data section say
// about the columns.
type layout struct {
	columns   []string
	labelName string
	label     int   // raw column index of the label
	feats     []int // raw column index of each feature
	dataLine  int   // line of the first data row
}

// readLayout reads the header from r when the format has one and resolves
// the label and feature columns. The experiment's data.label,
// data.features and data.units must name columns of the header (which
// config.Parse could not check) or of data.columns (which it did); a
// mistake is the *config.Error of cfg.CheckColumns.
func readLayout(path string, r *csv.Reader, cfg *config.Config) (*layout, error) {
	spec := &cfg.Data
	lay := &layout{columns: spec.Columns, dataLine: 1}
	if spec.Format == config.FormatHeader {
		head, err := r.Read()
		if err != nil {
			return nil, csvError(path, err)
		}
		lay.columns = make([]string, len(head))
		for i, h := range head {
			lay.columns[i] = strings.TrimSpace(h)
			if lay.columns[i] == "" {
				return nil, fmt.Errorf("%s:1: column %d has an empty name", path, i+1)
			}
			if slices.Contains(lay.columns[:i], lay.columns[i]) {
				return nil, fmt.Errorf("%s:1: column %d: name %q appears twice", path, i+1, lay.columns[i])
			}
		}
		if len(lay.columns) < 2 {
			return nil, fmt.Errorf("%s:1: %d column, want a label and at least one feature", path, len(lay.columns))
		}
		lay.dataLine = 2
	}
	columns := lay.columns
	if err := cfg.CheckColumns(columns); err != nil {
		return nil, err
	}

	// CheckColumns has made sure every name below is a column.
	lay.labelName = spec.Label
	if lay.labelName == "" {
		lay.labelName = columns[len(columns)-1]
	}
	lay.label = slices.Index(columns, lay.labelName)
	if len(spec.Features) > 0 {
		for _, f := range spec.Features {
			lay.feats = append(lay.feats, slices.Index(columns, f))
		}
	} else {
		for i := range columns {
			if i != lay.label {
				lay.feats = append(lay.feats, i)
			}
		}
	}
	return lay, nil
}

func (lay *layout) featureNames() []string {
	names := make([]string, len(lay.feats))
	for i, c := range lay.feats {
		names[i] = lay.columns[c]
	}
	return names
}

// rowSet is the rows read from the file: X is (len(Y), features)
// row-major, and Y[i] indexes names, the distinct labels.
type rowSet struct {
	X     []float32
	Y     []int
	names []string
}

// readRowsCSV reads the data rows with encoding/csv and strconv. It is the
// reference for scanRows and reads every file that holds a double quote.
func readRowsCSV(path string, r *csv.Reader, spec *config.Data, lay *layout) (*rowSet, error) {
	columns, label, feats := lay.columns, lay.label, lay.feats
	rows := &rowSet{}
	ids := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(columns) {
			return nil, fieldCountError(path, line, len(rec), columns)
		}
		for _, c := range feats {
			s := strings.TrimSpace(rec[c])
			x, err := strconv.ParseFloat(s, 32)
			if msg := numberProblem(s, x, err); msg != "" {
				return nil, fmt.Errorf("%s:%d: column %d (%s): %s", path, line, c+1, columns[c], msg)
			}
			rows.X = append(rows.X, float32(x))
		}
		l := strings.TrimSpace(rec[label])
		if l == "" {
			return nil, fmt.Errorf("%s:%d: column %d (%s): empty label", path, line, label+1, lay.labelName)
		}
		if len(spec.Classes) > 0 && !slices.Contains(spec.Classes, l) {
			return nil, unknownLabelError(path, line, lay, l, spec.Classes)
		}
		id, ok := ids[l]
		if !ok {
			id = len(rows.names)
			ids[l] = id
			rows.names = append(rows.names, l)
		}
		rows.Y = append(rows.Y, id)
	}
	return rows, nil
}

// numberProblem says what is wrong with the feature text s, which
// strconv.ParseFloat(s, 32) turned into x and err, or returns "".
//
// A feature is a decimal number as a spreadsheet writes one (see
// isDecimal). strconv also takes Go's syntax, hexadecimal floats such as
// 0x1p-2 and digits split by underscores such as 1_000; those are not
// numbers here. Its infinities and NaN, in any case and with any sign,
// are reported as not finite rather than not a number.
func numberProblem(s string, x float64, err error) string {
	switch {
	case err == nil && (math.IsNaN(x) || math.IsInf(x, 0)):
		return fmt.Sprintf("%q is not finite", s)
	case err != nil && !errors.Is(err, strconv.ErrRange), !isDecimal(s):
		return fmt.Sprintf("%q is not a number", s)
	case err != nil:
		return fmt.Sprintf("%q is outside the float32 range", s)
	}
	return ""
}

// isDecimal reports whether s is a decimal number:
//
//	[+-] digits [. [digits]] [(e|E) [+-] digits]
//	[+-] . digits [(e|E) [+-] digits]
//
// where digits is one or more of 0-9, so 1, -0.5, +.5, 5., 1e5 and
// 1E+05 are numbers, and . and 1e are not. decimalPrefix reads a subset.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i]-'0' <= 9; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i]-'0' <= 9; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for ; i < len(s) && s[i]-'0' <= 9; i++ {
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

func fieldCountError(path string, line, fields int, columns []string) error {
	return fmt.Errorf("%s:%d: %d fields, want %d (%s)", path, line, fields, len(columns), strings.Join(columns, ","))
}

func unknownLabelError(path string, line int, lay *layout, l string, classes []string) error {
	return fmt.Errorf("%s:%d: column %d (%s): unknown label %q; data.classes allows %q",
		path, line, lay.label+1, lay.labelName, l, classes)
}

// scanRows reads data, the data rows of a file without double quotes,
// where every record is one line and no line is blank. It gives what
// readRowsCSV gives; parts goroutines each read a run of whole lines, and
// the first error in file order is returned.
func scanRows(path string, data []byte, spec *config.Data, lay *layout, parts int) (*rowSet, error) {
	// Cut data into parts at line starts; a part holds rows [row, end).
	type part struct {
		data     []byte
		row, end int
		names    []string // the part's distinct labels, when data.classes is not given
		err      error
	}
	ps := make([]part, 0, max(1, parts))
	start, row := 0, 0
	for p := 1; p <= max(1, parts); p++ {
		end := len(data)
		if p < parts {
			end = max(start, len(data)*p/parts)
			if i := bytes.IndexByte(data[end:], '\n'); i >= 0 {
				end += i + 1
			} else {
				end = len(data)
			}
		}
		p := part{data: data[start:end], row: row, end: row + countLines(data[start:end])}
		ps = append(ps, p)
		start, row = end, p.end
	}
	n := row
	nf := len(lay.feats)
	rows := &rowSet{X: make([]float32, n*nf), Y: make([]int, n)}

	var classIDs map[string]int // each class's first index in data.classes
	if len(spec.Classes) > 0 {
		classIDs = make(map[string]int, len(spec.Classes))
		for i, c := range slices.Backward(spec.Classes) {
			classIDs[c] = i
		}
	}
	var wg sync.WaitGroup
	for i := range ps {
		p := &ps[i]
		wg.Go(func() {
			sc := scanner{path: path, lay: lay, classes: spec.Classes, classIDs: classIDs}
			p.names, p.err = sc.scan(p.data, lay.dataLine+p.row, rows.X[p.row*nf:], rows.Y[p.row:])
		})
	}
	wg.Wait()

	if len(spec.Classes) > 0 {
		rows.names = spec.Classes
	}
	ids := map[string]int{}
	for _, p := range ps {
		if p.err != nil {
			return nil, p.err
		}
		if len(spec.Classes) > 0 {
			continue
		}
		// Number the parts' labels in order of first appearance in the file.
		local := make([]int, len(p.names))
		for j, name := range p.names {
			id, ok := ids[name]
			if !ok {
				id = len(rows.names)
				ids[name] = id
				rows.names = append(rows.names, name)
			}
			local[j] = id
		}
		for r := p.row; r < p.end; r++ {
			rows.Y[r] = local[rows.Y[r]]
		}
	}
	return rows, nil
}

// countLines returns the number of lines in data, the last of which may
// lack its line end.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// scanner reads the lines of one part.
type scanner struct {
	path     string
	lay      *layout
	classes  []string       // data.classes, or nil
	classIDs map[string]int // index of each of data.classes
	ids      map[string]int // index into names of each label seen, without data.classes
	names    []string
	ends     []int // where each field of the current line ends
}

// scan reads the lines of data, the first of which is line line of the
// file, into x (rows, features) and y. y holds indexes into data.classes,
// or without it, into the returned distinct labels of this part.
func (sc *scanner) scan(data []byte, line int, x []float32, y []int) ([]string, error) {
	lay := sc.lay
	nf := len(lay.feats)
	sc.ids = map[string]int{}
	sc.ends = make([]int, 0, len(lay.columns))
	featAt := make([]int, len(lay.columns)) // index in feats of each column, or -1
	for c := range featAt {
		featAt[c] = -1
	}
	quick := true // false when a column is a feature twice
	for j, c := range lay.feats {
		quick = quick && featAt[c] < 0
		featAt[c] = j
	}
	for row := 0; len(data) > 0; row, line = row+1, line+1 {
		var text []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			text, data = data[:i], data[i+1:]
		} else {
			text, data = data, nil
		}
		xs := x[row*nf : (row+1)*nf]
		var l []byte
		if quick {
			l = sc.quickLine(text, featAt, xs)
		}
		if l == nil {
			var err error
			if l, err = sc.line(text, line, xs); err != nil {
				return nil, err
			}
		}
		if sc.classIDs != nil {
			id, ok := sc.classIDs[string(l)]
			if !ok {
				return nil, unknownLabelError(sc.path, line, lay, string(l), sc.classes)
			}
			y[row] = id
			continue
		}
		id, ok := sc.ids[string(l)]
		if !ok {
			id = len(sc.names)
			sc.ids[string(l)] = id
			sc.names = append(sc.names, string(l))
		}
		y[row] = id
	}
	return sc.names, nil
}

// quickLine reads the line text in one pass when it is the usual kind:
// every feature a plain decimal (see decimalPrefix) with no white space
// around it, and the right number of fields. It stores the features in
// xs and returns the trimmed label, or nil for any other line, which
// sc.line then reads (and reports on).
func (sc *scanner) quickLine(text []byte, featAt []int, xs []float32) []byte {
	var label []byte
	pos := 0
	last := len(featAt) - 1
	for c, j := range featAt {
		end := 0
		if j >= 0 {
			v, n, ok := decimalPrefix(text[pos:])
			if !ok {
				return nil
			}
			xs[j] = v
			end = pos + n
		} else if i := bytes.IndexByte(text[pos:], ','); i >= 0 {
			end = pos + i
		} else {
			end = len(text)
		}
		if c == sc.lay.label {
			label = trimSpace(text[pos:end])
		}
		switch {
		case c < last && (end >= len(text) || text[end] != ','):
			return nil
		case c == last && end != len(text):
			return nil
		}
		pos = end + 1
	}
	if len(label) == 0 {
		return nil
	}
	return label
}

// line reads the line text, line line of the file, splitting it at every
// comma: it stores the features in xs and returns the trimmed label, or
// the first problem in column order, as readRowsCSV reports it.
func (sc *scanner) line(text []byte, line int, xs []float32) ([]byte, error) {
	lay := sc.lay
	ends := sc.ends[:0]
	for i, c := range text {
		if c == ',' {
			ends = append(ends, i)
		}
	}
	ends = append(ends, len(text))
	sc.ends = ends
	if len(ends) != len(lay.columns) {
		return nil, fieldCountError(sc.path, line, len(ends), lay.columns)
	}
	field := func(c int) []byte {
		if c == 0 {
			return text[:ends[0]]
		}
		return text[ends[c-1]+1 : ends[c]]
	}
	for j, c := range lay.feats {
		f := field(c)
		v, ok := parseDecimal32(trimSpace(f))
		if !ok {
			// Everything the fast path does not take, valid or not,
			// goes through strconv exactly as readRowsCSV does.
			s := strings.TrimSpace(string(f))
			x, err := strconv.ParseFloat(s, 32)
			if msg := numberProblem(s, x, err); msg != "" {
				return nil, fmt.Errorf("%s:%d: column %d (%s): %s", sc.path, line, c+1, lay.columns[c], msg)
			}
			v = float32(x)
		}
		xs[j] = v
	}
	l := trimSpace(field(lay.label))
	if len(l) == 0 {
		return nil, fmt.Errorf("%s:%d: column %d (%s): empty label", sc.path, line, lay.label+1, lay.labelName)
	}
	return l, nil
}

// trimSpace is bytes.TrimSpace (the same as strings.TrimSpace) with a
// quick return for the usual field that starts and ends with a printable
// ASCII byte.
func trimSpace(b []byte) []byte {
	if len(b) > 0 && b[0] > ' ' && b[0] < 0x80 && b[len(b)-1] > ' ' && b[len(b)-1] < 0x80 {
		return b
	}
	return bytes.TrimSpace(b)
}

// pow10f32 holds the powers of ten that are exact in binary32.
var pow10f32 = [...]float32{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10}

// parseDecimal32 returns what strconv.ParseFloat(s, 32) returns, as a
// float32, for the common decimal forms it handles, and false for anything
// else (which the caller hands to strconv); see decimalPrefix.
func parseDecimal32(s []byte) (float32, bool) {
	v, n, ok := decimalPrefix(s)
	return v, ok && n == len(s)
}

// decimalPrefix reads a number at the start of s and returns its value
// and length. It takes [+-]digits[.digits] with an optional exponent
// [eE][+-]digits, at most 18 digits before the exponent, that make an
// integer m below 2^24 and a value m * 10^e with |e| <= 10: then m and
// 10^|e| are exact binary32 values, and the one multiplication or division,
// which IEEE 754 rounds correctly, gives what strconv.ParseFloat(text, 32)
// gives, as strconv's own exact path (atof32exact) does. Anything else is
// false, and the caller asks strconv.
func decimalPrefix(s []byte) (float32, int, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var m uint64
	start := i
	for ; i < len(s) && s[i]-'0' <= 9; i++ {
		m = m*10 + uint64(s[i]-'0')
	}
	digits, exp := i-start, 0
	if i < len(s) && s[i] == '.' {
		i++
		frac := i
		for ; i < len(s) && s[i]-'0' <= 9; i++ {
			m = m*10 + uint64(s[i]-'0')
		}
		digits += i - frac
		exp = frac - i
	}
	if digits == 0 || digits > 18 { // 18 digits cannot overflow m
		return 0, 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		e, estart := 0, i
		for ; i < len(s) && s[i]-'0' <= 9; i++ {
			if e < 10000 {
				e = e*10 + int(s[i]-'0')
			}
		}
		if i == estart {
			return 0, 0, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if m >= 1<<24 || exp < -10 || exp > 10 {
		return 0, 0, false
	}
	f := float32(m)
	if exp < 0 {
		f = float32(f / pow10f32[-exp])
	} else if exp > 0 {
		f = float32(f * pow10f32[exp])
	}
	if neg {
		f = -f
	}
	return f, i, true
}

// finish checks the classes and builds the table and schema from rows.
func finish(path string, spec *config.Data, lay *layout, rows *rowSet, trailing int) (*dataset.Table, *parsed, error) {
	n := len(rows.Y)
	if n == 0 {
		return nil, nil, fmt.Errorf("%s: no data rows after line %d", path, lay.dataLine-1)
	}
	classes := spec.Classes
	if len(classes) == 0 {
		classes = slices.Sorted(slices.Values(rows.names))
	}
	class := make([]int, len(rows.names)) // class index of each of rows.names
	for i, name := range rows.names {
		class[i] = slices.Index(classes, name)
	}
	counts := make([]int, len(classes))
	t := &dataset.Table{Features: lay.featureNames(), X: rows.X, Y: rows.Y, Rows: make([]int, n)}
	for i, id := range t.Y {
		t.Rows[i] = i
		t.Y[i] = class[id]
		counts[t.Y[i]]++
	}
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("%s: every row has the label %q; a classifier needs at least 2 classes", path, classes[0])
	}
	s := &parsed{TrailingBlankLines: trailing}
	s.Format = spec.Format
	s.Label = lay.labelName
	s.Rows = n
	for i, name := range classes {
		if counts[i] == 0 {
			return nil, nil, fmt.Errorf("%s: class %q from data.classes has no rows", path, name)
		}
		s.Classes = append(s.Classes, dataset.Class{Name: name, Count: counts[i]})
	}
	nf := len(lay.feats)
	lo, hi := slices.Clone(t.X[:nf]), slices.Clone(t.X[:nf])
	for i := nf; i < len(t.X); i += nf {
		for j, x := range t.X[i : i+nf] {
			lo[j], hi[j] = min(lo[j], x), max(hi[j], x)
		}
	}
	for j, c := range lay.feats {
		s.Features = append(s.Features, dataset.Feature{Name: lay.columns[c], Unit: spec.Units[lay.columns[c]],
			Column: c, Min: artifact.Float32(lo[j]), Max: artifact.Float32(hi[j])})
	}
	return t, s, nil
}

// trimBlankLines returns text without its trailing blank lines (lines that
// hold only white space, such as spaces, tabs or a carriage return) and
// how many it removed. A blank line before the last non-blank one is an
// error: in a data file it usually means rows were lost or two files were
// joined.
func trimBlankLines(path string, text []byte) ([]byte, int, error) {
	end := 0        // end of the last non-blank line, with its line end
	firstBlank := 0 // 1-based line of the first blank line after it, or 0
	rest := text
	for line := 1; len(rest) > 0; line++ {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l = rest[:i+1]
		}
		rest = rest[len(l):]
		if !isBlank(l) {
			if firstBlank > 0 {
				return nil, 0, fmt.Errorf("%s:%d: blank line between data rows (only trailing blank lines are allowed)", path, firstBlank)
			}
			end = len(text) - len(rest)
		} else if firstBlank == 0 {
			firstBlank = line
		}
		if end == len(text)-len(rest) {
			firstBlank = 0
		}
	}
	return text[:end], bytes.Count(text[end:], []byte{'\n'}), nil
}

// isBlank reports whether line holds only white space; most lines start
// with a printable ASCII byte and say so at once.
func isBlank(line []byte) bool {
	if len(line) > 0 && line[0] > ' ' && line[0] < 0x80 {
		return false
	}
	return len(bytes.TrimSpace(line)) == 0
}

// csvError prefixes path, line and column to an encoding/csv error.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %w", path, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}
