// Command blobs writes the Gaussian-blobs benchmark data set of issue 7 as
// a CSV file, bit for bit the same on every machine. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("blobs", run) }
