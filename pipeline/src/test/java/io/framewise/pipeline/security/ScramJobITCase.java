package io.framewise.pipeline.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/SCRAM-SHA-512 end to end: the broker's super user creates the job's SCRAM user through the Admin
 * API (alterUserScramCredentials) and grants it the ACLs the job needs (topics, groups, transactional
 * ids); {@code framewise job} with that user's password, given through {@code --kafka-properties-file}
 * as {@code ${file:...}}, labels the backlog exactly once; with a wrong password it ends quickly with an
 * authentication error.
 */
@Timeout(120)
class ScramJobITCase {

    static final String USER = "framewise";

    @TempDir
    static Path dir;
    @AutoClose
    static SecureBroker broker;
    static Map<String, String> admin;
    static Path passwordFile;

    @BeforeAll
    static void setUp() throws Exception {
        String adminPassword = UUID.randomUUID().toString();
        broker = SecureBroker.sasl(adminPassword);
        admin = SaslLogins.client("PLAIN", SaslLogins.plain("admin", adminPassword));
        String password = UUID.randomUUID().toString();
        passwordFile = Files.writeString(dir.resolve("scram.password"), password + "\n", StandardCharsets.UTF_8);
        try (Admin a = broker.admin(admin)) {
            a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
            List<AclBinding> acls = List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)
                    .stream().map(t -> new AclBinding(new ResourcePattern(t, "*", PatternType.LITERAL),
                            new AccessControlEntry("User:" + USER, "*", AclOperation.ALL, AclPermissionType.ALLOW)))
                    .toList();
            a.createAcls(acls).all().get();
            // the broker serves both from its metadata cache: wait until it has them
            long until = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < until && (a.describeUserScramCredentials(List.of(USER)).all().get().isEmpty()
                    || a.describeAcls(AclBindingFilter.ANY).values().get().size() < acls.size())) {
                Thread.sleep(100);
            }
        }
    }

    static Map<String, String> scram(String passwordReference) {
        return SaslLogins.client("SCRAM-SHA-512", SaslLogins.scram(USER, passwordReference));
    }

    @Test
    void rightPasswordLabelsTheBacklogOnceWrongOneFailsNamingAuthentication() throws Exception {
        String s = UUID.randomUUID().toString().substring(0, 8);
        String in = "frames-" + s, out = "labels-" + s, dlq = "dlq-" + s;
        Map<String, String> job = scram("${file:" + passwordFile + "}");
        broker.createTopics(job, in, out, dlq);
        long sent = broker.produce(job, JobCli.video(), in, 12);
        assertEquals(12, sent);

        JobCli.Run ok = JobCli.bounded(broker.bootstrapServers(),
                JobCli.propertiesFile(dir.resolve("scram.properties"), job), in, out, dlq);
        System.out.println("ScramJobITCase: job over " + sent + " frames took " + ok.millis() + " ms");
        assertEquals(0, ok.exitCode(), ok::err);
        JobCli.assertLabeledExactlyOnce(broker.consume(job, out, (int) sent), sent);

        Path wrong = Files.writeString(dir.resolve("wrong.password"), "not-the-password\n", StandardCharsets.UTF_8);
        JobCli.Run bad = JobCli.bounded(broker.bootstrapServers(),
                JobCli.propertiesFile(dir.resolve("wrong.properties"), scram("${file:" + wrong + "}")),
                in, out + "-x", dlq);
        System.out.println("ScramJobITCase: a wrong password ended the job in " + bad.millis() + " ms: " + bad.err());
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.err().toLowerCase(Locale.ROOT).contains("authentication"), bad::err);
        assertTrue(bad.millis() < 60_000, "took " + bad.millis() + " ms to give up");
    }
}
