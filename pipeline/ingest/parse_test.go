package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ferrum-ml/ferrum/nn/rng"
	"github.com/ferrum-ml/ferrum/pipeline/internal/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specs are data sections the parser tests read files with.
var specs = map[string]config.Data{
	"uci":      {Format: config.FormatUCI, Columns: []string{"a", "b", "c"}},
	"uci mid":  {Format: config.FormatUCI, Columns: []string{"a", "b", "c"}, Label: "b", Features: []string{"c", "a"}},
	"header":   {Format: config.FormatHeader},
	"classes":  {Format: config.FormatHeader, Classes: []string{"y", "x", "z", "x"}},
	"label a":  {Format: config.FormatHeader, Label: "a", Units: map[string]string{"c": "cm"}},
	"features": {Format: config.FormatHeader, Features: []string{"b"}},
}

// sameParse requires the scanner, split into parts parts, and the
// encoding/csv reference to accept or reject raw alike: the same error
// text, or the same table (bit for bit) and schema.
func sameParse(t *testing.T, raw []byte, spec *config.Data, parts int) {
	t.Helper()
	cfg := &config.Config{File: "e.toml", Data: *spec}
	wantT, wantS, wantErr := parseWith("f.csv", raw, cfg, 1, true)
	gotT, gotS, gotErr := parseWith("f.csv", raw, cfg, parts, false)
	if wantErr != nil {
		require.Error(t, gotErr, "reference rejects %q: %v", raw, wantErr)
		require.Equal(t, wantErr.Error(), gotErr.Error(), "input %q", raw)
		return
	}
	require.NoError(t, gotErr, "reference accepts %q", raw)
	require.Equal(t, wantS, gotS, "input %q", raw)
	require.Equal(t, wantT.Features, gotT.Features)
	require.Equal(t, wantT.Rows, gotT.Rows)
	require.Equal(t, wantT.Y, gotT.Y)
	require.Equal(t, bits(wantT.X), bits(gotT.X), "input %q", raw)
}

func bits(x []float32) []uint32 {
	b := make([]uint32, len(x))
	for i, v := range x {
		b[i] = math.Float32bits(v)
	}
	return b
}

// parseCases are files the scanner must read exactly as encoding/csv does:
// line ends, white space, odd numbers, every kind of error.
var parseCases = []string{
	"a,b,c\n1,2,x\n3,4,y\n",
	"a,b,c\r\n1,2,x\r\n3,4,y\r\n",
	"\ufeffa,b,c\n1,2,x\n3,4,y",
	"a,b,c\n1,2,x\n3,4,y\r",
	"a,b,c\n1,2,x\n3,4,y\n\n \r\n\t\n",
	"a,b,c\n1,2,x\n\n3,4,y\n",
	"a,b,c\n 1 ,\t2\t, x \n3 , 4,y \r\n",
	"a,b,c\n\u00a01\u00a0,2\u2003,\u0085x\n3,4,y\n",
	"a,b,c\n1,2,x\n3,4\n",
	"a,b,c\n1,2,x\n3,4,y,\n",
	"a,b,c\n1,2,x\n3,4,,\n",
	"a,b,c\n1,2,\n3,4,y\n",
	"a,b,c\n1,2, \t\n3,4,y\n",
	"a,b,c\n-0,+0,x\n.5,5.,y\n1e3,1E-3,x\n0.000001,1e-45,y\n",
	"a,b,c\n3.4028235e38,3.4028236e38,x\n1e39,1,y\n",
	"a,b,c\n1e-46,1,x\n2,3,y\n",
	"a,b,c\n0x1p-2,1_0,x\n2,3,y\n",
	"a,b,c\n0x1p-2,2,x\n0X1P+3,3,y\n",
	"a,b,c\nInf,1,x\n2,3,y\n",
	"a,b,c\n1,-infinity,x\n2,3,y\n",
	"a,b,c\nnan,1,x\n2,3,y\n",
	"a,b,c\n.,1,x\n2,3,y\n",
	"a,b,c\n1e,1,x\n2,3,y\n",
	"a,b,c\n1e+,1,x\n2,3,y\n",
	"a,b,c\n--1,1,x\n2,3,y\n",
	"a,b,c\n1..2,1,x\n2,3,y\n",
	"a,b,c\n12345678901234567890123,0.1234567890123456789,x\n16777217,16777216,y\n",
	"a,b,c\n1.00000000000000000000001,1e-10,x\n1e10,1e11,y\n",
	"a,b,c\n0e999,0e-999,x\n1e99999999999999999999,2,y\n",
	"a,b,c\n1\r2,3,x\n4,5,y\n",
	"a,b,c\n1,2,x\ry\n3,4,y\n",
	"a,b,c\n1,2,x\n3,4,\xff\n5,6,x\n",
	"a,b,c\n\xff1,2,x\n3,4,y\n",
	"a,b,c\n1,2,\"x\"\n3,4,y\n",
	"a,b,c\n1,2,\"x\n,y\"\n3,4,z\n",
	"a,b,c\n1,2\"3,x\n3,4,y\n",
	"a,b,c\n1,2,x\n3,4,x\n",
	"a,b,c\n1,2,x\n3,4,q\n",
	"a,b,c\n",
	"a,b,c",
	"a,b\n1,x\n2,y\n",
	"a,a,c\n1,2,x\n",
	"a,,c\n1,2,x\n",
	"a\n1\n",
	"x,y,z\n1,2,3\n",
	"",
	"\n \n",
	"\r\n",
	"1,2,x\n3,4,y\n",
	"1,2,x\n3,4,z\n5,6,y\n7,8,x\n",
	"#a,b,c\n1,2,x\n3,4,y\n",
	// A number in the last column, for the one-pass line reader.
	"a,b,c\r\n1,x,2\r\n3,y,4\r\n",
	"a,b,c\n1,x,2 \n3,y,4\n",
	"a,b,c\n1,x,2,\n3,y,4\n",
	"a,b,c\n1,x,2e\n3,y,4\n",
	"a,b,c\n1,x,-2.5e-3\n+3.,y,.4E+1\n",
	"a,b,c\n1,x,2,y\n3,y,4\n",
	"a,b,c\n1,,2\n3,y,4\n",
	"a,b,c\n1, x ,2\n3,y,4\n",
	"a,b,c\n1x,y,2\n3,y,4\n",
	"a,b,c\n1.5.5,y,2\n3,y,4\n",
	"a,b,c\n1,y\n3,y,4\n",
	"a,b,c\n1\n3,y,4\n",
	"a,b,c\n0000000000000000000001,y,2\n3,y,4\n",
	// Go syntax strconv takes but a CSV number is not; the spellings of
	// infinity and NaN; the decimal forms a spreadsheet writes.
	"a,b,c\n1_000,2,x\n3,4,y\n",
	"a,b,c\n1,x,1_000\n3,y,4\n",
	"a,b,c\n1,x,0x1p-2\n3,y,4\n",
	"a,b,c\n0x1.8p1,x,2\n3,y,4\n",
	"a,b,c\n-0X10P0,x,2\n3,y,4\n",
	"a,b,c\n0x1p999,x,2\n3,y,4\n",
	"a,b,c\n0x_1p0,x,2\n3,y,4\n",
	"a,b,c\n0b101,x,2\n3,y,4\n",
	"a,b,c\n0o17,x,2\n3,y,4\n",
	"a,b,c\n1__0,x,2\n3,y,4\n",
	"a,b,c\n\"1_0\",x,2\n3,y,4\n",
	"a,b,c\n+Inf,x,2\n3,y,4\n",
	"a,b,c\n1,x,infinity\n3,y,4\n",
	"a,b,c\n-INFINITY,x,2\n3,y,4\n",
	"a,b,c\n1,x,NaN\n3,y,4\n",
	"a,b,c\n+nan,x,2\n3,y,4\n",
	"a,b,c\n+.5,x,-.5e+1\n5.,y,1E+05\n",
	"a,b,c\n+1.5E-05,x,007\n-5.e2,y,1e05\n",
}

func TestParseMatchesReference(t *testing.T) {
	for name, spec := range specs {
		for i, raw := range parseCases {
			for _, parts := range []int{1, 2, 3, 7} {
				t.Run(fmt.Sprintf("%s/%d/parts=%d", name, i, parts), func(t *testing.T) {
					sameParse(t, []byte(raw), &spec, parts)
				})
			}
		}
	}
}

// A larger generated file, cut into parts at awkward places, with one bad
// value moved through it: the scanner reports the first bad line in file
// order, as the reference does.
func TestParsePartsFirstError(t *testing.T) {
	r := rng.New(7)
	var b strings.Builder
	b.WriteString("a,b,c\n")
	for i := range 500 {
		fmt.Fprintf(&b, "%s,%s,%c\n",
			strconv.FormatFloat(float64(float32(r.Normal()*100)), 'g', -1, 32),
			strconv.FormatFloat(float64(r.Normal()), 'g', 4, 64), 'x'+byte(i%3))
	}
	good := b.String()
	spec := specs["header"]
	for _, parts := range []int{1, 2, 3, 7, 33} {
		sameParse(t, []byte(good), &spec, parts)
		for _, at := range []int{10, 2000, 5000, len(good) - 20} {
			bad := []byte(good)
			bad[at] = '?'
			sameParse(t, bad, &spec, parts)
			// Two bad lines, one in each half: the earlier is named.
			bad[len(good)-at] = '!'
			sameParse(t, bad, &spec, parts)
		}
	}
}

// FuzzParse checks that the scanner and the encoding/csv reference accept
// and reject the same files, with the same messages and the same bits.
func FuzzParse(f *testing.F) {
	for _, raw := range parseCases {
		f.Add([]byte(raw), uint8(0), uint8(2))
	}
	f.Add([]byte(pipetestRaw()), uint8(1), uint8(3))
	names := []string{"uci", "uci mid", "header", "classes", "label a", "features"}
	f.Fuzz(func(t *testing.T, raw []byte, which, parts uint8) {
		spec := specs[names[int(which)%len(names)]]
		sameParse(t, raw, &spec, 1+int(parts)%8)
	})
}

func pipetestRaw() string {
	return "1.0,3.9,a\n1.1,3.8,a\n3.0,2.9,b\n3.1,2.8,b\n5.0,1.9,c\n"
}

// decimalCases are texts for parseDecimal32; those it declines (ok false)
// must be the ones its rules exclude.
var decimalCases = []struct {
	s  string
	ok bool
}{
	{"0", true}, {"-0", true}, {"+0", true}, {"1", true}, {"-4.0876", true}, {"8.01", true},
	{".5", true}, {"5.", true}, {"0.0001", true}, {"1e10", true}, {"1e-10", true}, {"16777215", true},
	{"0.1", true}, {"1.17549435e-7", false}, {"3.4028235e38", false}, {"16777216", false},
	{"1e11", false}, {"1e-11", false}, {"12345678901234567890", false}, {"1.5000000000", false},
	{"", false}, {".", false}, {"-", false}, {"e5", false}, {"1e", false}, {"1e+", false},
	{"0x10", false}, {"1_0", false}, {"Inf", false}, {"nan", false}, {" 1", false}, {"1 ", false},
	{"0.00000000001", false}, {"1E+05", true}, {"99999.99", true}, {"-1677721.5", true},
}

func TestParseDecimal32(t *testing.T) {
	for _, tc := range decimalCases {
		t.Run(tc.s, func(t *testing.T) {
			got, ok := parseDecimal32([]byte(tc.s))
			assert.Equal(t, tc.ok, ok)
			if ok {
				assert.True(t, isDecimal(tc.s), "the fast path takes a text that is not a decimal number")
				want, err := strconv.ParseFloat(tc.s, 32)
				require.NoError(t, err)
				assert.Equal(t, math.Float32bits(float32(want)), math.Float32bits(got))
			}
		})
	}
}

// Every value the fast path takes is strconv's, bit for bit: a sweep of
// significands with every exponent it accepts, written several ways.
func TestParseDecimal32Sweep(t *testing.T) {
	r := rng.New(1)
	checked := 0
	for n := 0; n < 200000; n++ {
		var m uint64
		switch n % 4 {
		case 0:
			m = uint64(n)
		case 1:
			m = 1<<24 - 1 - uint64(n)
		default:
			m = r.Uint64() >> (40 + r.Intn(24))
		}
		e := r.Intn(21) - 10
		for _, s := range []string{
			strconv.FormatUint(m, 10) + "e" + strconv.Itoa(e),
			decimalText(m, e),
			"-" + decimalText(m, e),
		} {
			got, ok := parseDecimal32([]byte(s))
			if !ok {
				continue
			}
			want, err := strconv.ParseFloat(s, 32)
			require.NoError(t, err, s)
			require.Equal(t, math.Float32bits(float32(want)), math.Float32bits(got), s)
			require.True(t, isDecimal(s), s)
			checked++
		}
	}
	assert.Greater(t, checked, 400000)
}

// decimalText writes m * 10^e with a decimal point and no exponent.
func decimalText(m uint64, e int) string {
	s := strconv.FormatUint(m, 10)
	if e >= 0 {
		return s + strings.Repeat("0", e)
	}
	if len(s) <= -e {
		s = strings.Repeat("0", -e-len(s)+1) + s
	}
	return s[:len(s)+e] + "." + s[len(s)+e:]
}

// FuzzParseDecimal32: wherever the fast path answers, strconv agrees.
func FuzzParseDecimal32(f *testing.F) {
	for _, tc := range decimalCases {
		f.Add(tc.s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDecimal32([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 32)
		require.NoError(t, err, "%q", s)
		require.Equal(t, math.Float32bits(float32(want)), math.Float32bits(got), "%q", s)
		require.True(t, isDecimal(s), "the fast path takes %q, which is not a decimal number", s)
	})
}

// isDecimalCases are texts for isDecimal: the decimal forms a spreadsheet
// writes are numbers; Go's hexadecimal floats and underscores, the
// spellings of infinity and NaN, and broken forms are not.
var isDecimalCases = []struct {
	s    string
	want bool
}{
	{"0", true}, {"-0", true}, {"+0", true}, {"1", true}, {"007", true}, {"-4.0876", true},
	{".5", true}, {"+.5", true}, {"-.5", true}, {"5.", true}, {"-5.", true}, {"1e5", true}, {"1E+05", true},
	{"1e-05", true}, {"5.e2", true}, {".5E-1", true}, {"1e99999999999999999999", true},
	{"12345678901234567890123.5", true},
	{"", false}, {"+", false}, {"-", false}, {".", false}, {"+.", false}, {"e5", false}, {".e5", false},
	{"1e", false}, {"1e+", false}, {"1e-", false}, {"1e5.5", false}, {"1.2.3", false}, {"--1", false},
	{"+-1", false}, {"1-", false}, {" 1", false}, {"1 ", false}, {"1,5", false},
	{"1_000", false}, {"1__0", false}, {"_1", false}, {"1_", false}, {"1_0.5", false}, {"1e1_0", false},
	{"0x10", false}, {"0X10", false}, {"0x1p-2", false}, {"0X1P+3", false}, {"-0x1.8p1", false},
	{"0x_1p0", false}, {"0b101", false}, {"0o17", false},
	{"Inf", false}, {"+Inf", false}, {"-inf", false}, {"infinity", false}, {"INFINITY", false},
	{"NaN", false}, {"nan", false}, {"+nan", false},
}

func TestIsDecimal(t *testing.T) {
	for _, tc := range isDecimalCases {
		t.Run(tc.s, func(t *testing.T) {
			assert.Equal(t, tc.want, isDecimal(tc.s))
			if tc.want {
				// Every decimal number is one strconv reads.
				_, err := strconv.ParseFloat(tc.s, 32)
				if err != nil {
					assert.ErrorIs(t, err, strconv.ErrRange)
				}
			}
		})
	}
}

// FuzzIsDecimal: strconv reads every decimal number (or finds it out of
// range), and whatever strconv reads that is not one holds an x, an
// underscore or spells infinity or NaN.
func FuzzIsDecimal(f *testing.F) {
	for _, tc := range isDecimalCases {
		f.Add(tc.s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := strconv.ParseFloat(s, 32)
		if isDecimal(s) {
			if err != nil {
				require.ErrorIs(t, err, strconv.ErrRange, "%q", s)
			}
			return
		}
		if err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
			require.True(t, strings.ContainsAny(s, "xX_"), "strconv reads %q, which is not a decimal number", s)
		}
	})
}

// A generated blobs file gives the same table through the reference and
// the scanner in 1, 2 and 3 parts.
func TestParseBlobs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the blobs generator")
	}
	path, _ := blobsFile(t, t.TempDir(), 3000)
	cfg, err := config.Load(path)
	require.NoError(t, err)
	raw, err := os.ReadFile(cfg.DataPath())
	require.NoError(t, err)
	for _, parts := range []int{1, 2, 3} {
		sameParse(t, raw, &cfg.Data, parts)
	}
}
