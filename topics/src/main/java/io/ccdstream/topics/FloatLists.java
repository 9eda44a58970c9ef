package io.ccdstream.topics;

import java.util.ArrayList;
import java.util.List;

/** Converts between Avro's {@code array<float>} lists and the float arrays of the method and the models. */
public final class FloatLists {

    private FloatLists() {}

    /** The values of {@code values} as an array. */
    public static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    /** The values of {@code values} as a list. */
    public static List<Float> toList(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(value);
        }
        return list;
    }
}
