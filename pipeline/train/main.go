// Command train trains an experiment's network on the normalised training
// rows and writes it with a per-epoch log. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("train", run) }
