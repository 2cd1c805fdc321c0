package io.framewise.inference.model;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds model and label files by name, and checks the known ones against their published SHA-256
 * (the same list as ../shared/README.md), so a user without the shared folder is told what to fetch.
 */
public final class ModelFiles {

    public static final String UPSTREAM = "https://github.com/google-coral/test_data";

    /** SHA-256 of the files in ../shared/models (from ../shared/README.md). */
    public static final Map<String, String> KNOWN_SHA256 = Map.of(
            "mobilenet_v1_0.25_128_quant.tflite", "cb273c23ee76374b05b9583177e28aa19744858a7679c56a250e83d0333da785",
            "mobilenet_v1_0.5_160_quant.tflite", "3cc6d2ca460abd2e0f699a6d0d2550c6b61c6e3b0e27a3616e384ea74cb86f43",
            "mobilenet_v2_1.0_224_inat_bird_quant.tflite",
            "350fcd8cf1df1560060d464595dfed8b174b05792788052896004848d9ad04f9",
            "mobilenet_v2_1.0_224_quant.tflite", "7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776",
            "tf2_mobilenet_v2_1.0_224_ptq.tflite", "5d3137241276e79c86d14a74fe43581398ae0e815191d3dba45495b810840e8c",
            "imagenet_labels.txt", "b8aaeb5630c62626a7d124a05c0e14230a7ffdd2136a31d0190a4fb71c1d82f1",
            "inat_bird_labels.txt", "a16108dfe3f8daff015b87a97ab6a17e717b9b1bccd719f6d8f747746d7b9277",
            "deeplabv3_mnv2_pascal_quant.tflite", "350af47fd346ea6d74b58833a351f583ba860e9806ec5bd292ff8d8f1f249398",
            "deeplabv3_mnv2_dm05_pascal_quant.tflite", "0470d2a782aa54eeeb99d32e7b6b3fb7722905c7c4f5d26bd957ec861366d48b",
            "pascal_voc_segmentation_labels.txt", "7337a2b06728385fb3e1106416c67bfddf69628598b1f2f0db6a63cd63fb6b1e");

    /**
     * The labels file that goes with a model file of this name: the iNaturalist bird model has its own
     * 965 classes, the DeepLab segmentation models the 21 PASCAL VOC classes, every other classifier
     * the 1001 ImageNet labels.
     */
    public static String labelsFor(String modelFileName) {
        if (modelFileName.contains("deeplab")) {
            return "pascal_voc_segmentation_labels.txt";
        }
        return modelFileName.contains("inat_bird") ? "inat_bird_labels.txt" : "imagenet_labels.txt";
    }

    private ModelFiles() {
    }

    /**
     * Resolves {@code name}: an existing path as given, then $FRAMEWISE_DATA/models/NAME, then
     * ../shared/models/NAME relative to the working directory and each of its parents, then
     * ~/.cache/framewise/models/NAME.
     *
     * @throws UncheckedIOException (cause {@link FileNotFoundException}) saying where to get the file
     */
    public static Path resolve(String name) {
        return resolve(name, System.getenv("FRAMEWISE_DATA"), Path.of("").toAbsolutePath(),
                Path.of(System.getProperty("user.home")));
    }

    static Path resolve(String name, String dataDir, Path workingDir, Path home) {
        List<Path> candidates = candidates(name, dataDir, workingDir, home);
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String fileName = Path.of(name).getFileName().toString();
        String sha = KNOWN_SHA256.get(fileName);
        String message = "model file '" + name + "' not found; looked in " + candidates + ". "
                + "Get " + fileName + " from the google-coral/test_data repository on GitHub (" + UPSTREAM + ")"
                + (sha == null ? "" : ", SHA-256 " + sha)
                + ", and put it in $FRAMEWISE_DATA/models/, ../shared/models/ next to the repository, or "
                + home.resolve(".cache/framewise/models") + "/";
        throw new UncheckedIOException(message, new FileNotFoundException(name));
    }

    private static List<Path> candidates(String name, String dataDir, Path workingDir, Path home) {
        List<Path> out = new ArrayList<>();
        out.add(workingDir.resolve(name));
        String fileName = Path.of(name).getFileName().toString();
        if (dataDir != null && !dataDir.isBlank()) {
            out.add(Path.of(dataDir).resolve("models").resolve(fileName));
        }
        for (Path dir = workingDir; dir != null && dir.getParent() != null; dir = dir.getParent()) {
            out.add(dir.getParent().resolve("shared").resolve("models").resolve(fileName));
        }
        out.add(home.resolve(".cache").resolve("framewise").resolve("models").resolve(fileName));
        return out;
    }

    /** The published SHA-256 of a known model or label file name. */
    public static Optional<String> knownSha256(String fileName) {
        return Optional.ofNullable(KNOWN_SHA256.get(fileName));
    }

    /**
     * Checks a known file against its published SHA-256 and returns the digest.
     *
     * @throws IllegalArgumentException for a file name we publish no checksum for
     * @throws IllegalStateException    when the content does not match (corrupt or different download)
     */
    public static String verify(Path file) {
        String fileName = file.getFileName().toString();
        String expected = KNOWN_SHA256.get(fileName);
        if (expected == null) {
            throw new IllegalArgumentException("no known SHA-256 for " + fileName + "; known: " + KNOWN_SHA256.keySet());
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new IllegalStateException(file + " has SHA-256 " + actual + ", expected " + expected
                    + "; fetch it again from " + UPSTREAM);
        }
        return actual;
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // the digest accumulates as we read
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
