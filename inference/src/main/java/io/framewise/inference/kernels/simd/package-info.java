/**
 * Vector API ({@code jdk.incubator.vector}) kernels. Every class here reads its species from a
 * {@code static final} bound by {@link io.framewise.inference.kernels.simd.SpeciesSpecialization}; create
 * them with their {@code of(VectorSpecies)} factory. Nothing outside {@code KernelSelection} should touch
 * this package before checking that the module is present.
 */
package io.framewise.inference.kernels.simd;
