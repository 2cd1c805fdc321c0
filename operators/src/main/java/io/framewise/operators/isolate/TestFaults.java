package io.framewise.operators.isolate;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Test-only faults that make decoding one chosen record crash the process or hang, to prove
 * isolation (docs/decoder-isolation.md). A record asks for one with the header {@value #HEADER}
 * ({@code crash} or {@code spin}); the header is ignored unless the JVM runs with
 * {@code -D}{@value #PROPERTY}{@code =true}, which nothing but tests sets.
 *
 * <ul>
 *   <li>{@code crash}: writes to address 0 through {@code sun.misc.Unsafe}: a real SIGSEGV in native code,
 *       the JVM dies as it would in FFmpeg (hs_err file, exit 134).</li>
 *   <li>{@code spin}: a busy loop that ignores interrupts, as a native loop would, until
 *       {@link #releaseSpinners()} or {@link #MAX_SPIN_MS}.</li>
 * </ul>
 */
public final class TestFaults {

    public static final String HEADER = "fw-test-fault";
    public static final String PROPERTY = "framewise.test-faults";
    public static final String CRASH = "crash";
    public static final String SPIN = "spin";
    /** A spinning fault gives up after this long, so a forgotten test cannot burn a core for ever. */
    public static final long MAX_SPIN_MS = 600_000;

    private static volatile int epoch;

    private TestFaults() {
    }

    /** Whether this JVM honours {@value #HEADER}. */
    public static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Runs the fault a record's headers ask for, when this JVM allows test faults; else nothing. */
    public static void apply(Map<String, byte[]> headers) {
        byte[] v = headers.get(HEADER);
        if (v == null || !enabled()) {
            return;
        }
        String fault = new String(v, StandardCharsets.UTF_8);
        if (CRASH.equals(fault)) {
            crash();
        } else if (SPIN.equals(fault)) {
            spin();
        }
    }

    /** Ends every spinning fault of this JVM running now (test clean-up); later ones spin again. */
    public static void releaseSpinners() {
        epoch++;
    }

    private static void spin() {
        long end = System.nanoTime() + MAX_SPIN_MS * 1_000_000L;
        int started = epoch;
        long n = 0;
        while (epoch == started && System.nanoTime() < end) {
            n++; // ignores Thread.interrupted(), as native code does
            Thread.onSpinWait();
        }
        if (n < 0) {
            throw new AssertionError(); // keeps the loop from being optimised away
        }
    }

    private static void crash() {
        try {
            Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
            unsafe.putAddress(0L, 0L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("test fault 'crash' needs sun.misc.Unsafe", e);
        }
        throw new IllegalStateException("test fault 'crash': writing to address 0 did not crash the JVM");
    }
}
