// Command normalize fits z-score statistics on the training rows and writes
// them with the normalised partitions. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("normalize", run) }
