//go:build amd64 && !purego

#include "textflag.h"

// The AVX2 float32 kernels behind gemm (kernel_gemm.go). Each output lane
// is summed over s in ascending order from +0 (or from the value already
// in d when acc is set), one VMULPS then one VADDPS per term, exactly the
// arithmetic of the reference loop; never VFMADD. Lanes hold independent
// outputs j, so the vector width changes no sum.

// tailMask: eight all-ones words, then eight zero words. The eight words
// from offset 4*(8-r) enable the first r lanes.
DATA tailMask<>+0(SB)/4, $0xffffffff
DATA tailMask<>+4(SB)/4, $0xffffffff
DATA tailMask<>+8(SB)/4, $0xffffffff
DATA tailMask<>+12(SB)/4, $0xffffffff
DATA tailMask<>+16(SB)/4, $0xffffffff
DATA tailMask<>+20(SB)/4, $0xffffffff
DATA tailMask<>+24(SB)/4, $0xffffffff
DATA tailMask<>+28(SB)/4, $0xffffffff
DATA tailMask<>+32(SB)/4, $0
DATA tailMask<>+36(SB)/4, $0
DATA tailMask<>+40(SB)/4, $0
DATA tailMask<>+44(SB)/4, $0
DATA tailMask<>+48(SB)/4, $0
DATA tailMask<>+52(SB)/4, $0
DATA tailMask<>+56(SB)/4, $0
DATA tailMask<>+60(SB)/4, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $64

// cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// gemm4AVX2(d, a, b *float32, n, k, ldd, ars, ass, ldb int, acc bool)
//
// Registers: DX = d at the current column, SI = a, DI = b at the current
// column, CX = columns left, BX = k, R8 = 4*ars, R9 = 12*ars, R10 = 4*ldd,
// R12 = 4*ass, R13 = 4*ldb; in the loop over s, AX = a + s*ass, R14 = b +
// s*ldb, R11 = terms left. Y0-Y7 accumulate 4 rows by 16 columns.
TEXT ·gemm4AVX2(SB), NOSPLIT, $0-73
	MOVQ d+0(FP), DX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), BX
	MOVQ ldd+40(FP), R10
	SHLQ $2, R10
	MOVQ ars+48(FP), R8
	SHLQ $2, R8
	LEAQ (R8)(R8*2), R9
	MOVQ ass+56(FP), R12
	SHLQ $2, R12
	MOVQ ldb+64(FP), R13
	SHLQ $2, R13
g4c16:
	CMPQ CX, $16
	JLT g4c16_next
	CMPB acc+72(FP), $0
	JEQ g4c16_zero
	MOVQ DX, AX
	VMOVUPS 0(AX), Y0
	VMOVUPS 32(AX), Y1
	ADDQ R10, AX
	VMOVUPS 0(AX), Y2
	VMOVUPS 32(AX), Y3
	ADDQ R10, AX
	VMOVUPS 0(AX), Y4
	VMOVUPS 32(AX), Y5
	ADDQ R10, AX
	VMOVUPS 0(AX), Y6
	VMOVUPS 32(AX), Y7
	JMP g4c16_run
g4c16_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
g4c16_run:
	MOVQ SI, AX
	MOVQ DI, R14
	MOVQ BX, R11
g4c16_loop:
	VMOVUPS 0(R14), Y8
	VMOVUPS 32(R14), Y9
	VBROADCASTSS (AX), Y10
	VBROADCASTSS (AX)(R8*1), Y11
	VBROADCASTSS (AX)(R8*2), Y12
	VBROADCASTSS (AX)(R9*1), Y13
	VMULPS Y8, Y10, Y14
	VADDPS Y14, Y0, Y0
	VMULPS Y9, Y10, Y15
	VADDPS Y15, Y1, Y1
	VMULPS Y8, Y11, Y14
	VADDPS Y14, Y2, Y2
	VMULPS Y9, Y11, Y15
	VADDPS Y15, Y3, Y3
	VMULPS Y8, Y12, Y14
	VADDPS Y14, Y4, Y4
	VMULPS Y9, Y12, Y15
	VADDPS Y15, Y5, Y5
	VMULPS Y8, Y13, Y14
	VADDPS Y14, Y6, Y6
	VMULPS Y9, Y13, Y15
	VADDPS Y15, Y7, Y7
	ADDQ R12, AX
	ADDQ R13, R14
	DECQ R11
	JNZ g4c16_loop
	MOVQ DX, AX
	VMOVUPS Y0, 0(AX)
	VMOVUPS Y1, 32(AX)
	ADDQ R10, AX
	VMOVUPS Y2, 0(AX)
	VMOVUPS Y3, 32(AX)
	ADDQ R10, AX
	VMOVUPS Y4, 0(AX)
	VMOVUPS Y5, 32(AX)
	ADDQ R10, AX
	VMOVUPS Y6, 0(AX)
	VMOVUPS Y7, 32(AX)
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP g4c16
g4c16_next:
g4c8:
	CMPQ CX, $8
	JLT g4c8_next
	CMPB acc+72(FP), $0
	JEQ g4c8_zero
	MOVQ DX, AX
	VMOVUPS 0(AX), Y0
	ADDQ R10, AX
	VMOVUPS 0(AX), Y1
	ADDQ R10, AX
	VMOVUPS 0(AX), Y2
	ADDQ R10, AX
	VMOVUPS 0(AX), Y3
	JMP g4c8_run
g4c8_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
g4c8_run:
	MOVQ SI, AX
	MOVQ DI, R14
	MOVQ BX, R11
g4c8_loop:
	VMOVUPS 0(R14), Y8
	VBROADCASTSS (AX), Y10
	VBROADCASTSS (AX)(R8*1), Y11
	VBROADCASTSS (AX)(R8*2), Y12
	VBROADCASTSS (AX)(R9*1), Y13
	VMULPS Y8, Y10, Y14
	VADDPS Y14, Y0, Y0
	VMULPS Y8, Y11, Y14
	VADDPS Y14, Y1, Y1
	VMULPS Y8, Y12, Y14
	VADDPS Y14, Y2, Y2
	VMULPS Y8, Y13, Y14
	VADDPS Y14, Y3, Y3
	ADDQ R12, AX
	ADDQ R13, R14
	DECQ R11
	JNZ g4c8_loop
	MOVQ DX, AX
	VMOVUPS Y0, 0(AX)
	ADDQ R10, AX
	VMOVUPS Y1, 0(AX)
	ADDQ R10, AX
	VMOVUPS Y2, 0(AX)
	ADDQ R10, AX
	VMOVUPS Y3, 0(AX)
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP g4c8
g4c8_next:
g4tail:
	TESTQ CX, CX
	JZ g4tail_next
	LEAQ tailMask<>(SB), AX
	MOVQ $8, R11
	SUBQ CX, R11
	VMOVDQU (AX)(R11*4), Y15
	CMPB acc+72(FP), $0
	JEQ g4tail_zero
	MOVQ DX, AX
	VMASKMOVPS (AX), Y15, Y0
	ADDQ R10, AX
	VMASKMOVPS (AX), Y15, Y1
	ADDQ R10, AX
	VMASKMOVPS (AX), Y15, Y2
	ADDQ R10, AX
	VMASKMOVPS (AX), Y15, Y3
	JMP g4tail_run
g4tail_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
g4tail_run:
	MOVQ SI, AX
	MOVQ DI, R14
	MOVQ BX, R11
g4tail_loop:
	VMASKMOVPS (R14), Y15, Y8
	VBROADCASTSS (AX), Y10
	VBROADCASTSS (AX)(R8*1), Y11
	VBROADCASTSS (AX)(R8*2), Y12
	VBROADCASTSS (AX)(R9*1), Y13
	VMULPS Y8, Y10, Y14
	VADDPS Y14, Y0, Y0
	VMULPS Y8, Y11, Y14
	VADDPS Y14, Y1, Y1
	VMULPS Y8, Y12, Y14
	VADDPS Y14, Y2, Y2
	VMULPS Y8, Y13, Y14
	VADDPS Y14, Y3, Y3
	ADDQ R12, AX
	ADDQ R13, R14
	DECQ R11
	JNZ g4tail_loop
	MOVQ DX, AX
	VMASKMOVPS Y0, Y15, (AX)
	ADDQ R10, AX
	VMASKMOVPS Y1, Y15, (AX)
	ADDQ R10, AX
	VMASKMOVPS Y2, Y15, (AX)
	ADDQ R10, AX
	VMASKMOVPS Y3, Y15, (AX)
g4tail_next:
	VZEROUPPER
	RET

// gemm1AVX2(d, a, b *float32, n, k, ass, ldb int, acc bool)
//
// The registers of gemm4AVX2; Y0-Y3 accumulate one row by 32 columns.
TEXT ·gemm1AVX2(SB), NOSPLIT, $0-57
	MOVQ d+0(FP), DX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ n+24(FP), CX
	MOVQ k+32(FP), BX
	MOVQ ass+40(FP), R12
	SHLQ $2, R12
	MOVQ ldb+48(FP), R13
	SHLQ $2, R13
g1c32:
	CMPQ CX, $32
	JLT g1c32_next
	CMPB acc+56(FP), $0
	JEQ g1c32_zero
	MOVQ DX, AX
	VMOVUPS 0(AX), Y0
	VMOVUPS 32(AX), Y1
	VMOVUPS 64(AX), Y2
	VMOVUPS 96(AX), Y3
	JMP g1c32_run
g1c32_zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
g1c32_run:
	MOVQ SI, AX
	MOVQ DI, R14
	MOVQ BX, R11
g1c32_loop:
	VMOVUPS 0(R14), Y4
	VMOVUPS 32(R14), Y5
	VMOVUPS 64(R14), Y6
	VMOVUPS 96(R14), Y7
	VBROADCASTSS (AX), Y8
	VMULPS Y4, Y8, Y9
	VADDPS Y9, Y0, Y0
	VMULPS Y5, Y8, Y10
	VADDPS Y10, Y1, Y1
	VMULPS Y6, Y8, Y11
	VADDPS Y11, Y2, Y2
	VMULPS Y7, Y8, Y12
	VADDPS Y12, Y3, Y3
	ADDQ R12, AX
	ADDQ R13, R14
	DECQ R11
	JNZ g1c32_loop
	MOVQ DX, AX
	VMOVUPS Y0, 0(AX)
	VMOVUPS Y1, 32(AX)
	VMOVUPS Y2, 64(AX)
	VMOVUPS Y3, 96(AX)
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	JMP g1c32
g1c32_next:
g1c8:
	CMPQ CX, $8
	JLT g1c8_next
	CMPB acc+56(FP), $0
	JEQ g1c8_zero
	MOVQ DX, AX
	VMOVUPS 0(AX), Y0
	JMP g1c8_run
g1c8_zero:
	VXORPS Y0, Y0, Y0
g1c8_run:
	MOVQ SI, AX
	MOVQ DI, R14
	MOVQ BX, R11
g1c8_loop:
	VMOVUPS 0(R14), Y4
	VBROADCASTSS (AX), Y8
	VMULPS Y4, Y8, Y9
	VADDPS Y9, Y0, Y0
	ADDQ R12, AX
	ADDQ R13, R14
	DECQ R11
	JNZ g1c8_loop
	MOVQ DX, AX
	VMOVUPS Y0, 0(AX)
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JMP g1c8
g1c8_next:
g1tail:
	TESTQ CX, CX
	JZ g1tail_next
	LEAQ tailMask<>(SB), AX
	MOVQ $8, R11
	SUBQ CX, R11
	VMOVDQU (AX)(R11*4), Y15
	CMPB acc+56(FP), $0
	JEQ g1tail_zero
	MOVQ DX, AX
	VMASKMOVPS (AX), Y15, Y0
	JMP g1tail_run
g1tail_zero:
	VXORPS Y0, Y0, Y0
g1tail_run:
	MOVQ SI, AX
	MOVQ DI, R14
	MOVQ BX, R11
g1tail_loop:
	VMASKMOVPS (R14), Y15, Y4
	VBROADCASTSS (AX), Y8
	VMULPS Y4, Y8, Y9
	VADDPS Y9, Y0, Y0
	ADDQ R12, AX
	ADDQ R13, R14
	DECQ R11
	JNZ g1tail_loop
	MOVQ DX, AX
	VMASKMOVPS Y0, Y15, (AX)
g1tail_next:
	VZEROUPPER
	RET

// reluAVX2(dst, x *float32, n int)
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VXORPS Y1, Y1, Y1
reluLoop:
	VMOVUPS (SI), Y0
	VCMPPS $0x1e, Y1, Y0, Y2 // Y2 = Y0 > 0 (GT_OQ)
	VANDPS Y0, Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ reluLoop
	VZEROUPPER
	RET

// reluBackwardAVX2(dx, dy, x *float32, n int)
TEXT ·reluBackwardAVX2(SB), NOSPLIT, $0-32
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VXORPS Y1, Y1, Y1
reluBackLoop:
	VMOVUPS (SI), Y0
	VCMPPS $0x1e, Y1, Y0, Y2 // Y2 = x > 0 (GT_OQ)
	VANDPS (DX), Y2, Y2
	VMOVUPS Y2, (DI)
	ADDQ $32, SI
	ADDQ $32, DX
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ reluBackLoop
	VZEROUPPER
	RET
