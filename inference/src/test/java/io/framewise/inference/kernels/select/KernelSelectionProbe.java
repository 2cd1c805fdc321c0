package io.framewise.inference.kernels.select;

import io.framewise.inference.kernels.KernelSet;


/** Entry point of the child JVM in {@link KernelSelectionTest}: prints the chosen set, twice to show caching. */
public final class KernelSelectionProbe {

    private KernelSelectionProbe() {
    }

    public static void main(String[] args) {
        KernelSet first = KernelSelection.get();
        KernelSet second = KernelSelection.get();
        System.out.println("kernels=" + first.name());
        if (first != second) {
            System.out.println("not cached");
            System.exit(2);
        }
        float[] out = new float[1];
        first.elementwise().add(new float[]{1}, 0, new float[]{2}, 0, out, 0, 1, 0, 10);
        System.out.println("add=" + out[0]);
    }
}
