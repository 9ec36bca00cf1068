package nn

// relu sets dst = max(x, 0) the way the reference loop does: x where
// x > 0, else +0 (so -0 and NaN give +0). dst and x have the same length;
// dst may alias x.
//
//	dst[i] = x[i] > 0 ? x[i] : 0
func relu[T Float](dst, x []T) {
	if d32, ok := any(dst).([]float32); ok {
		reluF32(d32, any(x).([]float32))
		return
	}
	reluGo(dst, x)
}

// reluBackward sets dx = dy where x > 0, else +0. dx, dy and x have the
// same length; dx may alias dy.
//
//	dx[i] = x[i] > 0 ? dy[i] : 0
func reluBackward[T Float](dx, dy, x []T) {
	if d32, ok := any(dx).([]float32); ok {
		reluBackwardF32(d32, any(dy).([]float32), any(x).([]float32))
		return
	}
	reluBackwardGo(dx, dy, x)
}

// reluGo is the reference loop of relu.
func reluGo[T Float](dst, x []T) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v > 0 {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// reluBackwardGo is the reference loop of reluBackward.
func reluBackwardGo[T Float](dx, dy, x []T) {
	dx = dx[:len(dy)]
	x = x[:len(dy)]
	for i, g := range dy {
		if x[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = 0
		}
	}
}
