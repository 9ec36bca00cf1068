package nn

import (
	"fmt"

	"github.com/ferrum-ml/ferrum/finf"
)

// ToFINF returns the FINF v2 model for s with the normaliser n (which may be
// nil for a file with no normaliser). The model shares no memory with s.
func ToFINF(s *Sequential[float32], n *Normalizer[float32]) *finf.Model {
	m := &finf.Model{}
	if n != nil {
		m.Mean = append([]float32(nil), n.Mean...)
		m.Std = append([]float32(nil), n.Std...)
	}
	for _, l := range s.Layers {
		switch l := l.(type) {
		case *Linear[float32]:
			m.Layers = append(m.Layers, finf.Layer{
				Tag: finf.TagLinear, In: l.In, Out: l.Out,
				W: append([]float32(nil), l.W...), B: append([]float32(nil), l.B...),
			})
		case *Act[float32]:
			m.Layers = append(m.Layers, finf.Layer{Tag: finf.TagActivation, Act: finf.Activation(l.Kind)})
		}
	}
	return m
}

// FromFINF returns the network and normaliser held by m; the normaliser is
// nil when m has none. The result shares no memory with m. It returns an
// error if the layers do not chain or the normaliser does not fit them.
func FromFINF(m *finf.Model) (*Sequential[float32], *Normalizer[float32], error) {
	s := &Sequential[float32]{}
	for i, l := range m.Layers {
		switch l.Tag {
		case finf.TagLinear:
			s.Layers = append(s.Layers, &Linear[float32]{
				In: l.In, Out: l.Out,
				W: append([]float32(nil), l.W...), B: append([]float32(nil), l.B...),
			})
		case finf.TagActivation:
			s.Layers = append(s.Layers, &Act[float32]{Kind: Activation(l.Act)})
		default:
			return nil, nil, fmt.Errorf("layer %d: unknown tag %d", i, l.Tag)
		}
	}
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	var n *Normalizer[float32]
	if len(m.Mean) > 0 || len(m.Std) > 0 {
		n = &Normalizer[float32]{Mean: append([]float32(nil), m.Mean...), Std: append([]float32(nil), m.Std...)}
		if len(n.Mean) != s.InWidth() || len(n.Std) != s.InWidth() {
			return nil, nil, fmt.Errorf("%w: normaliser of %d features for a model of %d inputs", ErrShape, len(n.Mean), s.InWidth())
		}
	}
	return s, n, nil
}
