package io.framewise.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The local cluster's ports: chosen together, so no two of its processes are given the same one. */
class LocalClusterPortsTest {

    @Test
    void portsAreDistinctAndUsable() throws Exception {
        for (int round = 0; round < 20; round++) {
            int[] ports = LocalCluster.freePorts(8); // ZooKeeper, REST, 3 brokers × (broker, controller)
            assertEquals(8, Arrays.stream(ports).distinct().count(), "ports " + Arrays.toString(ports));
            for (int p : ports) {
                assertTrue(p > 0 && p < 65536, "port " + p);
            }
        }
    }
}
