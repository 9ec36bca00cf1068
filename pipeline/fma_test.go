package pipeline_test

import (
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fused matches the fused multiply-add instructions of the architectures
// where Go may fuse x*y + z (arm64: FMADDD, FMSUBD, FNMADDD, FNMSUBD and
// their S forms; riscv64: the same names with a D or S suffix). FMAXD and
// FMIND are maximum and minimum, not fusions.
var fused = regexp.MustCompile(`\s(FMADD|FMSUB|FNMADD|FNMSUB)[DS]?\s`)

// TestNoFusedMultiplyAdd compiles every package of the module for arm64 and
// riscv64 and fails if the compiler fused a multiply and an add anywhere in
// the project's own code (DESIGN rule 2): on those machines a fused result
// is rounded once instead of twice, so outputs would differ from amd64's
// and the browser's. The cure is an explicit conversion, float64(x*y) + z.
func TestNoFusedMultiplyAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles the module twice")
	}
	for _, arch := range []string{"arm64", "riscv64"} {
		t.Run(arch, func(t *testing.T) {
			cmd := exec.Command("go", "build", "-o", "/dev/null",
				"-gcflags=github.com/ferrum-ml/ferrum/...=-S", "./...")
			cmd.Dir = ".."
			cmd.Env = append(cmd.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			places := map[string]bool{}
			for _, line := range strings.Split(string(out), "\n") {
				if fused.MatchString(line) {
					// "0x0044 00068 (/path/file.go:117)\tFMSUBD\t..."
					f := strings.Fields(line)
					if len(f) >= 3 {
						places[f[2]+" "+f[3]] = true
					}
				}
			}
			var list []string
			for p := range places {
				list = append(list, p)
			}
			sort.Strings(list)
			require.Empty(t, list, "fused multiply-adds in the project's code on %s", arch)
		})
	}
}
