// Command ingest reads an experiment's raw CSV file, validates every row and
// writes the typed data set and its schema. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("ingest", run) }
