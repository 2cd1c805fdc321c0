package io.framewise.pipeline.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS end to end: a broker whose only client listener is SSL with {@code ssl.client.auth=required}
 * and a CA made in the test. {@code framewise job} with a truststore and a keystore, given only through
 * {@code --kafka-properties-file} with the store password as {@code ${file:...}}, labels the backlog
 * exactly once; without a keystore the job ends quickly with an error naming SSL.
 */
@Timeout(120)
class TlsJobITCase {

    @TempDir
    static Path dir;
    static TestCa ca;
    @AutoClose
    static SecureBroker broker;
    static Map<String, String> client;

    @BeforeAll
    static void setUp() throws Exception {
        ca = TestCa.create(dir);
        // the job's keystore is made while the broker's is made and the broker starts
        CompletableFuture<Path> jobKeystore = CompletableFuture.supplyAsync(() -> {
            try {
                return ca.keystore("framewise-job");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        broker = SecureBroker.tls(ca);
        client = ca.clientTls(jobKeystore.join());
    }

    @Test
    void keystoreAndTruststoreLabelTheBacklogOnceNoKeystoreFailsNamingSsl() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String in = "frames-" + s, out = "labels-" + s, dlq = "dlq-" + s;
        broker.createTopics(client, in, out, dlq);
        long sent = broker.produce(client, JobCli.video(), in, 12);
        assertEquals(12, sent);

        Path props = JobCli.propertiesFile(dir.resolve("tls.properties"), client);
        JobCli.Run ok = JobCli.bounded(broker.bootstrapServers(), props, in, out, dlq);
        System.out.println("TlsJobITCase: job over " + sent + " frames took " + ok.millis() + " ms");
        assertEquals(0, ok.exitCode(), ok::err);
        assertTrue(!ok.out().contains(ca.secret()) && !ok.err().contains(ca.secret()), "store password printed");
        JobCli.assertLabeledExactlyOnce(broker.consume(client, out, (int) sent), sent);

        Path noKeystore = JobCli.propertiesFile(dir.resolve("no-keystore.properties"), ca.clientTls(null));
        JobCli.Run bad = JobCli.bounded(broker.bootstrapServers(), noKeystore, in, out + "-x", dlq);
        System.out.println("TlsJobITCase: without a keystore the job ended in " + bad.millis() + " ms: " + bad.err());
        assertNotEquals(0, bad.exitCode());
        String err = bad.err().toLowerCase(Locale.ROOT);
        assertTrue(err.contains("ssl") || err.contains("handshake"), bad::err);
        assertTrue(bad.millis() < 60_000, "took " + bad.millis() + " ms to give up");
    }
}
