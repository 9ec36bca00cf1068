// Package report turns an experiment's results into what a researcher reads:
// metrics (and their JSON file), SVG plots, the Markdown report page, the
// cross-experiment README table and the side-by-side comparison of two
// experiments.
//
// Everything here is deterministic: the same inputs give the same bytes.
// Values that reach a file are computed with nn/mathx, never math.Log; JSON
// floats are the shortest decimal that round-trips and NaN or infinities
// are rejected; Markdown rounds for people (4 decimals) but JSON never
// does; plots use fixed colours, tick positions computed with exact
// decimal arithmetic, and no embedded fonts, timestamps or random ids.
//
// The evaluate stage needs few calls: Evaluate per partition and
// Metrics.SetResults, WriteMetrics, the Plot functions, and WritePage;
// the README table is WriteIndex (rows from Metrics.Summary) and
// `make compare` is Compare (settings from Flatten).
package report
