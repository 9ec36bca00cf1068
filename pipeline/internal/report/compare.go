package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Side is one experiment of a comparison: its name, its flattened
// settings (Flatten of its config) and its metrics (nil if not run yet).
type Side struct {
	Name     string
	Settings []Setting
	Metrics  *Metrics
}

// Compare writes a and b side by side, in the spirit of `dvc params diff`
// and `dvc metrics diff`: first the settings, a "*" marking each that
// differs, then the metrics with the change b - a. Keys come in a's order
// followed by those only b has; a key one side lacks shows "-". With all
// false only differing rows are printed. Values are for people: settings
// as written, metrics to 6 significant digits, changes to 4.
func Compare(w io.Writer, a, b Side, all bool) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Setting\t%s\t%s\t\n", a.Name, b.Name)
	sa, sb := map[string]string{}, map[string]string{}
	var keys []string
	for _, s := range a.Settings {
		sa[s.Key] = s.Value
		keys = append(keys, s.Key)
	}
	for _, s := range b.Settings {
		sb[s.Key] = s.Value
		if _, ok := sa[s.Key]; !ok {
			keys = append(keys, s.Key)
		}
	}
	same := 0
	for _, k := range keys {
		va, okA := sa[k]
		vb, okB := sb[k]
		mark := ""
		if va != vb || okA != okB {
			mark = "*"
		} else {
			same++
			if !all {
				continue
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k, orDash(va, okA), orDash(vb, okB), mark)
	}
	if !all && same == len(keys) {
		fmt.Fprintf(tw, "(no setting differs)\t\t\t\n")
	}
	fmt.Fprintf(tw, "\t\t\t\n")

	fmt.Fprintf(tw, "Metric\t%s\t%s\tChange\n", a.Name, b.Name)
	ma, mb := map[string]float64{}, map[string]float64{}
	keys = keys[:0]
	if a.Metrics != nil {
		for _, v := range a.Metrics.Values() {
			ma[v.Key] = v.Value
			keys = append(keys, v.Key)
		}
	}
	if b.Metrics != nil {
		for _, v := range b.Metrics.Values() {
			mb[v.Key] = v.Value
			if _, ok := ma[v.Key]; !ok {
				keys = append(keys, v.Key)
			}
		}
	}
	same = 0
	for _, k := range keys {
		va, okA := ma[k]
		vb, okB := mb[k]
		change := "-"
		if okA && okB {
			if va == vb {
				same++
				if !all {
					continue
				}
				change = "0"
			} else {
				change = strconv.FormatFloat(vb-va, 'g', 4, 64)
				if vb > va {
					change = "+" + change
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k, num(va, okA), num(vb, okB), change)
	}
	if !all && same == len(keys) {
		fmt.Fprintf(tw, "(no metric differs)\t\t\t\n")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// tabwriter pads the last cells; drop the trailing blanks.
	lines := strings.Split(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func orDash(s string, ok bool) string {
	if !ok {
		return "-"
	}
	return s
}

func num(x float64, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}
