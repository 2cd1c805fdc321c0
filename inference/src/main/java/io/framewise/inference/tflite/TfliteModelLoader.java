package io.framewise.inference.tflite;

import io.framewise.inference.model.ModelFormatException;
import io.framewise.inference.model.ModelGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Loads a .tflite MobileNet into the float graph: weights dequantized to fp32 once, fused activations
 * and quantized output ranges turned into clamps. Only the first subgraph is used. Anything we cannot
 * run faithfully (unknown op, unsupported option, malformed or hostile file) is a
 * {@link ModelFormatException} at load time, never a wrong answer later.
 */
public final class TfliteModelLoader {

    /** Flatbuffers address 32-bit offsets; a MobileNet is a few MB. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    private TfliteModelLoader() {
    }

    public static ModelGraph load(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ModelFormatException(file + ": " + size + " bytes is too large for a TFLite flatbuffer");
            }
            return load(Files.readAllBytes(file), file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        }
    }

    public static ModelGraph load(byte[] bytes, String name) {
        String sha256 = sha256(bytes);
        try {
            return GraphBuilder.build(Model.root(ByteBuffer.wrap(bytes)), name, sha256);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(name + ": " + e.getMessage(), e);
        } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException
                 | ArithmeticException | NegativeArraySizeException e) {
            // Every read is bounds-checked first; this is the backstop that keeps a hostile file an
            // input error rather than a crash.
            throw new ModelFormatException(name + ": malformed TFLite file (" + e + ")", e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
