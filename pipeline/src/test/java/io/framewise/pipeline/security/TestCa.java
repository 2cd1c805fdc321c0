package io.framewise.pipeline.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority made with the JDK's keytool (no extra dependency): a CA, a
 * truststore holding it, and PKCS12 keystores of certificates it signed for localhost / 127.0.0.1
 * (usable by a broker and by clients: mutual TLS). Store passwords are random and written to files, so
 * client settings can reference them as {@code ${file:PATH}}.
 */
final class TestCa {

    final Path dir;
    final Path truststore;
    final Path password;
    private final String secret = UUID.randomUUID().toString();
    private final Path caStore;
    private final Path caCert;

    private TestCa(Path dir) {
        this.dir = dir;
        this.caStore = dir.resolve("ca.p12");
        this.caCert = dir.resolve("ca.pem");
        this.truststore = dir.resolve("truststore.p12");
        this.password = dir.resolve("store.password");
    }

    /** Creates the CA and its truststore in {@code dir}. */
    static TestCa create(Path dir) throws Exception {
        TestCa ca = new TestCa(dir);
        Files.writeString(ca.password, ca.secret + "\n", StandardCharsets.UTF_8);
        ca.keytool("-genkeypair", "-alias", "ca", "-dname", "CN=Framewise Test CA", "-ext", "bc:c",
                "-keystore", ca.caStore.toString());
        ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caStore.toString(), "-file", ca.caCert.toString());
        ca.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.caCert.toString(),
                "-keystore", ca.truststore.toString());
        return ca;
    }

    /** The store password (the tests' broker side; clients read it through {@link #password}). */
    String secret() {
        return secret;
    }

    /** A keystore with a key and a certificate for {@code name} (CN) signed by this CA, chain included. */
    Path keystore(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keystore", store.toString());
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
                "-outfile", cert.toString(), "-ext", "san=dns:localhost,ip:127.0.0.1");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", store.toString());
        keytool("-importcert", "-noprompt", "-alias", name, "-file", cert.toString(), "-keystore", store.toString());
        return store;
    }

    /** Client properties for TLS: the truststore, and the keystore unless null; passwords as ${file:...}. */
    Map<String, String> clientTls(Path keystore) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", "${file:" + password + "}");
        if (keystore != null) {
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", keystore.toString());
            p.put("ssl.keystore.password", "${file:" + password + "}");
        }
        return p;
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                // a short-lived JVM: start fast rather than optimise (about 3x quicker per call)
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", secret));
        if (args[0].equals("-genkeypair")) {
            cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + out);
        }
    }
}
