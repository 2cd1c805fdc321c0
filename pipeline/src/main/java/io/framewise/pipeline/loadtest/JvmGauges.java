package io.framewise.pipeline.loadtest;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;

/**
 * Heap and garbage collection of this JVM, which hosts the MiniCluster (and the embedded broker):
 * heap used now and the highest seen, heap used right after the latest collection (what stays live:
 * the figure that shows whether the heap is bounded), and collections so far.
 */
public final class JvmGauges {

    /** One reading. */
    public record Reading(long heapUsed, long heapMax, long afterGc, long gcCount, long gcMillis) {
    }

    private long gcCount0;
    private long gcMillis0;
    private long peakUsed;

    public JvmGauges() {
        Reading r = raw();
        gcCount0 = r.gcCount();
        gcMillis0 = r.gcMillis();
    }

    /** Counts GC from now on and forgets the heap peak (the start-up of broker and cluster is not the load). */
    public synchronized void rebase() {
        Reading r = raw();
        gcCount0 = r.gcCount();
        gcMillis0 = r.gcMillis();
        peakUsed = r.heapUsed();
    }

    /** A reading with GC figures counted from the last {@link #rebase()} (or creation). */
    public synchronized Reading read() {
        Reading r = raw();
        peakUsed = Math.max(peakUsed, r.heapUsed());
        return new Reading(r.heapUsed(), r.heapMax(), r.afterGc(), r.gcCount() - gcCount0,
                r.gcMillis() - gcMillis0);
    }

    /** The highest heap use of all readings. */
    public synchronized long peakUsed() {
        return peakUsed;
    }

    /** The -Xmx the JVM was started with, or a note that the JVM's default applied. */
    public static String xmxSetting() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String xmx = null;
        for (String a : args) {
            if (a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize=") || a.startsWith("-XX:MaxRAMPercentage=")) {
                xmx = a; // the last one wins, as in the JVM
            }
        }
        return xmx != null ? xmx : "(none: the JVM default, 1/4 of physical memory)";
    }

    private static Reading raw() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long afterGc = -1;
        long latestEnd = -1;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
                GcInfo info = sun.getLastGcInfo();
                if (info != null && info.getEndTime() > latestEnd) {
                    latestEnd = info.getEndTime();
                    afterGc = heapPools(info.getMemoryUsageAfterGc());
                }
            }
        }
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        long max = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        return new Reading(heap.getUsed(), max, afterGc, count, millis);
    }

    private static long heapPools(Map<String, MemoryUsage> byPool) {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = byPool.get(p.getName());
            if (p.getType() == MemoryType.HEAP && u != null) {
                sum += u.getUsed();
            }
        }
        return sum;
    }
}
