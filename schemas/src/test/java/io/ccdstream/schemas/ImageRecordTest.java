package io.ccdstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageRecordTest {

    @BeforeAll
    static void trustGeneratedClasses() {
        TrustedSchemas.install();
    }

    @Test
    void shouldRoundTripAnInlineImageWithGroundTruth() throws IOException {
        Image image = Image.newBuilder()
                .setImageId("img-1")
                .setClassSetId("cs")
                .setData(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setContentType("image/png")
                .setByteSize(3)
                .setCaptureTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setSource(Map.of("camera", "north"))
                .setGroundTruth(GroundTruth.newBuilder()
                        .setLabels(List.of("cat"))
                        .setBoxes(List.of(new GroundTruthBox("cat", 1, 2, 30, 40)))
                        .build())
                .build();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Image.class).write(image, encoder);
        encoder.flush();
        Image read = new SpecificDatumReader<>(Image.class)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(read).isEqualTo(image);
        assertThat(read.getUri()).isNull();
        assertThat(read.getGroundTruth().getBoxes().get(0).getX1()).isEqualTo(30);
    }

    @Test
    void shouldDefaultOptionalFieldsToAbsent() {
        Image image = Image.newBuilder()
                .setImageId("img-2")
                .setClassSetId("cs")
                .setUri("file:///tmp/a.png")
                .setContentType("image/png")
                .setByteSize(10)
                .build();
        assertThat(image.getData()).isNull();
        assertThat(image.getGroundTruth()).isNull();
        assertThat(image.getSource()).isEmpty();
    }
}
