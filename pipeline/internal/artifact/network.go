package artifact

import (
	"fmt"
	"os"

	"github.com/ferrum-ml/ferrum/finf"
	"github.com/ferrum-ml/ferrum/nn"
)

// ReadNetwork reads the train stage's network file (artifacts/NAME/
// network.finf: FINF v2 without a normaliser) and checks that it maps
// features inputs to classes outputs. Errors name the file and, for a
// malformed file, the byte offset.
func ReadNetwork(path string, features, classes int) (*nn.Sequential[float32], error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fm, err := finf.Read(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(fm.Mean) > 0 {
		return nil, fmt.Errorf("%s: the file has a normaliser; want the train stage's network, which has none", path)
	}
	s, _, err := nn.FromFINF(fm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.InWidth() != features || s.OutWidth() != classes {
		return nil, fmt.Errorf("%s: the network maps %d inputs to %d outputs; the data set has %d features and %d classes",
			path, s.InWidth(), s.OutWidth(), features, classes)
	}
	return s, nil
}
