package io.framewise.operators.records;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/** Equality of insertion-ordered header maps with byte[] values (order is part of a record). */
final class RecordHeaderMaps {

    private RecordHeaderMaps() {
    }

    static boolean equal(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<String, byte[]>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, byte[]>> ib = b.entrySet().iterator();
        while (ia.hasNext()) {
            Map.Entry<String, byte[]> x = ia.next();
            Map.Entry<String, byte[]> y = ib.next();
            if (!x.getKey().equals(y.getKey()) || !Arrays.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }
}
