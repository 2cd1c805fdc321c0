package io.framewise.inference.plan;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Float arrays whose element {@link #BASE} lies on a 64-byte (cache line) boundary, so a tensor that
 * starts there, with rows of a multiple of 16 floats, never has a 512-bit vector straddling two lines.
 *
 * <p>Why: a {@code float[]}'s elements start 16 bytes after its header, which the heap aligns to only 8
 * bytes; so in an ordinary array every channel vector of an NHWC tensor crosses a line and costs two
 * L1 accesses (and two L2 fetches when the walk is strided, as in depthwise). Measured on the Zen 5:
 * {@code DwConv3x3RowTiled} on the network's shapes 45-49 → 68-69 GFLOP/s (112×112×32), 30 → 40-42
 * (112×112×96 stride 2), 34-35 → 44-45 (33×33×960), 36-38 → 51-52 (129×129×144); in the network,
 * alternating JVMs, DeepLabV3 b1t1 0.91 / 0.95 → 1.00 / 0.99 of TFLite (depthwise 15-18 % faster),
 * MobileNetV2 b8t1 0.84 / 0.82 → 0.85 / 0.84 (docs/benchmarks.md, session 17).
 *
 * <p>How, without a JVM flag: G1 (the default collector, and Flink's) places an object of at least half
 * a region (a "humongous" one) at the start of a region and never moves it; regions are aligned to
 * their size (1-32 MB), so such an array's elements start at a known offset from a line. Arrays of at
 * least a sixteenth of what that needs are padded up to it (to half a region: 0.5 MB for heaps under
 * 2 GB, 2 MB for this machine's 6 GB default, at most 16 MB; a workspace holds a handful); smaller
 * ones, and any array under another collector, are left as they come: the same results, only without
 * the guarantee.
 */
public final class AlignedFloats {

    /** {@code -Dframewise.align=false} turns the alignment off (same results; for A/B measurements). */
    static final boolean ON = !"false".equals(System.getProperty("framewise.align"));
    /** Array header in bytes (16 with compressed class pointers, the default below 32 GB of heap). */
    private static final int HEADER = option("UseCompressedClassPointers", "true").equals("true") ? 16 : 24;
    /** First element on a 64-byte boundary in a region-aligned array. */
    public static final int BASE = ON ? (64 - HEADER % 64) % 64 / Float.BYTES : 0;
    /** Fewest elements that make a float array humongous under G1; 0 under other collectors. */
    private static final int HUMONGOUS = ON && option("UseG1GC", "false").equals("true")
            ? (int) Math.min(Integer.MAX_VALUE - 64, Long.parseLong(option("G1HeapRegionSize", "0")) / 2 / Float.BYTES + 16)
            : 0;

    private AlignedFloats() {
    }

    /** A zeroed array of at least {@code n} elements, humongous (and so line-aligned at {@link #BASE}) when {@code n} is large enough to be worth it. */
    public static float[] allocate(int n) {
        if (HUMONGOUS > 0 && n < HUMONGOUS && n >= HUMONGOUS / 16) {
            return new float[HUMONGOUS];
        }
        return new float[n];
    }

    private static String option(String name, String fallback) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return fallback; // not HotSpot, or no management module: no alignment guarantee, same results
        }
    }
}
