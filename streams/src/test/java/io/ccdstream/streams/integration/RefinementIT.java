package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.ccd.CamBoxConfig;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.models.scoring.ScoredImage;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelMaker;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.query.QueryServer;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.FloatLists;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole labelling pipeline on the in-process broker: a few hundred images are labelled from
 * the global view, a classifier checkpoint is published, and every image ends with a label made
 * with it (REFINED where it chose a crop, INITIAL where it chose none) whose numbers equal an
 * offline recomputation by the method and models on the same inputs.
 */
class RefinementIT {

    private static final int IMAGES = 240;

    @TempDir
    Path dataDir;

    @Test
    void shouldRefineEveryImageOnceACheckpointIsPublishedAsTheProcessorsWould() throws Exception {
        try (TestCluster cluster = TestCluster.start(dataDir, 4);
                ClipModel clip =
                        ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models")))) {
            ClassSet classSet = clip.classSet(SynthClass.names());
            // a fixed threshold: each image's crops then do not depend on the images scored before it,
            // so one image scored offline gets the same crops as in the stream
            RefinementSettings refinement = new RefinementSettings(
                    new ClassSelection.Fixed(ClassSelection.PAPER_THRESHOLD), CamBoxConfig.DEFAULTS, true);
            PipelineSettings settings = PipelineSettings.defaults(
                            dataDir.resolve("models").resolve(BundledModels.DEFAULT), classSet)
                    .withRefinement(refinement)
                    .withBias(new BiasSettings(100, 5, 20, BiasSettings.DEFAULTS.entropyThreshold()))
                    .withLabeler(new LabelerSettings(Duration.ofSeconds(1), 0.05f));
            SynthScenes scenes = new SynthScenes(21, 64, 0.05);
            Map<String, RgbImage> pixels = new HashMap<>();

            try (Pipeline pipeline = Pipeline.start(
                            StreamsTestConfig.of(cluster, "p1"), settings, List.of(Pipeline.Service.values()));
                    QueryServer queries = QueryServer.start(
                            "127.0.0.1",
                            0,
                            pipeline.streams(Pipeline.Service.labeler).orElseThrow(),
                            pipeline.checkpoints()::current)) {
                // Given images labelled from the global view only
                try (KafkaProducer<ImageKey, Image> producer = cluster.producer(
                        CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer(),
                        CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer())) {
                    for (int i = 0; i < IMAGES; i++) {
                        SynthScene scene = scenes.generate(i);
                        pixels.put(
                                scene.id(),
                                ImageDecoder.builder()
                                        .build()
                                        .decode(scene.png())
                                        .image());
                        producer.send(new ProducerRecord<>(
                                CcdTopics.IMAGES.name(),
                                new ImageKey(classSet.id(), scene.id()),
                                ImageRecords.synth(scene, classSet.id())));
                    }
                }
                Map<String, Label> labels = latestLabels(cluster, l -> true);
                assertThat(labels).hasSize(IMAGES);
                assertThat(labels.values())
                        .allSatisfy(l -> assertThat(l.getStage()).isEqualTo(LabelStage.INITIAL));

                // When a classifier checkpoint is published
                Path file = dataDir.resolve("checkpoint-v1.ckpt");
                Classifier classifier = Classifier.create(ClassifierConfig.builder()
                        .setClassNames(classSet.classNames())
                        .optInputSize(64)
                        .optSeed(5)
                        .build());
                TestCheckpoints.publish(cluster, classSet, classifier, file, 1, null);

                // Then every image ends examined by that checkpoint (the backfill): REFINED exactly
                // where the classifier selected a crop, the global view's INITIAL label elsewhere
                Map<String, Label> refined =
                        latestLabels(cluster, l -> Long.valueOf(1L).equals(l.getCheckpointVersion()));
                assertThat(refined).hasSize(IMAGES);
                assertThat(refined.values())
                        .allSatisfy(l -> assertThat(l.getStage())
                                .isEqualTo(l.getLocalViews() > 0 ? LabelStage.REFINED : LabelStage.INITIAL));
                assertThat(refined.values())
                        .anySatisfy(l -> assertThat(l.getLocalViews()).isPositive());

                // and its numbers are those of the method and models on the same inputs
                Map<String, Scores> scores = latestRefinedScores(cluster);
                Map<Long, Bias> biases = biasVersions(cluster);
                CcdImageScorer offline = new CcdImageScorer(clip, refinement);
                LabelMaker maker = new LabelMaker(
                        id -> Optional.of(classSet.classNames()), settings.debias(), new Mix(settings.alpha()));
                for (Label label : refined.values()) {
                    ScoredImage expected = offline.scoreRefined(
                                    classSet, List.of(pixels.get(label.getImageId())), classifier)
                            .get(0);
                    Scores actual = scores.get(label.getImageId());
                    assertThat(FloatLists.toArray(actual.getGlobal()))
                            .containsExactly(expected.global(), within(1e-4f));
                    assertThat(FloatLists.toArray(actual.getLocal())).containsExactly(expected.local(), within(1e-4f));
                    assertThat(actual.getClipInferences()).isEqualTo(expected.clipInferences());
                    Bias bias = label.getBiasVersion() == null ? null : biases.get(label.getBiasVersion());
                    Label recomputed =
                            maker.label(new ImageKey(classSet.id(), label.getImageId()), actual, bias, Instant.EPOCH);
                    assertThat(FloatLists.toArray(label.getScores()))
                            .containsExactly(FloatLists.toArray(recomputed.getScores()), within(1e-6f));
                }
                assertThat(biases).as("the bias service published versions").isNotEmpty();

                // and the state is queryable
                HttpClient http = HttpClient.newHttpClient();
                String someImage = refined.values().stream()
                        .filter(l -> l.getStage() == LabelStage.REFINED)
                        .findFirst()
                        .orElseThrow()
                        .getImageId();
                assertThat(get(http, queries.url() + "/labels/" + classSet.id() + "/" + someImage))
                        .contains("\"stage\": \"REFINED\"")
                        .contains(someImage);
                assertThat(get(http, queries.url() + "/bias/" + classSet.id())).contains("\"version\"");
                assertThat(get(http, queries.url() + "/checkpoints/" + classSet.id()))
                        .contains("\"version\": 1");
                classifier.close();
            }
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " -> " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static Map<String, Label> latestLabels(TestCluster cluster, java.util.function.Predicate<Label> wanted) {
        Map<String, Label> latest = new HashMap<>();
        cluster.read(
                CcdTopics.LABELS.name(),
                CcdTopics.LABELS.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.LABELS.valueSerde(cluster.serdes()).deserializer(),
                r -> latest.put(r.key().getImageId(), r.value()),
                () -> latest.size() == IMAGES && latest.values().stream().allMatch(wanted),
                Duration.ofMinutes(3));
        return latest;
    }

    private static Map<String, Scores> latestRefinedScores(TestCluster cluster) {
        Map<String, Scores> latest = new HashMap<>();
        cluster.read(
                CcdTopics.SCORES.name(),
                CcdTopics.SCORES.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.SCORES.valueSerde(cluster.serdes()).deserializer(),
                r -> {
                    if (r.value().getLocal() != null) {
                        latest.put(r.key().getImageId(), r.value());
                    }
                },
                () -> latest.size() == IMAGES,
                Duration.ofMinutes(1));
        return latest;
    }

    private static Map<Long, Bias> biasVersions(TestCluster cluster) {
        Map<Long, Bias> versions = new HashMap<>();
        cluster.read(
                CcdTopics.BIAS.name(),
                CcdTopics.BIAS.keySerde(cluster.serdes()).deserializer(),
                CcdTopics.BIAS.valueSerde(cluster.serdes()).deserializer(),
                r -> versions.put(r.value().getVersion(), r.value()),
                () -> false,
                Duration.ofSeconds(3));
        return versions;
    }
}
