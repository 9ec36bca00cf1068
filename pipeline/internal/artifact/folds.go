package artifact

import "fmt"

// FoldHeader is the header of the cross-validation results.
var FoldHeader = []string{"fold", "train_rows", "held_out_rows", "accuracy", "log_loss", "macro_f1"}

// Fold is one row of artifacts/NAME/folds.csv: the result, on the rows of
// one fold, of a network trained from scratch on the other folds'
// rows. The file has only its header when the experiment has no folds.
type Fold struct {
	Fold        int     `csv:"fold"` // 0-based
	TrainRows   int     `csv:"train_rows"`
	HeldOutRows int     `csv:"held_out_rows"`
	Accuracy    Float64 `csv:"accuracy"`
	LogLoss     Float64 `csv:"log_loss"`
	MacroF1     Float64 `csv:"macro_f1"`
}

// ReadFolds reads folds.csv and checks that the folds count up from 0.
func ReadFolds(path string) ([]Fold, error) {
	fs, err := ReadRecords[Fold](path, FoldHeader)
	if err != nil {
		return nil, err
	}
	for i, f := range fs {
		if f.Fold != i {
			return nil, fmt.Errorf("%s:%d: fold is %d, want %d", path, i+2, f.Fold, i)
		}
	}
	return fs, nil
}
