// Element-wise kernels for x86-64 CPUs with AVX2 and FMA, chosen at run time.
//
// Swift compiles for the x86-64 baseline (SSE2), where the engine's SIMD code runs 8 lanes as
// two 4-lane halves without fused multiply-add. These C kernels use 8-lane AVX2 with FMA when
// the CPU has them (checked once with cpuid); callers fall back to the Swift kernels otherwise,
// so the binary still runs on any x86-64 CPU.
#ifndef QB_KERNELS_H
#define QB_KERNELS_H

#include <stddef.h>

/// 1 when the CPU supports AVX2 and FMA (the kernels below may be called), else 0.
int qb_has_avx2_fma(void);

/// x[i] = 0.5·x[i]·erfc(−x[i]/√2), in place: exact-erf GELU (same algorithm as the Swift
/// kernel: Numerical Recipes' erfc and a Cephes exp). Call only when qb_has_avx2_fma().
void qb_gelu_avx2(float *x, size_t count);

#endif
