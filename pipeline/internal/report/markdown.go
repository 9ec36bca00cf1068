package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/nn"
)

// Figure is a plot the page links to: Path is relative to the page
// (e.g. "loss.svg"), Title its alt text and caption.
type Figure struct {
	Title string
	Path  string
}

// GradCheck is the gradient check of the experiment's network at one
// point of its life (Stage, e.g. "initialisation" or "after training"):
// the rows nn.GradCheck returns and the largest relative error that
// passes.
type GradCheck struct {
	Stage     string
	Threshold float64
	Rows      []nn.GradCheckRow
}

// Page is everything on an experiment's report page, reports/NAME/README.md.
type Page struct {
	Description string
	// Settings is Flatten of the experiment's config.
	Settings []Setting
	// Features names the inputs, with units where known, e.g.
	// "petal_length (cm)".
	Features   []string
	Metrics    *Metrics
	Figures    []Figure
	GradChecks []GradCheck
	// GradCheckNote is Markdown written after the gradient-check table:
	// how the check was run (step, rows) and what explains a failure.
	GradCheckNote string
}

// WritePage writes p as GitHub-flavoured Markdown: what was run (settings,
// data set and checksum, parameter count, model size), the metrics per
// partition, the spread across folds or seeds if any, the per-class and
// confusion tables of the test rows, the figures inline, and the gradient
// check with a pass or fail per row. Numbers are rounded for people (4
// decimals; errors to 3 significant digits); metrics.json keeps every
// bit. It returns an error if p.Metrics is nil or a write fails.
func WritePage(w io.Writer, p *Page) error {
	m := p.Metrics
	if m == nil {
		return fmt.Errorf("report page: no metrics")
	}
	b := bufio.NewWriter(w)
	pf := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }

	pf("# Experiment %s\n\n", m.Experiment)
	if p.Description != "" {
		pf("> %s\n\n", cell(p.Description))
	}
	pf("Test accuracy **%s**, macro F1 **%s** on %d test rows", fixed(float64(m.Accuracy.Test)),
		fixed(float64(m.Test.MacroF1)), m.Rows.Test)
	if r := m.Repeats; r != nil {
		switch r.Over {
		case "folds":
			pf("; %d-fold cross-validation (held-out train and validation rows, not the test rows): accuracy %s, macro F1 %s",
				r.Accuracy.N, spread(r.Accuracy), spread(r.MacroF1))
		default:
			pf("; over %d %s: accuracy %s, macro F1 %s", r.Accuracy.N, r.Over, spread(r.Accuracy), spread(r.MacroF1))
		}
	}
	pf(". Machine-readable: [metrics.json](metrics.json).\n\n")

	pf("## What was run\n\n")
	pf("| | |\n|---|---|\n")
	pf("| data set | `%s`, %d rows |\n", cell(m.Dataset), m.Rows.All)
	pf("| SHA-256 | `%s` |\n", m.SHA256)
	if len(p.Features) > 0 {
		pf("| features | %s |\n", cell(strings.Join(p.Features, ", ")))
	}
	pf("| classes | %s |\n", cell(strings.Join(m.Classes, ", ")))
	pf("| rows | %d train, %d validation, %d test |\n", m.Rows.Train, m.Rows.Validation, m.Rows.Test)
	pf("| parameters | %d |\n", m.Parameters)
	pf("| model file | %d bytes (FINF v2) |\n", m.ModelBytes)
	pf("| epochs trained | %d |\n\n", m.Epochs)
	if len(p.Settings) > 0 {
		pf("Settings (experiment file, defaults filled in):\n\n| setting | value |\n|---|---|\n")
		for _, s := range p.Settings {
			pf("| %s | %s |\n", code(s.Key), code(s.Value))
		}
		pf("\n")
	}

	pf("## Results\n\n")
	pf("| | train | validation | test | all rows |\n|---|---:|---:|---:|---:|\n")
	pf("| rows | %d | %d | %d | %d |\n", m.Rows.Train, m.Rows.Validation, m.Rows.Test, m.Rows.All)
	for _, r := range []struct {
		name string
		p    Partitions
	}{{"accuracy", m.Accuracy}, {"log loss", m.LogLoss}} {
		pf("| %s | %s | %s | %s | %s |\n", r.name, fixed(float64(r.p.Train)), fixed(float64(r.p.Validation)),
			fixed(float64(r.p.Test)), fixed(float64(r.p.All)))
	}
	pf("\nTest accuracy is the headline; accuracy on all rows (which include the training rows) is there only to compare with the original article's full-data figure. Log loss is the mean cross-entropy in nats.\n\n")

	if r := m.Repeats; r != nil {
		heading := "Across " + r.Over
		if r.Over == "folds" {
			heading = "Cross-validation across folds (held-out rows)"
		}
		pf("### %s\n\n| run | accuracy | log loss | macro F1 |\n|---|---:|---:|---:|\n", heading)
		for _, run := range r.Runs {
			pf("| %s | %s | %s | %s |\n", cell(run.Name), fixed(float64(run.Accuracy)), fixed(float64(run.LogLoss)), fixed(float64(run.MacroF1)))
		}
		pf("| **mean ± std** | %s | %s | %s |\n\n", spread(r.Accuracy), spread(r.LogLoss), spread(r.MacroF1))
		if r.Over == "seeds" {
			pf("Each run is a network trained on the same training rows, with the same normaliser and settings, from its own seed "+
				"(initial weights and shuffles), and measured on the %d test rows; the first is the network this page reports. ", m.Rows.Test)
		} else {
			pf("Each run is a network trained from scratch on the other folds' train and validation rows (its own normaliser " +
				"and seed, the same settings) and measured on its fold's held-out rows. The test rows take no part, so these " +
				"are cross-validation figures, not test figures; the network this page reports is the one trained on the training rows. ")
		}
		pf("The spread is the sample standard deviation (N - 1 in the denominator) over the %d runs.\n\n", r.Accuracy.N)
	}

	pf("### Per class (test rows)\n\n| class | support | precision | recall | F1 |\n|---|---:|---:|---:|---:|\n")
	absent := 0
	for _, c := range m.Test.PerClass {
		if c.Absent {
			absent++
			pf("| %s (absent) | 0 | - | - | - |\n", cell(c.Class))
			continue
		}
		pf("| %s | %d | %s | %s | %s |\n", cell(c.Class), c.Support, fixed(float64(c.Precision)),
			fixed(float64(c.Recall)), fixed(float64(c.F1)))
	}
	pf("| **macro average** | %d | | | %s |\n\n", m.Rows.Test, fixed(float64(m.Test.MacroF1)))
	pf("Precision, recall or F1 that would divide by zero is 0 (scikit-learn's `zero_division=0`).")
	if absent > 0 {
		pf(" A class marked absent has no test rows and is never predicted; the macro average leaves it out, " +
			"as scikit-learn's `f1_score(average=\"macro\")` does.")
	}
	pf("\n\n")

	pf("### Confusion matrix (test rows)\n\nRows are the true class, columns the predicted class.\n\n| true \\ predicted |")
	for _, c := range m.Classes {
		pf(" %s |", cell(c))
	}
	pf("\n|---|%s\n", strings.Repeat("---:|", len(m.Classes)))
	for i, row := range m.Test.Confusion {
		name := ""
		if i < len(m.Classes) {
			name = m.Classes[i]
		}
		pf("| **%s** |", cell(name))
		for j, n := range row {
			if i == j {
				pf(" **%d** |", n)
			} else {
				pf(" %d |", n)
			}
		}
		pf("\n")
	}
	pf("\n")

	if len(p.Figures) > 0 {
		pf("## Plots\n\n")
		for _, f := range p.Figures {
			pf("![%s](%s)\n\n", cell(f.Title), f.Path)
		}
	}

	if len(p.GradChecks) > 0 {
		pf("## Gradient check\n\n")
		pf("The analytic gradient of the mean cross-entropy against float64 central differences, per parameter tensor. ")
		pf("Relative error is |analytic - numeric| / max(|analytic|, |numeric|, %s); a row passes when it is at most the threshold.\n\n",
			strconv.FormatFloat(nn.GradCheckFloor, 'g', -1, 64))
		pf("| network at | tensor | entries | max abs error | max rel error | threshold | result |\n|---|---|---:|---:|---:|---:|---|\n")
		for _, g := range p.GradChecks {
			for _, r := range g.Rows {
				result := "pass"
				if !(r.MaxRelErr <= g.Threshold) {
					result = "**FAIL**"
				}
				pf("| %s | %s | %d | %s | %s | %s | %s |\n", cell(g.Stage), cell(r.Name), r.Size,
					sci(r.MaxAbsErr), sci(r.MaxRelErr), sci(g.Threshold), result)
			}
		}
		pf("\n")
		if p.GradCheckNote != "" {
			pf("%s\n\n", strings.TrimRight(p.GradCheckNote, "\n"))
		}
	}
	return b.Flush()
}

// Summary is one experiment's row in the cross-experiment table.
type Summary struct {
	Experiment   string
	Dataset      string
	Architecture string // e.g. Architecture(4, []int{32}, 3, "relu")
	Optimizer    string // e.g. "sgd lr 0.05 momentum 0.9"
	Settings     string // other key settings, e.g. "200 epochs, batch 16, seed 1"
	Parameters   int
	ModelBytes   int
	// TestAccuracy is the accuracy on the test rows: the spread across
	// seeds for an experiment trained from several, or N = 1 with the one
	// network's figure (also for an experiment with folds, whose folds
	// hold out no test rows).
	TestAccuracy Spread
	// TestLogLoss is the test log loss, spread like TestAccuracy. On small
	// test sets, where many experiments score the same accuracy, it still
	// tells them apart.
	TestLogLoss Spread
	// MacroF1 is the test macro F1, the mean across seeds where there are
	// several.
	MacroF1 float64
	// CVAccuracy is the spread of the folds' held-out accuracy for an
	// experiment with folds, N = 0 otherwise. It is measured on train and
	// validation rows, so it never ranks against test figures.
	CVAccuracy Spread
	// Page is the link to the experiment's page, e.g. "baseline/README.md".
	Page string
}

// Summary returns the row of m with the sizes and scores filled in: the
// test figures, from the seeds' spread where there are repeats over seeds
// (each seed's figures are test figures), and for repeats over folds the
// main network's test figures with the folds' cross-validation accuracy
// in CVAccuracy. The caller adds Architecture, Optimizer, Settings and
// Page.
func (m *Metrics) Summary() Summary {
	s := Summary{Experiment: m.Experiment, Dataset: m.Dataset, Parameters: m.Parameters, ModelBytes: m.ModelBytes,
		TestAccuracy: Spread{Mean: m.Accuracy.Test, N: 1}, TestLogLoss: Spread{Mean: m.LogLoss.Test, N: 1},
		MacroF1: float64(m.Test.MacroF1)}
	if r := m.Repeats; r != nil {
		switch r.Over {
		case "seeds":
			s.TestAccuracy = r.Accuracy
			s.TestLogLoss = r.LogLoss
			s.MacroF1 = float64(r.MacroF1.Mean)
		case "folds":
			s.CVAccuracy = r.Accuracy
		}
	}
	return s
}

// Architecture returns the network's layer widths and hidden activation,
// "4-32-3 relu", or "4-3 softmax regression" with no hidden layer.
func Architecture(in int, hidden []int, out int, activation string) string {
	parts := []string{strconv.Itoa(in)}
	for _, h := range hidden {
		parts = append(parts, strconv.Itoa(h))
	}
	parts = append(parts, strconv.Itoa(out))
	if len(hidden) == 0 {
		return strings.Join(parts, "-") + " softmax regression"
	}
	return strings.Join(parts, "-") + " " + activation
}

// Index is reports/README.md: one row per experiment and the overlaid
// validation curves per data set.
type Index struct {
	Summaries []Summary
	Figures   []Figure
}

// WriteIndex writes the cross-experiment table, grouped by data set and
// sorted by experiment name, with the best experiment of each data set
// marked: highest mean test accuracy, then highest macro F1, then lowest
// mean test log loss, then the smallest model file, then the first name;
// only test figures take part (cross-validation accuracy has its own
// column and no say). The figures follow.
func WriteIndex(w io.Writer, ix Index) error {
	rows := slices.Clone(ix.Summaries)
	slices.SortStableFunc(rows, func(a, b Summary) int {
		return cmp.Or(strings.Compare(a.Dataset, b.Dataset), strings.Compare(a.Experiment, b.Experiment))
	})
	best := map[string]Summary{}
	better := func(a, b Summary) bool {
		if a.TestAccuracy.Mean != b.TestAccuracy.Mean {
			return a.TestAccuracy.Mean > b.TestAccuracy.Mean
		}
		if a.MacroF1 != b.MacroF1 {
			return a.MacroF1 > b.MacroF1
		}
		if a.TestLogLoss.Mean != b.TestLogLoss.Mean {
			return a.TestLogLoss.Mean < b.TestLogLoss.Mean
		}
		if a.ModelBytes != b.ModelBytes {
			return a.ModelBytes < b.ModelBytes
		}
		return a.Experiment < b.Experiment
	}
	for _, r := range rows {
		if b, ok := best[r.Dataset]; !ok || better(r, b) {
			best[r.Dataset] = r
		}
	}

	bw := bufio.NewWriter(w)
	pf := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	pf("# Experiments\n\n")
	pf("Every experiment in `experiments/`, generated by `make all`. Test accuracy, test log loss (mean cross-entropy in nats, lower is better) and macro F1 are measured on the experiment's test rows: for an experiment trained from several seeds, the mean over the seeds ± the sample standard deviation (N - 1), with the number of runs; otherwise the one network's figure. Cross-validation accuracy, for an experiment with folds, is the mean ± sample standard deviation of the folds' held-out accuracy; the folds are made of train and validation rows, never test rows, so it is no test figure and takes no part in the ranking. ★ marks the best experiment per data set by its test figures (highest test accuracy, then macro F1, then lowest test log loss, then the smaller model). `make compare A=name B=name` shows two experiments side by side.\n\n")
	pf("| experiment | data set | architecture | optimiser | settings | parameters | test accuracy | test log loss | macro F1 | cross-validation accuracy | model bytes |\n")
	pf("|---|---|---|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		name := cell(r.Experiment)
		if r.Page != "" {
			name = "[" + name + "](" + r.Page + ")"
		}
		acc := fixed(float64(r.TestAccuracy.Mean))
		if r.TestAccuracy.N > 1 {
			acc = spread(r.TestAccuracy) + " (n=" + strconv.Itoa(r.TestAccuracy.N) + ")"
		}
		loss := fixed(float64(r.TestLogLoss.Mean))
		if r.TestLogLoss.N > 1 {
			loss = spread(r.TestLogLoss)
		}
		cv := "-"
		if r.CVAccuracy.N > 0 {
			cv = spread(r.CVAccuracy) + " (" + strconv.Itoa(r.CVAccuracy.N) + " folds)"
		}
		if best[r.Dataset].Experiment == r.Experiment {
			name = "★ **" + name + "**"
			acc = "**" + acc + "**"
		}
		pf("| %s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %d |\n", name, cell(r.Dataset), cell(r.Architecture),
			cell(r.Optimizer), cell(r.Settings), r.Parameters, acc, loss, fixed(r.MacroF1), cv, r.ModelBytes)
	}
	pf("\n")
	if len(ix.Figures) > 0 {
		pf("## Validation curves\n\n")
		for _, f := range ix.Figures {
			pf("![%s](%s)\n\n", cell(f.Title), f.Path)
		}
	}
	return bw.Flush()
}

// fixed rounds x to 4 decimals for people.
func fixed(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }

// sci writes an error magnitude to 3 significant digits, e.g. 1.23e-09.
func sci(x float64) string { return strconv.FormatFloat(x, 'e', 2, 64) }

// spread writes "mean ± std" to 4 decimals.
func spread(s Spread) string { return fixed(float64(s.Mean)) + " ± " + fixed(float64(s.Std)) }

// code writes s as a code span safe inside a table cell: a backtick in s
// takes a double-backtick fence.
func code(s string) string {
	s = strings.ReplaceAll(cell(s), `\|`, "|")
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// cell makes s safe inside a Markdown table cell: pipes escaped, line
// breaks as spaces.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
