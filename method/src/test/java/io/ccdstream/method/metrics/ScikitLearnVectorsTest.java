package io.ccdstream.method.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks AP and mAP against scikit-learn's {@code average_precision_score}: the vectors in
 * {@code metrics/ap_vectors.json} were written by {@code src/test/python/make_ap_vectors.py} with
 * Debian's scikit-learn (its version is in the file), the project's no-positive rule applied.
 */
class ScikitLearnVectorsTest {

    private static final double TOLERANCE = 1e-9;

    static Stream<Arguments> cases() throws IOException {
        try (InputStream in = ScikitLearnVectorsTest.class.getResourceAsStream("/metrics/ap_vectors.json")) {
            JsonNode document = new ObjectMapper().readTree(in);
            List<JsonNode> cases = new ArrayList<>();
            document.get("cases").forEach(cases::add);
            assertThat(cases).hasSizeGreaterThanOrEqualTo(9);
            return cases.stream().map(c -> Arguments.of(c.get("name").asText(), c));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldMatchScikitLearnPerClassAndMean(String name, JsonNode vector) {
        LabelBinarisation rule =
                LabelBinarisation.valueOf(vector.get("binarisation").asText());
        boolean[][] positives = rule.apply(floats(vector.get("labels")));

        MeanAveragePrecision result = "float32".equals(vector.get("scoreType").asText())
                ? MeanAveragePrecision.of(floats(vector.get("scores")), positives)
                : MeanAveragePrecision.of(doubles(vector.get("scores")), positives);

        assertThat(result.perClass()).containsExactly(doubleRow(vector.get("expectedAp")), within(TOLERANCE));
        assertThat(result.map()).isCloseTo(vector.get("expectedMap").asDouble(), within(TOLERANCE * 100));
    }

    private static double[][] doubles(JsonNode matrix) {
        double[][] out = new double[matrix.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubleRow(matrix.get(i));
        }
        return out;
    }

    private static float[][] floats(JsonNode matrix) {
        float[][] out = new float[matrix.size()][];
        for (int i = 0; i < out.length; i++) {
            double[] row = doubleRow(matrix.get(i));
            out[i] = new float[row.length];
            for (int c = 0; c < row.length; c++) {
                out[i][c] = (float) row[c];
            }
        }
        return out;
    }

    private static double[] doubleRow(JsonNode row) {
        double[] out = new double[row.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = row.get(i).asDouble();
        }
        return out;
    }
}
