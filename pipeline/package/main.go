// Command package writes an experiment's FINF v2 model file (network plus
// normaliser) after checking that it predicts exactly as the trained
// network does, compiles it to a standalone WebAssembly module, and builds
// the experiment's static browser site around both. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("package", run) }
