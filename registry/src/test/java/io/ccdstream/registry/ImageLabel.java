package io.ccdstream.registry;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Version 2 of a label record, hand-written like a generated class: version 1
 * ({@link #V1_SCHEMA}) had only {@code imageId} and {@code label}; version 2 adds two fields
 * with defaults, a backward-compatible change.
 */
public class ImageLabel extends SpecificRecordBase {

    public static final Schema V1_SCHEMA = new Schema.Parser().parse("""
        {"type":"record","name":"ImageLabel","namespace":"io.ccdstream.registry","fields":[
          {"name":"imageId","type":"string"},
          {"name":"label","type":"string"}]}""");

    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
        {"type":"record","name":"ImageLabel","namespace":"io.ccdstream.registry","fields":[
          {"name":"imageId","type":"string"},
          {"name":"label","type":"string"},
          {"name":"confidence","type":"double","default":1.0},
          {"name":"checkpoint","type":["null","string"],"default":null}]}""");

    private String imageId;
    private String label;
    private double confidence;
    private String checkpoint;

    /** Used by Avro when decoding. */
    public ImageLabel() {}

    public ImageLabel(String imageId, String label, double confidence, String checkpoint) {
        this.imageId = imageId;
        this.label = label;
        this.confidence = confidence;
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
            case 1 -> label;
            case 2 -> confidence;
            case 3 -> checkpoint;
            default -> throw new IndexOutOfBoundsException("field " + field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> imageId = value.toString();
            case 1 -> label = value.toString();
            case 2 -> confidence = (Double) value;
            case 3 -> checkpoint = value == null ? null : value.toString();
            default -> throw new IndexOutOfBoundsException("field " + field);
        }
    }

    public String imageId() {
        return imageId;
    }

    public String label() {
        return label;
    }

    public double confidence() {
        return confidence;
    }

    public String checkpoint() {
        return checkpoint;
    }
}
