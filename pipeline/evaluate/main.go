// Command evaluate measures a trained network on every partition and
// writes the experiment's metrics. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("evaluate", run) }
