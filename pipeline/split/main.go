// Command split assigns every row of a data set to the train, validation
// or test partition, stratified by class and seeded. Run with -h for usage.
package main

import "github.com/ferrum-ml/ferrum/pipeline/internal/stage"

func main() { stage.Main("split", run) }
