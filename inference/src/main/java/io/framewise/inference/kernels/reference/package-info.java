/**
 * Plain-loop twins of every kernel interface: obviously correct, used as the oracle in tests and as
 * the fallback when {@code jdk.incubator.vector} is absent.
 *
 * <p>Accumulation order (fixed, so results are deterministic and the vector kernels can follow the
 * same order): the accumulator starts at the bias, then each product is added with
 * {@link java.lang.Math#fma} (one rounding per term) in ascending tap order (ky, then kx, then ci).
 * Out-of-bounds (padding) taps are skipped, which equals adding an exact zero.
 */
package io.framewise.inference.kernels.reference;
