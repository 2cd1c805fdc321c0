package io.framewise.inference.kernels.simd;

/** Weight layouts shared by the vector kernels. Independent of the species: the lane count is an argument. */
public final class PanelPacking {

    private PanelPacking() {
    }

    /** Pointwise/FC {@code [Cout][Cin]} to panels {@code [ceil(Cout/vl)][Cin][vl]}, zero-padded. */
    public static float[] pointwise(float[] weights, int cin, int cout, int vl) {
        if (weights.length != cin * cout) {
            throw new IllegalArgumentException("weights " + weights.length + " != " + cout + "x" + cin);
        }
        int panels = (cout + vl - 1) / vl;
        float[] p = new float[panels * cin * vl]; // [panels][Cin][VL]
        for (int co = 0; co < cout; co++) {
            int base = (co / vl) * cin * vl + co % vl;
            for (int ci = 0; ci < cin; ci++) {
                p[base + ci * vl] = weights[co * cin + ci];
            }
        }
        return p;
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
