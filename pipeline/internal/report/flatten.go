package report

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Setting is one flattened configuration key and its value as TOML-like
// text, e.g. {"optimizer.lr", "0.05"} or {"model.hidden", "[32]"}.
type Setting struct {
	Key   string
	Value string
}

// Flatten returns the fields of the struct v (or pointer to one) as
// dotted keys in declaration order: names come from the toml tag, else
// the json tag, else the field name; fields tagged "-" and unexported
// fields are skipped; nested structs add their key as a prefix. Floats
// are written as the shortest round-trip decimal, strings quoted, lists
// as [a, b], maps as {k = v} in sorted key order, so the result is
// deterministic. A nil pointer yields no settings.
func Flatten(v any) []Setting {
	var out []Setting
	flatten(&out, "", reflect.ValueOf(v))
	return out
}

func flatten(out *[]Setting, prefix string, v reflect.Value) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		*out = append(*out, Setting{Key: prefix, Value: valueText(v)})
		return
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		for _, tag := range []string{"toml", "json"} {
			if s, ok := f.Tag.Lookup(tag); ok {
				name, _, _ = strings.Cut(s, ",")
				break
			}
		}
		if name == "-" {
			continue
		}
		if prefix != "" {
			name = prefix + "." + name
		}
		flatten(out, name, v.Field(i))
	}
}

// valueText returns v as TOML-like text.
func valueText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return strconv.FormatFloat(v.Float(), 'g', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice, reflect.Array:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = valueText(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Map:
		type kv struct{ k, v string }
		var kvs []kv
		for it := v.MapRange(); it.Next(); {
			k := it.Key()
			ks := fmt.Sprint(k.Interface())
			kvs = append(kvs, kv{ks, valueText(it.Value())})
		}
		slices.SortFunc(kvs, func(a, b kv) int { return strings.Compare(a.k, b.k) })
		parts := make([]string, len(kvs))
		for i, p := range kvs {
			parts[i] = p.k + " = " + p.v
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "none"
		}
		return valueText(v.Elem())
	}
	return fmt.Sprint(v.Interface())
}

// Value is one flattened metric for Compare.
type Value struct {
	Key   string
	Value float64
}

// Values returns the metrics as flat keys, in a fixed order: sizes,
// accuracy and log loss per partition, test macro F1 and per-class
// scores, then the repeats' spreads, keyed by what they are across:
// "seeds.accuracy.mean" (test rows) or "folds.accuracy.mean" (held-out
// train and validation rows), so that a comparison never sets the one
// against the other.
func (m *Metrics) Values() []Value {
	v := []Value{
		{"parameters", float64(m.Parameters)},
		{"model_bytes", float64(m.ModelBytes)},
		{"epochs", float64(m.Epochs)},
	}
	for _, p := range []struct {
		name string
		part Partitions
	}{{"accuracy", m.Accuracy}, {"log_loss", m.LogLoss}} {
		v = append(v, Value{p.name + ".train", float64(p.part.Train)},
			Value{p.name + ".validation", float64(p.part.Validation)},
			Value{p.name + ".test", float64(p.part.Test)},
			Value{p.name + ".all", float64(p.part.All)})
	}
	v = append(v, Value{"test.macro_f1", float64(m.Test.MacroF1)})
	for _, c := range m.Test.PerClass {
		v = append(v, Value{"test." + c.Class + ".precision", float64(c.Precision)},
			Value{"test." + c.Class + ".recall", float64(c.Recall)},
			Value{"test." + c.Class + ".f1", float64(c.F1)})
	}
	if r := m.Repeats; r != nil {
		for _, s := range []struct {
			name string
			sp   Spread
		}{{"accuracy", r.Accuracy}, {"log_loss", r.LogLoss}, {"macro_f1", r.MacroF1}} {
			v = append(v, Value{r.Over + "." + s.name + ".mean", float64(s.sp.Mean)},
				Value{r.Over + "." + s.name + ".std", float64(s.sp.Std)})
		}
	}
	return v
}
