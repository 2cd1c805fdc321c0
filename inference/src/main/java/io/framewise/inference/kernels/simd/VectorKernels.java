package io.framewise.inference.kernels.simd;

import io.framewise.inference.kernels.KernelSet;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Assembles the vector kernel set; only reached once the vector module is known to be present. */
public final class VectorKernels {

    private VectorKernels() {
    }

    /** Lane width the hardware prefers, in bits (512 on Zen 4 / AVX-512, 256 on AVX2). */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    public static VectorSpecies<Float> speciesForBits(int bits) {
        return switch (bits) {
            case 64 -> FloatVector.SPECIES_64;
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("vector bits must be 128, 256 or 512: " + bits);
        };
    }

    /** GEMM tiling: 6x2 measured faster than 4x3 on the MobileNetV2 shapes (docs/benchmarks.md). */
    public static KernelSet create(VectorSpecies<Float> species) {
        return new KernelSet("vector-" + species.vectorBitSize(),
                ConvStrip6x2V.of(species),
                PointwiseGemm6x4V.of(species),
                DwConv3x3RowTiled.of(species),
                DwConvPixelV.of(species),
                ElementwiseV.of(species),
                DwConv3x3DilatedPhaseStrip4.of(species),
                ResizeRowPlanarV.of(species),
                DwConv3x3PaddedStrip4.of(species),
                GemvBytes1x4V.of(species));
    }
}
