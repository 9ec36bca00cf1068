package artifact

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// SeedHeader is the header of the results across training seeds.
var SeedHeader = []string{"repeat", "seed", "accuracy", "log_loss", "macro_f1"}

// Seed is one row of artifacts/NAME/seeds.csv: the result on the test rows
// of one of the networks the train stage trains when the experiment sets
// training.repeats = n >= 2, all on the same training rows and normaliser,
// each from its own seed. Repeat 0 is the main network (network.finf).
// The file has only its header when the experiment trains one network.
type Seed struct {
	Repeat   int     `csv:"repeat"`   // 0-based; 0 is the main network
	Seed     uint64  `csv:"seed"`     // the seed of the network's generator (config.RepeatSeed)
	Accuracy Float64 `csv:"accuracy"` // on the test rows
	LogLoss  Float64 `csv:"log_loss"` // mean cross-entropy, clipped as in metrics.json
	MacroF1  Float64 `csv:"macro_f1"`
}

// WriteSeeds writes the rows of seeds.csv; with none, just the header
// (gocsv writes nothing at all for an empty slice).
func WriteSeeds(w io.Writer, seeds []Seed) error {
	if len(seeds) == 0 {
		_, err := io.WriteString(w, strings.Join(SeedHeader, ",")+"\n")
		return err
	}
	return WriteRecords(w, seeds)
}

// ReadSeeds reads seeds.csv and checks that the repeats count up from 0,
// that no two share a seed, that accuracy and macro F1 are in [0, 1] and
// that log loss is finite and not negative. Errors name the file and line.
func ReadSeeds(path string) ([]Seed, error) {
	seeds, err := ReadRecords[Seed](path, SeedHeader)
	if err != nil {
		return nil, err
	}
	first := make(map[uint64]int, len(seeds))
	for i, s := range seeds {
		line := i + 2
		if s.Repeat != i {
			return nil, fmt.Errorf("%s:%d: repeat is %d, want %d", path, line, s.Repeat, i)
		}
		if j, ok := first[s.Seed]; ok {
			return nil, fmt.Errorf("%s:%d: seed %d is also the seed of repeat %d", path, line, s.Seed, j)
		}
		first[s.Seed] = i
		for _, v := range []struct {
			name string
			x    float64
			ok   bool
			want string
		}{
			{"accuracy", float64(s.Accuracy), s.Accuracy >= 0 && s.Accuracy <= 1, "in [0, 1]"},
			{"log_loss", float64(s.LogLoss), s.LogLoss >= 0 && !math.IsInf(float64(s.LogLoss), 1), "that is finite and >= 0"},
			{"macro_f1", float64(s.MacroF1), s.MacroF1 >= 0 && s.MacroF1 <= 1, "in [0, 1]"},
		} {
			if !v.ok {
				return nil, fmt.Errorf("%s:%d: %s is %s, want a value %s", path, line, v.name, Float64(v.x), v.want)
			}
		}
	}
	return seeds, nil
}
