package io.framewise.operators.records;

/** An axis-aligned box in normalized picture coordinates (0..1, origin top left). */
public record Box(float x0, float y0, float x1, float y1) {

    /** The smallest box covering this one and {@code o}; {@code o} may be null. */
    public Box union(Box o) {
        return o == null ? this
                : new Box(Math.min(x0, o.x0), Math.min(y0, o.y0), Math.max(x1, o.x1), Math.max(y1, o.y1));
    }
}
