package io.framewise.pipeline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The report tests' browser: headless Chromium on a page, failing on any uncaught script error. */
final class HeadlessChromium {

    /** The DOM after the page's scripts ran, and Chromium's log. */
    record Page(String dom, String log) {
    }

    private HeadlessChromium() {
    }

    /** Loads a page and waits for its ready mark ({@code data-report-ready}). */
    static Page dumpDom(String chromium, Path dir, Path page) throws Exception {
        Page b = run(chromium, dir, List.of("--dump-dom"), page);
        assertTrue(b.dom.contains("data-report-ready=\"true\""), () -> "page script did not finish on " + page
                + "\n" + b.log);
        return b;
    }

    /** Runs headless Chromium on a page; fails on any uncaught script error in its console log. */
    static Page run(String chromium, Path dir, List<String> action, Path page) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000"));
        cmd.addAll(action);
        cmd.add(page.toUri().toString());
        Path dom = dir.resolve("dom-" + System.nanoTime() + ".html");
        Path log = dir.resolve("chromium-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(45, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 45 s on " + page);
        }
        String err = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "chromium exit code on " + page + "\n" + err);
        for (String line : err.lines().toList()) {
            assertFalse(line.contains("Uncaught") || line.contains("CONSOLE") && line.contains("Error"),
                    "script error on " + page + ": " + line);
        }
        return new Page(Files.readString(dom, StandardCharsets.UTF_8), err);
    }

    /** Chromium on PATH; CI installs it (.ci/run), so its absence is a failure, not a skip. */
    static String find() {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path c = Path.of(dirName, name);
                if (Files.isExecutable(c)) {
                    return c.toString();
                }
            }
        }
        fail("chromium not found on PATH: install it (Debian: apt-get install -y chromium; .ci/run does)");
        return null;
    }

    static int attr(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"(\\d+)\"").matcher(dom);
        assertTrue(m.find(), () -> name + " not in the DOM");
        return Integer.parseInt(m.group(1));
    }

    /** The entities a DOM serializer writes in attribute values. */
    static String unescape(String attr) {
        return attr.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
