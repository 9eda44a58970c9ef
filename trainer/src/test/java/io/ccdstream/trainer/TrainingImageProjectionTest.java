package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.registry.EmbeddedSchemaRegistry;
import io.ccdstream.schemas.GroundTruth;
import io.ccdstream.schemas.GroundTruthBox;
import io.ccdstream.schemas.Image;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.trainer.avro.TrainingImage;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer reads images through a projection without ground truth: the data is dropped at decoding. */
class TrainingImageProjectionTest {

    @Test
    void shouldDropGroundTruthWhenTheTrainerDecodesAnImageRecord() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            RegistrySerdes serdes = new RegistrySerdes(Map.of("schema.registry.url", registry.url()));
            // Given an image record that carries ground truth, written with the full Image schema
            Image image = Image.newBuilder()
                    .setImageId("img-1")
                    .setClassSetId("cs")
                    .setData(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                    .setContentType("image/png")
                    .setByteSize(3)
                    .setGroundTruth(new GroundTruth(List.of("cat"), List.of(new GroundTruthBox("cat", 0, 0, 4, 4))))
                    .build();
            byte[] bytes = CcdTopics.IMAGES.valueSerde(serdes).serializer().serialize(CcdTopics.IMAGES.name(), image);

            // When the trainer's deserializer reads it
            TrainingImage read =
                    serdes.serde(TrainingImage.class, false).deserializer().deserialize(CcdTopics.IMAGES.name(), bytes);

            // Then the pixels arrive and the ground truth has nowhere to go
            assertThat(read.getImageId()).isEqualTo("img-1");
            assertThat(read.getData().array()).containsExactly(1, 2, 3);
            assertThat(read.getSchema().getFields())
                    .extracting(f -> f.name().toLowerCase(Locale.ROOT))
                    .doesNotContain("groundtruth");
            assertThat(read.toString()).doesNotContain("cat");
        }
    }

    @Test
    void shouldOfferNoGroundTruthAccessorOnTheTrainersImageType() {
        List<String> methods = Arrays.stream(TrainingImage.class.getMethods())
                .map(Method::getName)
                .map(name -> name.toLowerCase(Locale.ROOT))
                .toList();

        assertThat(methods).isNotEmpty().noneMatch(name -> name.contains("groundtruth") || name.contains("truth"));
    }
}
