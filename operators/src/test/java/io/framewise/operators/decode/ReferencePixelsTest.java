package io.framewise.operators.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.operators.frames.Codec;
import io.framewise.operators.frames.FrameRecordMeta;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoded+resized pixels of lossless encodings of the shared photos must equal, bit for bit, the
 * reference's {@code resized_rgb_sha256} (variant "full", 224x224) — as must the classify path
 * (javax.imageio decode, checked against {@code decoded_rgb_sha256}, then {@code ResizePlan}).
 */
class ReferencePixelsTest {

    private static FrameDecoder decoder;

    @BeforeAll
    static void open() {
        decoder = new FrameDecoder(224, 224);
    }

    @AfterAll
    static void close() {
        decoder.close();
    }

    record Ref(String image, int width, int height, String decodedSha, String resizedSha) {
    }

    static List<Ref> references() throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.reference().toFile());
        List<Ref> refs = new ArrayList<>();
        for (JsonNode im : root.get("images")) {
            if (!"shared".equals(im.path("set").asText())) {
                continue;
            }
            for (JsonNode r : im.get("results")) {
                if (!"mobilenet_v2_1.0_224_quant.tflite".equals(r.get("model").asText())) {
                    continue;
                }
                for (JsonNode v : r.get("variants")) {
                    if ("full".equals(v.get("variant").asText())) {
                        refs.add(new Ref(im.get("image").asText().replace("images/", ""), im.get("width").asInt(),
                                im.get("height").asInt(), im.get("decoded_rgb_sha256").asText(),
                                v.get("resized_rgb_sha256").asText()));
                    }
                }
            }
        }
        assertTrue(refs.size() >= 6, "reference lists the six shared photos, found " + refs.size());
        return refs;
    }

    static Stream<Arguments> losslessEncodings() throws IOException {
        List<Arguments> args = new ArrayList<>();
        for (Ref r : references()) {
            args.add(Arguments.of(r, "png", Codec.PNG));
            args.add(Arguments.of(r, "bmp", Codec.BMP));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("losslessEncodings")
    void losslessReEncodingDecodesToReferencePixels(Ref ref, String format, Codec codec) {
        BufferedImage img = MediaFixtures.readImage(ref.image());
        byte[] samples = MediaFixtures.rgbSamples(img);
        assertEquals(ref.decodedSha(), MediaFixtures.sha256(samples), "javax.imageio decode of " + ref.image());

        // What classify does: javax.imageio decode, then the inference module's resize.
        byte[] viaImageIo = resizeWithPlan(img, samples);
        assertEquals(ref.resizedSha(), MediaFixtures.sha256(viaImageIo), "ImageIO + ResizePlan of " + ref.image());

        // Our path: the lossless re-encoding through FFmpeg, then ResizePlan.
        byte[] encoded = MediaFixtures.encode(img, format);
        DecodeResult res = decoder.decode(FrameRecordMeta.of(codec, 1_000L, 0), encoded);
        assertTrue(res.isOk(), () -> res.toString());
        DecodedFrame f = res.frames().get(0);
        assertEquals(ref.width(), f.sourceWidth());
        assertEquals(ref.height(), f.sourceHeight());
        assertEquals(224, f.outWidth());
        assertEquals(1_000L, f.ptsMs());
        assertEquals(0, f.index());
        assertEquals(ref.resizedSha(), MediaFixtures.sha256(f.rgb()),
                format + " decode of " + ref.image() + " differs from the reference's resized pixels");
    }

    private static byte[] resizeWithPlan(BufferedImage img, byte[] samples) {
        byte[] out = new byte[224 * 224 * 3];
        ResizePlan.full(img.getWidth(), img.getHeight(), 224, 224).resize(samples, out, 0);
        return out;
    }

    @Test
    void rawRgb24DecodesToReferencePixels() throws IOException {
        Ref ref = references().get(0);
        BufferedImage img = MediaFixtures.readImage(ref.image());
        byte[] samples = MediaFixtures.rgbSamples(img);
        FrameRecordMeta meta = FrameRecordMeta.of(Codec.RAW_RGB24, 5L, 3).withSize(img.getWidth(), img.getHeight());
        DecodeResult res = decoder.decode(meta, samples);
        assertTrue(res.isOk(), () -> res.toString());
        assertEquals(ref.resizedSha(), MediaFixtures.sha256(res.frames().get(0).rgb()));
    }

    /**
     * JPEG is lossy and FFmpeg's IDCT/upsampling differ from libjpeg's, so no bit-exact match; the
     * decoded picture must still be the same photo: mean absolute difference to the ImageIO decode
     * of the same JPEG, both resized with ResizePlan, below 3 levels.
     */
    @Test
    void jpegDecodesCloseToImageIo() throws IOException {
        for (String name : List.of("hot_dog.jpg", "parrot.jpg")) {
            BufferedImage img = MediaFixtures.readImage(name);
            byte[] expected = new byte[224 * 224 * 3];
            ResizePlan.full(img.getWidth(), img.getHeight(), 224, 224).resize(MediaFixtures.rgbSamples(img), expected, 0);
            byte[] jpg = java.nio.file.Files.readAllBytes(SharedData.image(name));
            DecodeResult res = decoder.decode(FrameRecordMeta.of(Codec.JPEG, 0L, 0), jpg);
            assertTrue(res.isOk(), () -> res.toString());
            double mad = meanAbsDiff(expected, res.frames().get(0).rgb());
            assertTrue(mad < 3.0, name + ": mean abs diff to ImageIO " + mad);
        }
    }

    static double meanAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }
}
