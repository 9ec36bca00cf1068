package artifact

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/gocarina/gocsv"
)

// WriteRecords writes records as CSV with a header row taken from the
// struct's csv tags, one line per record, LF line ends.
func WriteRecords[T any](w io.Writer, records []T) error {
	return gocsv.Marshal(records, w)
}

// ReadRecords reads the CSV file at path whose first row must be exactly
// header and whose every other row has one field per header column. Errors
// name the file, line and column.
func ReadRecords[T any](path string, header []string) ([]T, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	first, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file, want the header %s", path, strings.Join(header, ","))
	}
	if err != nil {
		return nil, csvError(path, err)
	}
	if !slices.Equal(first, header) {
		return nil, fmt.Errorf("%s:1: header is %q, want %q", path, strings.Join(first, ","), strings.Join(header, ","))
	}
	r = csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = len(header)
	var out []T
	if err := gocsv.UnmarshalCSV(r, &out); err != nil {
		return nil, csvError(path, err)
	}
	return out, nil
}

// csvError prefixes path (and line and column for a *csv.ParseError).
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d:%d: %w", path, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// EpochHeader is the header of the training log.
var EpochHeader = []string{"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy"}

// Epoch is one row of the training log (artifacts/NAME/train_log.csv):
// the mean cross-entropy loss and the accuracy of the network on the
// training and the validation rows after the epoch's last update.
type Epoch struct {
	Epoch         int     `csv:"epoch"` // 1-based
	TrainLoss     Float64 `csv:"train_loss"`
	TrainAccuracy Float64 `csv:"train_accuracy"`
	ValLoss       Float64 `csv:"val_loss"`
	ValAccuracy   Float64 `csv:"val_accuracy"`
}

// ReadLog reads a training log and checks that epochs count up from 1.
func ReadLog(path string) ([]Epoch, error) {
	log, err := ReadRecords[Epoch](path, EpochHeader)
	if err != nil {
		return nil, err
	}
	if len(log) == 0 {
		return nil, fmt.Errorf("%s: no epochs", path)
	}
	for i, e := range log {
		if e.Epoch != i+1 {
			return nil, fmt.Errorf("%s:%d: epoch is %d, want %d", path, i+2, e.Epoch, i+1)
		}
	}
	return log, nil
}
