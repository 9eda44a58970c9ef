package io.ccdstream.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written stand-in for an avro-maven-plugin generated class, with the schema the
 * JavaScript interop script registers as {@code js.registered-value}.
 */
public class InteropImage extends SpecificRecordBase {

    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
        {"type":"record","name":"InteropImage","namespace":"io.ccdstream.registry","fields":[
          {"name":"imageId","type":"string"},
          {"name":"width","type":"int"},
          {"name":"score","type":"double"},
          {"name":"capturedAt","type":"long"},
          {"name":"labels","type":{"type":"array","items":"string"}},
          {"name":"checkpoint","type":["null","string"],"default":null}]}""");

    private String imageId;
    private int width;
    private double score;
    private long capturedAt;
    private List<String> labels = new ArrayList<>();
    private String checkpoint;

    /** Used by Avro when decoding. */
    public InteropImage() {}

    public InteropImage(
            String imageId, int width, double score, long capturedAt, List<String> labels, String checkpoint) {
        this.imageId = imageId;
        this.width = width;
        this.score = score;
        this.capturedAt = capturedAt;
        this.labels = List.copyOf(labels);
        this.checkpoint = checkpoint;
    }

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> imageId;
            case 1 -> width;
            case 2 -> score;
            case 3 -> capturedAt;
            case 4 -> labels;
            case 5 -> checkpoint;
            default -> throw new IndexOutOfBoundsException("field " + field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> imageId = value.toString();
            case 1 -> width = (Integer) value;
            case 2 -> score = (Double) value;
            case 3 -> capturedAt = (Long) value;
            case 4 -> labels = ((List<?>) value).stream().map(Object::toString).toList();
            case 5 -> checkpoint = value == null ? null : value.toString();
            default -> throw new IndexOutOfBoundsException("field " + field);
        }
    }

    public String imageId() {
        return imageId;
    }

    public int width() {
        return width;
    }

    public double score() {
        return score;
    }

    public long capturedAt() {
        return capturedAt;
    }

    public List<String> labels() {
        return labels;
    }

    public String checkpoint() {
        return checkpoint;
    }
}
