package io.framewise.pipeline.job;

import io.framewise.operators.decode.SharedData;
import io.framewise.inference.exec.Classification;
import io.framewise.inference.exec.Classifier;
import io.framewise.inference.exec.ClassifierOptions;
import io.framewise.inference.exec.CompiledModel;
import io.framewise.inference.exec.SharedModels;
import io.framewise.inference.model.InputSpec;
import io.framewise.inference.preprocess.ImageFiles;
import io.framewise.inference.preprocess.ResizePlan;
import io.framewise.inference.preprocess.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;

/**
 * A labeled test video built from the shared photos: each photo held for {@code hold} frames
 * (H.264 in MPEG-TS), and each photo's top-1 class as {@code framewise classify} gives it (the
 * whole photo stretched to the model input), so frame i must be labeled {@code expected(i / hold)}.
 */
final class LabeledVideo {

    /** Photos the default model is sure about (top-1 score over 0.9), so lossy video keeps their label. */
    static final List<String> PHOTOS = List.of("bird.bmp", "grace_hopper.bmp", "hot_dog.jpg", "parrot.jpg",
            "dragonfly.bmp");

    final Path file;
    final int hold;
    final List<String> photos;
    /** Top-1 label of each photo, in order. */
    final List<String> top1;

    private LabeledVideo(Path file, int hold, List<String> photos, List<String> top1) {
        this.file = file;
        this.hold = hold;
        this.photos = photos;
        this.top1 = top1;
    }

    int frames() {
        return hold * photos.size();
    }

    String expectedLabel(int frame) {
        return top1.get(frame / hold);
    }

    static LabeledVideo build(Path dir, int hold, double fps, int gop) throws Exception {
        return build(dir, PHOTOS, hold, fps, gop);
    }

    /** {@code photos} in order (a name may repeat), each held for {@code hold} frames. */
    static LabeledVideo build(Path dir, List<String> photos, int hold, double fps, int gop) throws Exception {
        Path images = SharedData.root().resolve("images");
        CompiledModel model = SharedModels.load(SharedModels.DEFAULT_MODEL, null);
        List<String> top1 = new ArrayList<>();
        List<BufferedImage> frames = new ArrayList<>();
        InputSpec in = model.input();
        try (Classifier c = new Classifier(model, new ClassifierOptions(1, 1, 1, false))) {
            for (String name : photos) {
                RgbImage img = ImageFiles.read(images.resolve(name));
                byte[] px = new byte[model.imageBytes()];
                ResizePlan.full(img.width(), img.height(), in.width(), in.height()).resize(img.pixels(), px, 0);
                Classification[] r = c.classify(px, 1);
                top1.add(r[0].label(0));
                frames.add(read(images.resolve(name)));
            }
        }
        Path file = dir.resolve("labeled.ts");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 448, 336, 0);
             Java2DFrameConverter conv = new Java2DFrameConverter()) {
            r.setFormat("mpegts");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(fps);
            r.setGopSize(gop);
            // colours must survive: the labels are told apart by content
            r.setVideoBitrate(4_000_000);
            r.start();
            for (BufferedImage img : frames) {
                BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                bgr.getGraphics().drawImage(img, 0, 0, null);
                Frame f = conv.convert(bgr);
                for (int k = 0; k < hold; k++) {
                    r.record(f); // scaled to 448x336
                }
            }
            r.stop();
        }
        return new LabeledVideo(file, hold, List.copyOf(photos), List.copyOf(top1));
    }

    private static BufferedImage read(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) {
            throw new IOException("cannot read " + p);
        }
        return img;
    }
}
