// Package pipeline_test runs the whole pipeline through the Makefile, the
// way a person does, in throw-away copies of the repository.
package pipeline_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outputDirs are the folders whose every file the pipeline writes.
var outputDirs = []string{"data/processed", "artifacts", "reports", "web/dist"}

// skipped are the folders not copied: generated outputs (so each copy starts
// from clean) and version control.
var skipped = []string{".git", "bin", "data/processed", "artifacts", "reports", "web/dist"}

// TestPipelineReproducible runs `make all` from clean in two copies of the
// repository and requires every output file to be byte-identical; then it
// checks that Make re-runs exactly what a change requires.
func TestPipelineReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline twice; skipped with -short")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)

	a, b := copyRepo(t, root), copyRepo(t, root)
	start := time.Now()
	makeIn(t, a, "-j2", "all")
	t.Logf("make -j2 all from clean: %v", time.Since(start).Round(time.Millisecond))
	makeIn(t, b, "-j2", "all")
	sumsA, sumsB := outputSums(t, a), outputSums(t, b)
	require.NotEmpty(t, sumsA)
	assert.Equal(t, sumsA, sumsB, "two runs from clean differ")
	for _, name := range []string{"baseline", "digits", "wine", "breast_cancer"} {
		for _, f := range []string{"data/processed/" + name + "/data.csv", "artifacts/" + name + "/seeds.csv", "artifacts/" + name + "/model.finf",
			"artifacts/" + name + "/site/site.json", "artifacts/" + name + "/site/model.wasm",
			"reports/" + name + "/metrics.json", "reports/" + name + "/README.md", "reports/" + name + "/regions.svg",
			"reports/" + name + "/gradcheck.json"} {
			assert.Contains(t, sumsA, f)
		}
	}

	// web/dist is the baseline's site, file for file.
	for path, sum := range sumsA {
		if name, ok := strings.CutPrefix(path, "artifacts/baseline/site/"); ok {
			assert.Equal(t, sum, sumsA["web/dist/"+name], "web/dist/%s", name)
		}
	}
	for path := range sumsA {
		if name, ok := strings.CutPrefix(path, "web/dist/"); ok {
			assert.Contains(t, sumsA, "artifacts/baseline/site/"+name)
		}
	}

	for _, f := range []string{"reports/README.md", "reports/compare_iris.svg", "reports/compare_digits.svg"} {
		assert.Contains(t, sumsA, f)
	}

	// Nothing changed: nothing to do.
	makeQuestion(t, a, true)

	// Touching one experiment re-runs all of its stages and the index, and
	// nothing else.
	now := time.Now()
	require.NoError(t, os.Chtimes(filepath.Join(a, "experiments", "iris_tanh.toml"), now, now))
	makeQuestion(t, a, false)
	steps := stageSteps(makeIn(t, a, "all"))
	assert.Equal(t, []string{"EVALUATE iris_tanh", "INDEX reports/README.md", "INGEST iris_tanh", "NORMALIZE iris_tanh", "PACKAGE iris_tanh",
		"SPLIT iris_tanh", "TRAIN iris_tanh"}, steps)
	makeQuestion(t, a, true)

	// Editing the train stage's source rebuilds it and re-runs train and
	// what follows it, for every experiment, and publishes the new site.
	src := filepath.Join(a, "pipeline", "train", "run.go")
	f, err := os.OpenFile(src, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\n// an edit\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	steps = stageSteps(makeIn(t, a, "all"))
	experiments, err := filepath.Glob(filepath.Join(a, "experiments", "*.toml"))
	require.NoError(t, err)
	var want []string
	for _, e := range experiments {
		name := strings.TrimSuffix(filepath.Base(e), ".toml")
		want = append(want, "EVALUATE "+name, "PACKAGE "+name, "TRAIN "+name)
	}
	want = append(want, "GO "+"bin/train", "INDEX reports/README.md", "SITE web/dist")
	slices.Sort(want)
	assert.Equal(t, want, steps)
	makeQuestion(t, a, true)

	// The name of the published experiment is a prerequisite of web/dist:
	// publishing another one replaces it, and a plain make all (PUBLISH
	// defaults to baseline) puts the baseline's site back, once.
	assert.Equal(t, []string{"SITE web/dist"}, stageSteps(makeIn(t, a, "site", "PUBLISH=iris_adam")))
	assertPublished(t, a, "iris_adam")
	makeQuestion(t, a, false)
	assert.Equal(t, []string{"SITE web/dist"}, stageSteps(makeIn(t, a, "all")))
	assertPublished(t, a, "baseline")
	makeQuestion(t, a, true)
	assert.Equal(t, []string{"SITE web/dist"}, stageSteps(makeIn(t, a, "EXP=iris_adam")))
	assertPublished(t, a, "iris_adam")
	assert.Empty(t, stageSteps(makeIn(t, a, "EXP=iris_adam")))
	assert.Equal(t, []string{"SITE web/dist"}, stageSteps(makeIn(t, a, "all")))
	assertPublished(t, a, "baseline")

	// reproduce-check first compares the files under reports/ with the
	// manifest's reports/ paths and names every extra and missing file
	// (it fails there, before its long rerun). The manifest here lists
	// exactly what make all wrote.
	manifest := filepath.Join(a, "reports", "MANIFEST.sha256")
	require.NoError(t, os.WriteFile(manifest, []byte(reportsManifest(sumsA)), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(a, "reports", "old_exp"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(a, "reports", "old_exp", "README.md"), []byte("left over\n"), 0o644))
	gone := filepath.Join(a, "reports", "wine", "loss.svg")
	lossSVG, err := os.ReadFile(gone)
	require.NoError(t, err)
	require.NoError(t, os.Remove(gone))
	_, stderr, err := runMake(a, "reproduce-check")
	require.Error(t, err, "reproduce-check passed with an extra and a missing file in reports/")
	assert.Contains(t, stderr, "in reports/ but not in reports/MANIFEST.sha256")
	assert.Contains(t, stderr, "  reports/old_exp/README.md\n")
	assert.Contains(t, stderr, "missing from reports/")
	assert.Contains(t, stderr, "  reports/wine/loss.svg\n")
	assert.NotContains(t, stderr, "reports/baseline/")
	require.NoError(t, os.WriteFile(gone, lossSVG, 0o644))
	require.NoError(t, os.RemoveAll(filepath.Join(a, "reports", "old_exp")))
	require.NoError(t, os.Remove(manifest))

	// Removing an experiment rewrites the index without it, and without
	// the comparison plot of a data set it was the last experiment of; its
	// folders stay, with a warning on every run, until make prune.
	wineTOML := filepath.Join(a, "experiments", "wine.toml")
	wine, err := os.ReadFile(wineTOML)
	require.NoError(t, err)
	require.NoError(t, os.Remove(wineTOML))
	makeQuestion(t, a, false)
	stdout, stderr, err := runMake(a, "all")
	require.NoError(t, err, "make all\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Equal(t, []string{"INDEX reports/README.md"}, stageSteps(stdout))
	assert.Contains(t, stderr, "outputs of removed experiments (no experiments/NAME.toml): wine; make prune removes them")
	index, err := os.ReadFile(filepath.Join(a, "reports", "README.md"))
	require.NoError(t, err)
	assert.NotContains(t, string(index), "wine")
	assert.Contains(t, string(index), "baseline/README.md")
	assert.NoFileExists(t, filepath.Join(a, "reports", "compare_wine.svg"))
	assert.FileExists(t, filepath.Join(a, "reports", "compare_iris.svg"))
	assert.DirExists(t, filepath.Join(a, "reports", "wine"))
	makeQuestion(t, a, true)
	assert.Equal(t, []string{"PRUNE wine"}, stageSteps(makeIn(t, a, "prune")))
	for _, dir := range []string{"reports/wine", "artifacts/wine", "data/processed/wine"} {
		assert.NoDirExists(t, filepath.Join(a, dir))
	}
	_, stderr, err = runMake(a, "--question", "all")
	assert.NoError(t, err, "make --question all after make prune")
	assert.NotContains(t, stderr, "removed experiments")

	// Adding it back runs it and rewrites the index, to the same bytes.
	require.NoError(t, os.WriteFile(wineTOML, wine, 0o644))
	makeQuestion(t, a, false)
	assert.Equal(t, []string{"EVALUATE wine", "INDEX reports/README.md", "INGEST wine", "NORMALIZE wine", "PACKAGE wine",
		"SPLIT wine", "TRAIN wine"}, stageSteps(makeIn(t, a, "all")))
	makeQuestion(t, a, true)

	// The re-run outputs are the same bytes as before.
	assert.Equal(t, sumsA, outputSums(t, a))
}

// assertPublished checks that web/dist in dir holds the site of experiment
// name, file for file.
func assertPublished(t *testing.T, dir, name string) {
	t.Helper()
	want := map[string]string{}
	got := map[string]string{}
	for path, sum := range outputSums(t, dir) {
		if f, ok := strings.CutPrefix(path, "artifacts/"+name+"/site/"); ok {
			want[f] = sum
		}
		if f, ok := strings.CutPrefix(path, "web/dist/"); ok {
			got[f] = sum
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, got, "web/dist is not the site of %s", name)
}

// reportsManifest returns manifest lines, as make manifest writes them, for
// the reports/ files among sums.
func reportsManifest(sums map[string]string) string {
	var lines []string
	for path, sum := range sums {
		if strings.HasPrefix(path, "reports/") {
			lines = append(lines, sum+"  "+path+"\n")
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "")
}

// copyRepo copies the repository's sources and raw data into a new
// temporary folder.
func copyRepo(t *testing.T, root string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if slices.Contains(skipped, filepath.ToSlash(rel)) {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(rel, ".test") {
			return nil
		}
		return copyFile(filepath.Join(dst, rel), path)
	})
	require.NoError(t, err)
	return dst
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// makeEnv is the environment without the variables an outer make (make
// test) passes down, so each run here is independent.
func makeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "MAKEFLAGS" && k != "MFLAGS" && k != "MAKELEVEL" && k != "MAKEOVERRIDES" {
			env = append(env, kv)
		}
	}
	return env
}

// runMake runs make with args in dir and returns its standard output and
// error.
func runMake(dir string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("make", append([]string{"--no-print-directory"}, args...)...)
	cmd.Dir = dir
	cmd.Env = makeEnv()
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// makeIn runs make with args in dir, requires it to succeed and returns its
// standard output.
func makeIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	stdout, stderr, err := runMake(dir, args...)
	require.NoError(t, err, "make %v in %s\nstdout:\n%s\nstderr:\n%s", args, dir, stdout, stderr)
	return stdout
}

// makeQuestion checks `make --question all`: exit status 0 when everything
// is up to date, 1 when something would run.
func makeQuestion(t *testing.T, dir string, upToDate bool) {
	t.Helper()
	cmd := exec.Command("make", "--question", "all")
	cmd.Dir = dir
	cmd.Env = makeEnv()
	err := cmd.Run()
	if upToDate {
		assert.NoError(t, err, "make --question all: something is out of date")
	} else {
		assert.Error(t, err, "make --question all: nothing is out of date")
	}
}

// stageSteps returns the "STAGE name" progress lines Make printed, sorted.
func stageSteps(out string) []string {
	var steps []string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && strings.ToUpper(f[0]) == f[0] {
			steps = append(steps, f[0]+" "+f[1])
		}
	}
	slices.Sort(steps)
	return steps
}

// outputSums returns the SHA-256 of every file under the output folders,
// keyed by slash-separated path relative to dir.
func outputSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	for _, sub := range outputDirs {
		base := filepath.Join(dir, sub)
		if _, err := os.Stat(base); os.IsNotExist(err) {
			continue
		}
		err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			sums[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
			return nil
		})
		require.NoError(t, err)
	}
	return sums
}
