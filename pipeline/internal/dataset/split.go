package dataset

import (
	"fmt"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
)

// Partition names, in the order the files list them.
const (
	Train      = "train"
	Validation = "validation"
	Test       = "test"
)

// Partitions lists the partition names in order.
var Partitions = []string{Train, Validation, Test}

// MemberHeader is split.csv's header.
var MemberHeader = []string{"row", "partition", "fold"}

// Member is one row of split.csv: a data row's partition and fold. Fold is
// in [0, k) for train and validation rows when the experiment asks for k
// folds, and -1 otherwise (always -1 for test rows).
type Member struct {
	Row       int    `csv:"row"`
	Partition string `csv:"partition"`
	Fold      int    `csv:"fold"`
}

// ReadSplit reads split.csv and checks that it lists rows 0 to rows-1 in
// order, each with a known partition and a fold in [-1, folds).
func ReadSplit(path string, rows int) ([]Member, error) {
	ms, err := artifact.ReadRecords[Member](path, MemberHeader)
	if err != nil {
		return nil, err
	}
	if len(ms) != rows {
		return nil, fmt.Errorf("%s: %d rows, but the data set has %d", path, len(ms), rows)
	}
	folds := 0
	for _, m := range ms {
		folds = max(folds, m.Fold+1)
	}
	for i, m := range ms {
		line := i + 2
		switch {
		case m.Row != i:
			return nil, fmt.Errorf("%s:%d: row is %d, want %d", path, line, m.Row, i)
		case m.Partition != Train && m.Partition != Validation && m.Partition != Test:
			return nil, fmt.Errorf("%s:%d: partition %q is not train, validation or test", path, line, m.Partition)
		case m.Fold < -1 || (m.Partition == Test && m.Fold != -1) || (folds > 0 && m.Partition != Test && m.Fold < 0):
			return nil, fmt.Errorf("%s:%d: fold %d does not fit partition %s", path, line, m.Fold, m.Partition)
		}
	}
	return ms, nil
}

// Positions returns, for each partition name, the rows that belong to it in
// ascending order.
func Positions(ms []Member) map[string][]int {
	out := make(map[string][]int, len(Partitions))
	for _, m := range ms {
		out[m.Partition] = append(out[m.Partition], m.Row)
	}
	return out
}
