// Command report writes the cross-experiment index, reports/README.md with
// one validation-curve plot per data set, or with -compare prints two
// experiments side by side. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("report", run) }
