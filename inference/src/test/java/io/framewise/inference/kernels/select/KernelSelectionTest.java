package io.framewise.inference.kernels.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.inference.kernels.KernelSet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class KernelSelectionTest {

    @Test
    void defaultIsTheVectorSetAtThePreferredWidth() {
        KernelSet set = KernelSelection.choose(null, null, true);
        assertEquals("vector-" + FloatVector.SPECIES_PREFERRED.vectorBitSize(), set.name());
    }

    @Test
    void propertiesForceEitherPathAndWidth() {
        assertEquals("reference", KernelSelection.choose("reference", "512", true).name());
        assertEquals("vector-256", KernelSelection.choose("vector", "256", true).name());
        assertEquals("vector-128", KernelSelection.choose(null, "128", true).name());
        assertThrows(IllegalArgumentException.class, () -> KernelSelection.choose("fast", null, true));
        assertThrows(IllegalArgumentException.class, () -> KernelSelection.choose(null, "384", true));
        assertThrows(IllegalStateException.class, () -> KernelSelection.choose("vector", null, false));
    }

    @Test
    void missingModuleFallsBackToReference() {
        assertEquals("reference", KernelSelection.choose(null, null, false).name());
    }

    @Test
    void getIsCached() {
        assertSame(KernelSelection.get(), KernelSelection.get());
    }

    /**
     * A real JVM without {@code --add-modules jdk.incubator.vector}: get() must return the reference set
     * with one WARN naming the flag, and no NoClassDefFoundError may escape.
     */
    @Test
    void jvmWithoutTheVectorModuleGetsTheReferenceSet() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        // log4j2 default configuration logs ERROR only; WARN is what we want to see
        Process p = new ProcessBuilder(java, "-Dorg.apache.logging.log4j.level=WARN", "-cp", cp,
                KernelSelectionProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM timed out");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.contains("kernels=reference"), output);
        assertTrue(lines.contains("add=3.0"), output);
        long warns = lines.stream().filter(l -> l.contains("WARN") && l.contains("--add-modules jdk.incubator.vector")).count();
        assertEquals(1, warns, output);
    }
}
