package io.framewise.inference.kernels.simd;

/** Weight layouts shared by the vector kernels. Independent of the species: the lane count is an argument. */
public final class PanelPacking {

    private PanelPacking() {
    }

    /**
     * Pointwise/FC {@code [Cout][Cin]} to panels {@code [ceil(Cout/vl)][Cin][vl]} where panel j holds
     * channels {@code [panelStart(j), panelStart(j) + vl)}: when Cout is not a multiple of vl (and at
     * least vl) the last panel is shifted back to end at Cout, overlapping its neighbour, so every panel
     * is stored with a full, unmasked vector store (JDK 17 does not intrinsify masked stores: they box).
     * Cout below vl gives one zero-padded panel.
     */
    public static float[] pointwiseOverlapped(float[] weights, int cin, int cout, int vl) {
        if (weights.length != cin * cout) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + cout + "x" + cin);
        }
        int panels = (cout + vl - 1) / vl;
        float[] p = new float[panels * cin * vl]; // [panels][Cin][VL]
        for (int j = 0; j < panels; j++) {
            int start = panelStart(j, cout, vl);
            int lanes = Math.min(vl, cout - start);
            for (int ci = 0; ci < cin; ci++) {
                for (int l = 0; l < lanes; l++) {
                    p[(j * cin + ci) * vl + l] = weights[(start + l) * cin + ci];
                }
            }
        }
        return p;
    }

    /** First output channel of panel {@code j} in {@link #pointwiseOverlapped}. */
    public static int panelStart(int j, int cout, int vl) {
        return cout < vl ? j * vl : Math.min(j * vl, cout - vl);
    }

    /** Conv {@code [Cout][KH][KW][Cin]} to {@code [KH][KW][Cin][CoutPadded]} (Cout padded to a multiple of vl). */
    public static float[] convTapsByCout(float[] weights, int cout, int kh, int kw, int cin, int vl) {
        if (weights.length != cout * kh * kw * cin) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + cout + "x" + kh + "x" + kw + "x" + cin);
        }
        int coutPad = (cout + vl - 1) / vl * vl;
        float[] p = new float[kh * kw * cin * coutPad]; // [KH][KW][Cin][CoutPad]
        for (int co = 0; co < cout; co++) {
            for (int t = 0; t < kh * kw * cin; t++) {
                p[t * coutPad + co] = weights[co * kh * kw * cin + t];
            }
        }
        return p;
    }

    /** Depthwise {@code [KH][KW][C]} to {@code [KH][KW][CPadded]} (C padded to a multiple of vl). */
    public static float[] depthwise(float[] weights, int kh, int kw, int c, int vl) {
        if (weights.length != kh * kw * c) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + kh + "x" + kw + "x" + c);
        }
        int cPad = (c + vl - 1) / vl * vl;
        float[] p = new float[kh * kw * cPad]; // [KH][KW][CPad]
        for (int t = 0; t < kh * kw; t++) {
            System.arraycopy(weights, t * c, p, t * cPad, c);
        }
        return p;
    }
}
