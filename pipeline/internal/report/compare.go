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
// as written, metrics to 6 significant digits, changes to 4. The two
// descriptions, one sentence each, head the output on lines of their own
// rather than in the table, and a setting longer than maxCell runes is
// shortened there with "…", so the columns stay readable.
func Compare(w io.Writer, a, b Side, all bool) error {
	var buf bytes.Buffer
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
	if da, db := sa[descriptionKey], sb[descriptionKey]; da != "" || db != "" {
		dw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
		fmt.Fprintf(dw, "%s:\t%s\n%s:\t%s\n\n", a.Name, orDash(da, da != ""), b.Name, orDash(db, db != ""))
		if err := dw.Flush(); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Setting\t%s\t%s\t\n", a.Name, b.Name)
	same := 0
	for _, k := range keys {
		if k == descriptionKey {
			same++ // shown above the table
			continue
		}
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k, shorten(orDash(va, okA)), shorten(orDash(vb, okB)), mark)
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

// descriptionKey is the experiment's one-line question among the settings.
const descriptionKey = "description"

// maxCell is the widest setting value the comparison table shows whole.
const maxCell = 40

// shorten returns s, or its first maxCell-1 runes and "…" if it is longer.
func shorten(s string) string {
	r := []rune(s)
	if len(r) <= maxCell {
		return s
	}
	return string(r[:maxCell-1]) + "…"
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
