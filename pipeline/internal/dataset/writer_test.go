package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/artifact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// awkwardTable returns a table of rows rows and cols features whose
// values mix the awkward cases of the shortest float32 text: zeros of both
// signs, subnormals, the extremes, integers, exponents in and out of %e.
func awkwardTable(rows, cols int, seed uint64) *Table {
	special := []float32{0, float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, -math.MaxFloat32,
		math.MaxFloat32, 1, -1, 16777216, 1e-5, 1e-4, 123456, 1234567, 1e21, 0.1, 1.0 / 3}
	r := rng.New(seed)
	t := &Table{}
	for j := range cols {
		t.Features = append(t.Features, []string{"f", "a,b", " lead", `q"uote`, "", "x\ny"}[j%6]+fmt.Sprint(j))
	}
	for i := range rows {
		t.Rows = append(t.Rows, (i*7919)%(rows+3))
		t.Y = append(t.Y, r.Intn(11))
		for range cols {
			var x float32
			switch r.Intn(3) {
			case 0:
				x = special[r.Intn(len(special))]
			case 1:
				x = math.Float32frombits(uint32(r.Uint64() >> 32))
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					x = 2.5
				}
			default:
				x = float32(float64(int(r.Normal()*1e5)) / 1e4)
			}
			t.X = append(t.X, x)
		}
	}
	return t
}

// The chunked, concurrent writer gives the bytes of the plain
// encoding/csv one for every table shape, worker count and chunk size.
func TestWriteTableMatchesReference(t *testing.T) {
	for _, rows := range []int{0, 1, 7, 33, 129} {
		for _, cols := range []int{1, 3, 7, 64} {
			tab := awkwardTable(rows, cols, uint64(rows*100+cols))
			var want bytes.Buffer
			require.NoError(t, writeTableCSV(&want, tab))
			for _, workers := range []int{1, 2, 3, 8} {
				for _, chunkBytes := range []int{1, 100, 1000, tableChunkBytes} {
					t.Run(fmt.Sprintf("rows=%d/cols=%d/workers=%d/chunk=%d", rows, cols, workers, chunkBytes), func(t *testing.T) {
						var got bytes.Buffer
						require.NoError(t, writeTable(&got, tab, workers, chunkBytes))
						assert.Equal(t, want.String(), got.String())
					})
				}
			}
			var got bytes.Buffer
			require.NoError(t, WriteTable(&got, tab))
			assert.Equal(t, want.String(), got.String())
		}
	}
}

// The first row in order with a NaN or infinity is the one named, however
// the rows are shared out.
func TestWriteTableFirstNotFinite(t *testing.T) {
	tab := awkwardTable(40, 3, 5)
	tab.X[3*31+2] = float32(math.Inf(-1))
	tab.X[3*17+1] = float32(math.NaN())
	want := writeTableCSV(&bytes.Buffer{}, tab)
	require.Error(t, want)
	for _, workers := range []int{1, 2, 3, 8} {
		for _, chunkBytes := range []int{1, 100, tableChunkBytes} {
			err := writeTable(&bytes.Buffer{}, tab, workers, chunkBytes)
			require.Error(t, err)
			assert.Equal(t, want.Error(), err.Error())
			assert.ErrorIs(t, err, artifact.ErrNotFinite)
		}
	}
}

// failWriter fails after n writes.
type failWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *failWriter) Write(b []byte) (int, error) {
	if w.n == 0 {
		return 0, errWrite
	}
	w.n--
	return len(b), nil
}

func TestWriteTableWriteError(t *testing.T) {
	tab := awkwardTable(50, 4, 9)
	for _, workers := range []int{1, 2, 3} {
		for _, n := range []int{0, 1, 5} {
			err := writeTable(&failWriter{n: n}, tab, workers, 100)
			assert.ErrorIs(t, err, errWrite, "workers %d, fail after %d writes", workers, n)
		}
	}
}

// BenchmarkWriteTable compares the encoding/csv reference with the
// chunked writer on one and two workers, on values like the blobs file's.
func BenchmarkWriteTable(b *testing.B) {
	for _, rows := range []int{1000, 100000} {
		tab := awkwardTable(rows, 64, 1)
		for i, x := range tab.X {
			// Four decimals, as in the blobs file.
			tab.X[i] = float32(float64(int(float64(x)*1e4)%200000) / 1e4)
		}
		var want bytes.Buffer
		require.NoError(b, writeTableCSV(&want, tab))
		for _, bc := range []struct {
			name  string
			write func(*bytes.Buffer) error
		}{
			{"reference", func(w *bytes.Buffer) error { return writeTableCSV(w, tab) }},
			{"workers=1", func(w *bytes.Buffer) error { return writeTable(w, tab, 1, tableChunkBytes) }},
			{"workers=2", func(w *bytes.Buffer) error { return writeTable(w, tab, 2, tableChunkBytes) }},
		} {
			b.Run(fmt.Sprintf("rows=%d/%s", rows, bc.name), func(b *testing.B) {
				b.SetBytes(int64(want.Len()))
				b.ReportAllocs()
				var out bytes.Buffer
				for b.Loop() {
					out.Reset()
					if err := bc.write(&out); err != nil {
						b.Fatal(err)
					}
				}
				if !bytes.Equal(out.Bytes(), want.Bytes()) {
					b.Fatal("output differs from the reference")
				}
			})
		}
	}
}
