package io.ccdstream.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (and the sample lines of OpenMetrics), for
 * tests: every line is a comment ({@code # HELP}, {@code # TYPE}, {@code # UNIT}, {@code # EOF}) or a
 * sample {@code name{label="value",...} value [timestamp]}; anything else fails.
 */
public final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String NUMBER = "[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|NaN|Inf|\\+Inf|-Inf)";
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{((?:" + LABEL + ")(?:," + LABEL
            + ")*,?)?\\})? (" + NUMBER + ")(?: [-+]?[0-9]+(?:\\.[0-9]+)?)?(?: # .*)?");
    private static final Pattern ONE_LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
    private static final Pattern COMMENT = Pattern.compile("# (?:(?:HELP|TYPE|UNIT) " + NAME + "(?: .*)?|EOF)");

    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    /** Parses {@code body}; throws naming the first line that is neither a comment nor a sample. */
    public static PrometheusText parse(String body) {
        List<Sample> samples = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (!COMMENT.matcher(line).matches()) {
                    throw new IllegalArgumentException("not a comment of the format: " + line);
                }
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = ONE_LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            String number = m.group(3).replace("+Inf", "Infinity").replace("Inf", "Infinity");
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(number)));
        }
        return new PrometheusText(List.copyOf(samples));
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    /** The samples named {@code name} whose labels include {@code labels} (pairs of name, value). */
    public List<Sample> find(String name, String... labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> {
                    for (int i = 0; i + 1 < labels.length; i += 2) {
                        if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .toList();
    }

    /** The value of the one sample {@link #find} answers, if exactly one. */
    public Optional<Double> value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        return found.size() == 1 ? Optional.of(found.get(0).value()) : Optional.empty();
    }
}
