package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"

	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/stage"
)

const usage = `
Usage: ingest -config EXPERIMENT.toml -out-data DATA.csv -out-schema SCHEMA.json

Ingest reads the raw CSV file named by the experiment's [data] section
(data.path, relative to the experiment file), checks every row and writes
the typed data set and its schema. The raw file is never modified.

The file is comma separated, with LF or CRLF line ends and an optional
UTF-8 byte order mark; format "header" takes the column names from the
first row, format "uci" from data.columns. Blank lines at the end of the
file are ignored; a blank line between data rows is an error. Every row
must have one field per column, every feature must be a finite decimal
number ([+-]digits[.digits][(e|E)[+-]digits], such as -1.5, .5, 5. or
1E+05; not 1_000, 0x1p-2, inf or nan), and every label must be one of
data.classes when that list is given. The data set needs at least two
classes. data.label, data.features and data.units must name columns of a
"header" file's first row.

Errors name the file, the line and the column. Exit status: 0 success,
1 bad data or I/O error, 2 bad command line or experiment file.

Example:
  ingest -config experiments/baseline.toml \
    -out-data data/processed/baseline/data.csv \
    -out-schema data/processed/baseline/schema.json
`

func run(args []string, stdout, stderr io.Writer) error {
	fs := stage.Flags("ingest", usage, stderr)
	cfgPath := fs.String("config", "", "experiment `file`")
	outData := fs.String("out-data", "", "output data set `file` (CSV)")
	outSchema := fs.String("out-schema", "", "output schema `file` (JSON)")
	if err := stage.Parse(fs, args, "config", "out-data", "out-schema"); err != nil {
		return err
	}
	cfg, err := stage.LoadConfig(*cfgPath)
	if err != nil {
		return err
	}
	log := stage.Logger(stderr, stage.Verbose(fs))

	path := cfg.DataPath()
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	table, schema, err := parse(path, raw, cfg)
	if err != nil {
		return err
	}
	// Only the header row tells whether report.regions fits a "header"
	// file: check it now rather than after training, in evaluate.
	if _, err := cfg.RegionFeatures(table.Features); err != nil {
		return err
	}
	schema.Source = filepath.Base(path)
	schema.SHA256 = hex.EncodeToString(sum[:])
	schema.Bytes = len(raw)
	if schema.TrailingBlankLines > 0 {
		log.Info("ignored blank lines at the end of the file", "file", path, "lines", schema.TrailingBlankLines)
	}
	err = artifact.WriteFiles(
		artifact.File{Path: *outData, Write: func(w io.Writer) error { return dataset.WriteTable(w, table) }},
		artifact.File{Path: *outSchema, Write: func(w io.Writer) error { return artifact.WriteJSON(w, &schema.Schema) }},
	)
	if err != nil {
		return err
	}
	log.Info("ingested", "experiment", cfg.Name, "file", path, "rows", table.Len(),
		"features", len(table.Features), "classes", len(schema.Classes), "sha256", schema.SHA256)
	return nil
}
