package io.ccdstream.data.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The JSON writer of the exports. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper COMPACT = new ObjectMapper();

    private Json() {}

    /** A float score as the shortest decimal that reads back as the same float. */
    static double score(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
