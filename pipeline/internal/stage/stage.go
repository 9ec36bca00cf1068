// Package stage is the plumbing every stage binary shares: flag parsing
// with usage text, loading the experiment, logging, and mapping an error to
// the exit status (0 success, 1 data or runtime error, 2 usage or config
// error).
package stage

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
)

// UsageError is a bad command line or an experiment file that cannot be
// used: exit status 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// ExitCode returns the exit status for the error run returned.
func ExitCode(err error) int {
	var ue *UsageError
	var ce *config.Error
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue), errors.As(err, &ce):
		return 2
	default:
		return 1
	}
}

// Main runs run with the process's arguments and streams, prints a failure
// as one "name: message" line (each joined error on its own line), and
// exits with ExitCode. Only main calls it, after which nothing runs.
func Main(name string, run func(args []string, stdout, stderr io.Writer) error) {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "%s: %s\n", name, strings.ReplaceAll(err.Error(), "\n", "\n"+name+": "))
	}
	os.Exit(ExitCode(err))
}

// Flags returns a flag set for the stage name whose -h prints usage (a
// synopsis, a description and examples, each a block of text) followed by
// the flags' defaults to stderr.
func Flags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("v", false, "verbose: log what the stage read and wrote")
	fs.Usage = func() {
		fmt.Fprint(stderr, strings.TrimLeft(usage, "\n"))
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args and checks that every flag in required was given a
// non-empty value and that there are no positional arguments. A bad
// command line is a *UsageError; -h is flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q; every input and output is a flag (see -h)", fs.Arg(0))
	}
	var missing []string
	for _, name := range required {
		if f := fs.Lookup(name); f == nil || f.Value.String() == "" {
			missing = append(missing, "-"+name)
		}
	}
	if len(missing) > 0 {
		return Usagef("missing %s (see -h)", strings.Join(missing, ", "))
	}
	return nil
}

// Verbose reports whether -v was given.
func Verbose(fs *flag.FlagSet) bool {
	f := fs.Lookup("v")
	return f != nil && f.Value.String() == "true"
}

// LoadConfig loads the experiment file; any failure, including a missing
// file, is a usage or config error (exit status 2).
func LoadConfig(path string) (*config.Config, error) {
	c, err := config.Load(path)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			return nil, err
		}
		return nil, &UsageError{Err: fmt.Errorf("experiment file: %w", err)}
	}
	return c, nil
}

// Logger returns a text logger to stderr without timestamps, so that two
// runs log the same lines. It logs info records only when verbose, and
// warnings and errors always.
func Logger(stderr io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}
