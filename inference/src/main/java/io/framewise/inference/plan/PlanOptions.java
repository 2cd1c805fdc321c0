package io.framewise.inference.plan;

import java.util.Locale;

/**
 * How the planner runs the blocks it recognises.
 *
 * @param fusion         AUTO fuses a block when its expanded tensor is larger than {@code fuseAboveBytes}
 *                       per image (it would not stay in L2 between the three convolutions); ALWAYS and
 *                       NEVER force one path for every block (benchmarks compare the two)
 * @param fuseAboveBytes AUTO's threshold
 * @param fuseSplitAboveBytes AUTO's threshold in the plan for a batch split over threads layer by layer
 *                       ({@link Plan#splitSteps}); at most {@code fuseAboveBytes}
 * @param tileBytes      budget for the expanded-row tile of a fused block; the tile should stay in L2
 *                       together with the block's weights
 * @param snapActivations round every activation of a quantized model to its quantization grid, as the
 *                       model defines them (closer to TFLite on low-margin images, a few % slower);
 *                       off: activations keep full fp32 precision, only the final logits are snapped
 * @param foldImagePooling fold a concatenation's pixel-constant input (DeepLab's image pooling, resized
 *                       from 1×1) into the next 1×1 conv's per-image bias instead of copying it to every
 *                       pixel ({@link PointwiseStep.BroadcastInput}); off only to compare the two
 * @param padDepthwise   write a 3×3 depthwise layer's input with its zero padding around it (the
 *                       expansion's GEMM does, {@code PointwiseConv#runRows}) and run the border-free
 *                       {@code PaddedDepthwiseConv}; off only to compare the two
 */
public record PlanOptions(Fusion fusion, long fuseAboveBytes, long fuseSplitAboveBytes, long tileBytes,
                          boolean snapActivations, boolean foldImagePooling, boolean padDepthwise) {

    public enum Fusion { AUTO, ALWAYS, NEVER }

    /**
     * Thresholds from `./framewise bench --blocks` on MobileNetV2 (Zen 5, 1 MiB L2 per core), with the
     * allocation-free kernels: fused took 0.71–0.91× the unfused time for the blocks whose depthwise
     * input exceeds 1 MiB (112×112 and 56×56 maps) and 1.02–1.12× for every smaller one. Split over 2
     * threads at batch 1 (Intel host, docs/benchmarks.md part 5) the fused blocks with 28×28 and 14×14
     * depthwise inputs (294-588 KiB) took 0.76-0.99× the time of their unfused steps, the 7×7 ones
     * (184 KiB) 1.12-1.29×: split, blocks fuse above 256 KiB.
     */
    public static PlanOptions defaults() {
        return new PlanOptions(Fusion.AUTO, 1L << 20, 256L << 10, 256L << 10, true, true, true);
    }

    /** Defaults, overridden by {@code -Dframewise.fusion=auto|always|never}, {@code -Dframewise.fusion.tileBytes=N}, {@code -Dframewise.fusion.aboveBytes=N}, {@code -Dframewise.fusion.splitAboveBytes=N}, {@code -Dframewise.snapActivations=true|false}, {@code -Dframewise.foldImagePooling=true|false}, {@code -Dframewise.padDepthwise=true|false}. */
    public static PlanOptions fromSystemProperties() {
        PlanOptions d = defaults();
        String f = System.getProperty("framewise.fusion");
        Fusion fusion = d.fusion();
        if (f != null) {
            try {
                fusion = Fusion.valueOf(f.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("framewise.fusion must be auto, always or never, got '" + f + "'");
            }
        }
        long tile = Long.getLong("framewise.fusion.tileBytes", d.tileBytes());
        long above = Long.getLong("framewise.fusion.aboveBytes", d.fuseAboveBytes());
        long splitAbove = Math.min(above, Long.getLong("framewise.fusion.splitAboveBytes", d.fuseSplitAboveBytes()));
        String snap = System.getProperty("framewise.snapActivations", Boolean.toString(d.snapActivations()));
        if (!snap.equals("true") && !snap.equals("false")) {
            throw new IllegalArgumentException("framewise.snapActivations must be true or false, got '" + snap + "'");
        }
        String fold = System.getProperty("framewise.foldImagePooling", Boolean.toString(d.foldImagePooling()));
        if (!fold.equals("true") && !fold.equals("false")) {
            throw new IllegalArgumentException("framewise.foldImagePooling must be true or false, got '" + fold + "'");
        }
        String pad = System.getProperty("framewise.padDepthwise", Boolean.toString(d.padDepthwise()));
        if (!pad.equals("true") && !pad.equals("false")) {
            throw new IllegalArgumentException("framewise.padDepthwise must be true or false, got '" + pad + "'");
        }
        return new PlanOptions(fusion, above, splitAbove, tile, Boolean.parseBoolean(snap), Boolean.parseBoolean(fold),
                Boolean.parseBoolean(pad));
    }

    public PlanOptions withFusion(Fusion f) {
        return new PlanOptions(f, fuseAboveBytes, fuseSplitAboveBytes, tileBytes, snapActivations, foldImagePooling, padDepthwise);
    }

    public PlanOptions withFoldImagePooling(boolean fold) {
        return new PlanOptions(fusion, fuseAboveBytes, fuseSplitAboveBytes, tileBytes, snapActivations, fold, padDepthwise);
    }

    public PlanOptions withPadDepthwise(boolean pad) {
        return new PlanOptions(fusion, fuseAboveBytes, fuseSplitAboveBytes, tileBytes, snapActivations, foldImagePooling, pad);
    }
}
