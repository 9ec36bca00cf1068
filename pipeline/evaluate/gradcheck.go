package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ferrum-ml/ferrum/nn"
	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/dataset"
	"github.com/ferrum-ml/ferrum/pipeline/internal/report"
)

// The gradient check's settings. The step trades round-off against the
// ReLU kinks: the numeric gradient's error is mostly round-off in the
// loss, about 2^-53 |L| / eps per evaluation (up to 1e-9 for the 64-64-10
// digits network at 1e-6), while truncation (eps^2 |L”'| / 6, 1e-13) is
// negligible; but a step moves a pre-activation by about eps times an
// input, and once that reaches the nearest ReLU kink the central
// difference is no derivative at all. Measured on these experiments: at
// 1e-4 the trained digits and wine networks fail at kinks 5e-5 and 2e-5
// from zero; at 1e-6 every check passes and the nearest kink is 20 steps
// away or more.
const (
	gradEps       = 1e-6
	gradThreshold = 1e-6
	gradRows      = 16
)

// kinkReach is the distance from zero below which a ReLU pre-activation
// could be moved across the kink by a step of gradEps on some weight
// (inputs and hidden values here are rarely beyond 100 in magnitude).
const kinkReach = 100 * gradEps

// gradCheck is one network's check: its rows, and the smallest |input|
// of any ReLU on the sample (NaN without a ReLU).
type gradCheck struct {
	stage  string
	rows   []nn.GradCheckRow
	margin float64
}

// gradResults is the check of the initial and the trained network.
type gradResults struct {
	sample []int // the data-set rows checked
	checks []gradCheck
}

// gradChecks runs nn.GradCheck, in float64, on the first gradRows
// training rows for the network exactly as train initialises it
// (nn.NewMLP[float32] from the experiment's training seed, then
// converted) and for the trained network.
func gradChecks(in *inputs, netPath string) (*gradResults, error) {
	act, err := nn.ParseActivation(in.cfg.Model.Activation)
	if err != nil {
		return nil, fmt.Errorf("%s: model.activation: %w", in.cfg.File, err)
	}
	sizes := in.cfg.Sizes(len(in.schema.Features), len(in.schema.Classes))
	initial, err := nn.NewMLP[float32](sizes, act, rng.New(in.cfg.TrainSeed()))
	if err != nil {
		return nil, fmt.Errorf("build the network %v: %w", sizes, err)
	}
	if got, want := shape(in.model), shape(initial); got != want {
		return nil, fmt.Errorf("%s: the network is %s but %s describes %s; train it again", netPath, got, in.cfg.File, want)
	}

	train := in.parts[dataset.Train]
	n := min(gradRows, train.Len())
	w := len(train.Features)
	x := make([]float64, n*w)
	for i, v := range train.X[:n*w] {
		x[i] = float64(v)
	}
	y := train.Y[:n]
	out := &gradResults{sample: train.Rows[:n]}
	for _, c := range []struct {
		stage string
		net   *nn.Sequential[float32]
	}{{"initialisation", initial}, {"after training", in.model}} {
		s := nn.Convert[float64](c.net)
		rows, err := nn.GradCheck(s, x, y, gradEps)
		if err != nil {
			return nil, fmt.Errorf("gradient check at %s: %w", c.stage, err)
		}
		margin, err := reluMargin(s, x, n, w)
		if err != nil {
			return nil, fmt.Errorf("gradient check at %s: %w", c.stage, err)
		}
		out.checks = append(out.checks, gradCheck{stage: c.stage, rows: rows, margin: margin})
	}
	return out, nil
}

// shape returns the network's layer widths and activations, e.g.
// "4-32 relu-3 softmax".
func shape(s *nn.Sequential[float32]) string {
	var b strings.Builder
	for _, l := range s.Layers {
		switch l := l.(type) {
		case *nn.Linear[float32]:
			if b.Len() == 0 {
				b.WriteString(strconv.Itoa(l.In))
			}
			b.WriteString("-" + strconv.Itoa(l.Out))
		case *nn.Act[float32]:
			b.WriteString(" " + l.Kind.String())
		}
	}
	return b.String()
}

// reluMargin returns the smallest |value| entering any ReLU of s on the
// rows x, (rows, in), or NaN if s has no ReLU.
func reluMargin(s *nn.Sequential[float64], x []float64, rows, in int) (float64, error) {
	margin := math.NaN()
	for i, l := range s.Layers {
		if a, ok := l.(*nn.Act[float64]); !ok || a.Kind != nn.ReLU {
			continue
		}
		t, err := nn.FromData(x, rows, in)
		if err != nil {
			return 0, err
		}
		z, err := (&nn.Sequential[float64]{Layers: s.Layers[:i]}).Forward(t)
		if err != nil {
			return 0, err
		}
		for _, v := range z.Data {
			if math.IsNaN(margin) || math.Abs(v) < margin {
				margin = math.Abs(v)
			}
		}
	}
	return margin, nil
}

// passes reports whether a row is within the threshold (NaN fails).
func passes(r nn.GradCheckRow) bool { return r.MaxRelErr <= gradThreshold }

// page returns the checks for the report page.
func (g *gradResults) page() []report.GradCheck {
	out := make([]report.GradCheck, len(g.checks))
	for i, c := range g.checks {
		out[i] = report.GradCheck{Stage: c.stage, Threshold: gradThreshold, Rows: c.rows}
	}
	return out
}

// note returns the paragraph under the page's gradient-check table: how
// the check ran and, for a failure, its likely cause.
func (g *gradResults) note() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Central differences with step %s in float64 on the first %d training rows (normalised), "+
		"for the network as `train` initialises it (re-created from the experiment's seed) and for the trained network. "+
		"The numeric gradient's error is mostly round-off in the loss, about 1e-16 · |L| / step per evaluation; "+
		"a larger step would lower it but reach the ReLU kinks below. Machine-readable: [gradcheck.json](gradcheck.json).",
		sci(gradEps), len(g.sample))
	var margins []string
	for _, c := range g.checks {
		if !math.IsNaN(c.margin) {
			margins = append(margins, fmt.Sprintf("%s %s", sci(c.margin), when(c.stage)))
		}
	}
	if len(margins) > 0 {
		fmt.Fprintf(&b, "\n\nReLU has a kink at 0, where the central difference of a pre-activation within about "+
			"one step of 0 straddles the kink and disagrees with the one-sided analytic gradient. "+
			"The smallest |pre-activation| entering a ReLU on these rows is %s.", strings.Join(margins, " and "))
	}
	for _, c := range g.checks {
		var failed []string
		for _, r := range c.rows {
			if !passes(r) {
				failed = append(failed, r.Name)
			}
		}
		if len(failed) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n\n**%s, %d of %d tensors fail** (%s). ", capital(when(c.stage)), len(failed), len(c.rows), strings.Join(failed, "; "))
		if !math.IsNaN(c.margin) && c.margin < kinkReach {
			fmt.Fprintf(&b, "A pre-activation lies %s from a ReLU kink, within reach of the step, so the numeric "+
				"gradient there is not the derivative: the failure is most likely the check's, not the gradient's.", sci(c.margin))
		} else {
			b.WriteString("No ReLU input is within reach of the step, so the analytic gradient itself disagrees with the " +
				"numeric one: treat this as a bug in the engine's backward pass.")
		}
	}
	return b.String()
}

// when returns "at initialisation" or "after training".
func when(stage string) string {
	if strings.HasPrefix(stage, "after ") {
		return stage
	}
	return "at " + stage
}

// capital returns s with its first letter upper case (ASCII).
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// sci writes x to 3 significant digits, e.g. 1.00e-06.
func sci(x float64) string { return strconv.FormatFloat(x, 'e', 2, 64) }

// gradCheckFile is gradcheck.json.
type gradCheckFile struct {
	Eps       report.Float `json:"eps"`
	Threshold report.Float `json:"threshold"`
	// Floor is nn.GradCheckFloor: relative error is
	// |analytic - numeric| / max(|analytic|, |numeric|, floor).
	Floor report.Float `json:"floor"`
	// Rows are the data-set rows (data.csv indices) checked: the first
	// training rows.
	Rows   []int          `json:"rows"`
	Checks []gradCheckRun `json:"checks"`
}

// gradCheckRun is one network's check.
type gradCheckRun struct {
	Network string `json:"network"` // "initialisation" or "after training"
	// ReLUMargin is the smallest |value| entering a ReLU on the rows;
	// absent without a ReLU.
	ReLUMargin *report.Float    `json:"relu_margin,omitempty"`
	Pass       bool             `json:"pass"`
	Tensors    []gradCheckTable `json:"tensors"`
}

// gradCheckTable is one parameter tensor's row.
type gradCheckTable struct {
	Tensor      string       `json:"tensor"`
	Entries     int          `json:"entries"`
	MaxAbsError report.Float `json:"max_abs_error"`
	MaxRelError report.Float `json:"max_rel_error"`
	// Analytic and Numeric are the gradient entry at the largest relative
	// error.
	Analytic report.Float `json:"analytic"`
	Numeric  report.Float `json:"numeric"`
	Pass     bool         `json:"pass"`
}

// file returns gradcheck.json's contents.
func (g *gradResults) file() *gradCheckFile {
	f := &gradCheckFile{Eps: gradEps, Threshold: gradThreshold, Floor: nn.GradCheckFloor, Rows: g.sample}
	for _, c := range g.checks {
		run := gradCheckRun{Network: c.stage, Pass: true}
		if !math.IsNaN(c.margin) {
			m := report.Float(c.margin)
			run.ReLUMargin = &m
		}
		for _, r := range c.rows {
			run.Tensors = append(run.Tensors, gradCheckTable{Tensor: r.Name, Entries: r.Size,
				MaxAbsError: report.Float(r.MaxAbsErr), MaxRelError: report.Float(r.MaxRelErr),
				Analytic: report.Float(r.Analytic), Numeric: report.Float(r.Numeric), Pass: passes(r)})
			run.Pass = run.Pass && passes(r)
		}
		f.Checks = append(f.Checks, run)
	}
	return f
}
