package io.framewise.inference.kernels.select;

import io.framewise.inference.kernels.KernelSet;
import io.framewise.inference.kernels.reference.ReferenceByteGemv;
import io.framewise.inference.kernels.reference.ReferenceConv2d;
import io.framewise.inference.kernels.reference.ReferenceDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceDilatedDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceElementwise;
import io.framewise.inference.kernels.reference.ReferencePaddedDepthwiseConv;
import io.framewise.inference.kernels.reference.ReferenceResize;
import io.framewise.inference.kernels.reference.ReferencePointwiseConv;
import io.framewise.inference.kernels.simd.VectorKernels;
import java.util.Locale;
import jdk.incubator.vector.VectorSpecies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the kernel set is chosen, once per process.
 *
 * <p>{@code -Dframewise.kernels=vector|reference} forces a path; {@code -Dframewise.vector.bits=128|256|512}
 * forces a lane width (default: the hardware's preferred one; below 128 bits the reference set is used).
 * Without {@code --add-modules jdk.incubator.vector} the reference set is used and one WARN is logged.
 * The module is checked before any class of {@code kernels.simd} is touched, so a missing module can
 * never surface as {@code NoClassDefFoundError}.
 */
public final class KernelSelection {

    public static final String KERNELS_PROPERTY = "framewise.kernels";
    public static final String BITS_PROPERTY = "framewise.vector.bits";
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final Logger LOG = LoggerFactory.getLogger(KernelSelection.class);

    private KernelSelection() {
    }

    private static final class Chosen {
        static final KernelSet SET = choose(System.getProperty(KERNELS_PROPERTY), System.getProperty(BITS_PROPERTY),
                ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent());
    }

    /** The process-wide kernel set (chosen on first call, then cached). */
    public static KernelSet get() {
        return Chosen.SET;
    }

    /** The plain-loop twins. */
    public static KernelSet reference() {
        return new KernelSet("reference", new ReferenceConv2d(), new ReferencePointwiseConv(),
                new ReferenceDepthwiseConv(), new ReferenceDepthwiseConv(), new ReferenceElementwise(),
                new ReferenceDilatedDepthwiseConv(), new ReferenceResize(), new ReferencePaddedDepthwiseConv(),
                new ReferenceByteGemv());
    }

    /** The vector kernels at {@code species} (any width the JVM supports, whatever the hardware prefers). */
    public static KernelSet vector(VectorSpecies<Float> species) {
        return VectorKernels.create(species);
    }

    /** The decision itself, separated from the process state so it can be tested. */
    static KernelSet choose(String mode, String bits, boolean vectorModulePresent) {
        String m = mode == null || mode.isBlank() ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case "reference":
                LOG.info("kernels: reference (forced by -D{}=reference)", KERNELS_PROPERTY);
                return reference();
            case "vector":
                if (!vectorModulePresent) {
                    throw new IllegalStateException("-D" + KERNELS_PROPERTY + "=vector needs the JVM flag --add-modules "
                            + VECTOR_MODULE);
                }
                return vectorSet(bits, true);
            case "auto":
                if (!vectorModulePresent) {
                    LOG.warn("kernels: reference (slow): module {} is not present; start the JVM with --add-modules {}",
                            VECTOR_MODULE, VECTOR_MODULE);
                    return reference();
                }
                return vectorSet(bits, false);
            default:
                throw new IllegalArgumentException("-D" + KERNELS_PROPERTY + " must be vector or reference: " + mode);
        }
    }

    private static KernelSet vectorSet(String bits, boolean forced) {
        int b;
        if (bits == null || bits.isBlank()) {
            b = VectorKernels.preferredBits();
            if (b < 128) {
                if (forced) {
                    throw new IllegalStateException("preferred vector width is " + b + " bits; set -D" + BITS_PROPERTY);
                }
                LOG.warn("kernels: reference: preferred vector width is only {} bits", b);
                return reference();
            }
        } else {
            try {
                b = Integer.parseInt(bits.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + BITS_PROPERTY + " must be 128, 256 or 512: " + bits, e);
            }
            if (b != 128 && b != 256 && b != 512) {
                throw new IllegalArgumentException("-D" + BITS_PROPERTY + " must be 128, 256 or 512: " + bits);
            }
        }
        KernelSet set = VectorKernels.create(VectorKernels.speciesForBits(b));
        LOG.info("kernels: {}", set.name());
        return set;
    }
}
