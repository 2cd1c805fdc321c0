package io.framewise.inference.kernels.simd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gives each vector kernel class one copy per {@link VectorSpecies}, in which the species is a
 * {@code static final} constant.
 *
 * <p>Why: C2 intrinsifies Vector API calls only when the species is a compile-time constant. A species
 * held in an instance field (or passed as an argument to a method too large to inline) makes every
 * vector op fall back to boxed Java code, about 100× slower (measured: 1.5 vs 150+ GFLOP/s on the GEMM
 * micro-kernel). Yet tests must run the same kernel at 128/256/512 bits in one JVM. So every kernel
 * reads its species from {@code static final VectorSpecies<Float> S = SpeciesSpecialization.bound(lookup())},
 * and {@link #instantiate} defines the kernel's own class bytes again as a hidden class whose class
 * data is the wanted species. Hidden classes live in the same runtime package (package-private access
 * works) and their static finals are folded like any other.
 *
 * <p>Kernel classes must therefore be self-contained: no nested classes or lambdas that touch
 * {@code S} (those would bind to the original class, not the copy).
 */
public final class SpeciesSpecialization {

    private static final Map<String, Class<?>> COPIES = new ConcurrentHashMap<>();

    private SpeciesSpecialization() {
    }

    /**
     * The species of the class behind {@code lookup}: the class data of a specialized copy, else
     * {@link FloatVector#SPECIES_PREFERRED} for the class as loaded normally.
     */
    @SuppressWarnings("unchecked")
    public static VectorSpecies<Float> bound(MethodHandles.Lookup lookup) {
        try {
            VectorSpecies<Float> s = MethodHandles.classData(lookup, "_", VectorSpecies.class);
            return s != null ? s : FloatVector.SPECIES_PREFERRED;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates {@code kernel} specialized for {@code species} through its public
     * {@code (VectorSpecies)} constructor; the copy is made once per class and species.
     *
     * @param lookup a full-privilege lookup of {@code kernel} itself ({@code MethodHandles.lookup()} inside it)
     */
    public static <T> T instantiate(MethodHandles.Lookup lookup, Class<T> api, VectorSpecies<Float> species) {
        if (species.elementType() != float.class) {
            throw new IllegalArgumentException("float species expected: " + species);
        }
        Class<?> kernel = lookup.lookupClass();
        if (kernel.isHidden()) {
            throw new IllegalArgumentException("specialize from the original class, not a copy: " + kernel);
        }
        Class<?> copy = COPIES.computeIfAbsent(kernel.getName() + "@" + species.vectorBitSize(),
                k -> defineCopy(lookup, kernel, species));
        try {
            Object o = lookup.findConstructor(copy, MethodType.methodType(void.class, VectorSpecies.class))
                    .invoke(species);
            return api.cast(o);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot construct " + kernel.getName() + " for " + species, t);
        }
    }

    private static Class<?> defineCopy(MethodHandles.Lookup lookup, Class<?> kernel, VectorSpecies<Float> species) {
        String resource = kernel.getSimpleName() + ".class";
        try (InputStream in = kernel.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file not found: " + resource);
            }
            return lookup.defineHiddenClassWithClassData(in.readAllBytes(), species, true).lookupClass();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rejects a constructor call whose species differs from the class's bound one. */
    static void check(VectorSpecies<Float> bound, VectorSpecies<Float> requested, Class<?> kernel) {
        if (!bound.equals(requested)) {
            throw new IllegalArgumentException(kernel.getSimpleName() + " is bound to " + bound.vectorBitSize()
                    + " bits; use " + kernel.getSimpleName() + ".of(species) for " + requested.vectorBitSize());
        }
    }
}
