package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings by key: the same keys in every command, from a properties file, {@code CCD_*}
 * environment variables, {@code --config} and the options, in that order of precedence; unknown keys
 * and invalid values refused with their origin; each command listing only the options it uses.
 */
class CommandSettingsTest {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    private static RunCommand run(String... args) {
        RunCommand command = new RunCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void shouldLetOptionsOverrideConfigOverrideEnvironmentOverrideFileOverrideDefaults(@TempDir Path dir)
            throws IOException {
        // Given
        Path file = dir.resolve("ccd.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "bootstrap.servers=file:9092",
                        "schema.registry.url=http://file:8081",
                        "ccd.alpha=0.1",
                        "ccd.debias.floor=0.01",
                        "ccd.bias.window=100",
                        "ccd.scorer.batch.size=4",
                        "ccd.trainer.batch.size=8",
                        "kafka.security.protocol=SSL"));
        Map<String, String> environment =
                Map.of("CCD_DEBIAS_FLOOR", "0.02", "CCD_BIAS_WINDOW", "300", "CCD_JAVA_OPTS", "-Xmx1g");

        // When
        CommandSettings settings = run(
                        "scorer",
                        "--config-file",
                        file.toString(),
                        "--bootstrap-servers",
                        "flag:9092",
                        "--config",
                        "ccd.alpha=0.2",
                        "--config",
                        "ccd.bias.window=400",
                        "--alpha",
                        "0.3")
                .settings(environment);

        // Then
        PipelineConfig pipeline = settings.pipeline();
        assertThat(pipeline.getDouble(PipelineConfig.ALPHA))
                .as("option over --config over file")
                .isEqualTo(0.3);
        assertThat(pipeline.getInt(PipelineConfig.BIAS_WINDOW))
                .as("--config over environment")
                .isEqualTo(400);
        assertThat(pipeline.getDouble(PipelineConfig.DEBIAS_FLOOR))
                .as("environment over file")
                .isEqualTo(0.02);
        assertThat(pipeline.scorer().batchSize()).as("file over default").isEqualTo(4);
        assertThat(pipeline.bias().minSamples()).as("default").isEqualTo(200);
        CcdStreamsConfig streams = settings.streams();
        assertThat(streams.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(streams.schemaRegistryUrl()).isEqualTo("http://file:8081");
        assertThat(streams.getString(CcdStreamsConfig.STATE_DIR)).isEqualTo(CcdStreamsConfig.DEFAULT_STATE_DIR);
        assertThat(streams.streamsProperties("scorer")).containsEntry("security.protocol", "SSL");
        assertThat(settings.trainerSettings()).containsOnlyKeys(TrainerConfig.BATCH_SIZE, "kafka.security.protocol");
    }

    @Test
    void shouldTurnEveryOptionIntoItsSetting() {
        // When
        PipelineConfig pipeline = run(
                        "scorer",
                        "--bootstrap-servers",
                        "b:9092",
                        "--schema-registry-url",
                        "http://r",
                        "--floor",
                        "0.0125",
                        "--floor-mode",
                        "RANK",
                        "--alpha",
                        "0.5",
                        "--bias-window",
                        "100",
                        "--bias-buckets",
                        "5",
                        "--bias-min-samples",
                        "20",
                        "--entropy-threshold",
                        "0.5",
                        "--relabel-min-change",
                        "0.1",
                        "--batch-size",
                        "4",
                        "--selection-mean-classes",
                        "4,6",
                        "--local-views",
                        "GRID",
                        "--no-debias",
                        "--classes",
                        "cat,dog",
                        "--allow-host",
                        "img:8080",
                        "--allow-file-root",
                        "/data",
                        "--fetch-timeout",
                        "PT2S")
                .settings(NO_ENVIRONMENT)
                .pipeline();

        // Then
        assertThat((float) pipeline.getDouble(PipelineConfig.DEBIAS_FLOOR).doubleValue())
                .isEqualTo(0.0125f);
        assertThat(pipeline.floorMode()).isEqualTo(FloorMode.RANK);
        assertThat((float) pipeline.getDouble(PipelineConfig.ALPHA).doubleValue())
                .isEqualTo(0.5f);
        assertThat(pipeline.bias().windowSize()).isEqualTo(100);
        assertThat(pipeline.bias().buckets()).isEqualTo(5);
        assertThat(pipeline.bias().minSamples()).isEqualTo(20);
        assertThat(pipeline.bias().entropyThreshold()).isEqualTo(0.5);
        assertThat(pipeline.labeler().minBiasChange()).isEqualTo(0.1f);
        assertThat(pipeline.labeler().debias()).isFalse();
        assertThat(pipeline.scorer().batchSize()).isEqualTo(4);
        assertThat(pipeline.localViews()).isEqualTo(LocalViews.GRID);
        assertThat(pipeline.classNames(List.of())).containsExactly("cat", "dog");
        assertThat(pipeline.claimChecks().allowedHosts()).containsExactly("img:8080");
        assertThat(pipeline.claimChecks().allowedFileRoots())
                .containsExactly(Path.of("/data").toAbsolutePath());
        assertThat(pipeline.claimChecks().fetchTimeout().toMillis()).isEqualTo(2000);
    }

    @Test
    void shouldRefuseUnknownKeysNamingThemAndAcceptPassThroughSettings(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> run("scorer", "--config", "ccd.alhpa=0.3").settings(NO_ENVIRONMENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ccd.alhpa'")
                .hasMessageContaining("--config");
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "ccd.trainer.bach.size=8\n");
        assertThatThrownBy(() -> run("scorer", "--config-file", file.toString()).settings(NO_ENVIRONMENT))
                .hasMessageContaining("'ccd.trainer.bach.size'")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> run("scorer", "--config", TrainerConfig.CLASS_SET_ID + "=x")
                        .settings(NO_ENVIRONMENT))
                .hasMessageContaining(TrainerConfig.CLASS_SET_ID)
                .hasMessageContaining(PipelineConfig.CLASSES);

        CommandSettings settings = run(
                        "scorer",
                        "--config",
                        "kafka.sasl.mechanism=PLAIN",
                        "--config",
                        "basic.auth.credentials.source=USER_INFO")
                .settings(Map.of("CCD_KAFKA_CLIENT_ID", "scorer-1", "CCD_TYPO_KEY", "ignored"));
        assertThat(settings.values())
                .containsOnlyKeys("kafka.sasl.mechanism", "basic.auth.credentials.source", "kafka.client.id");
    }

    @Test
    void shouldRefuseInvalidValuesNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> run("scorer", "--bias-window", "0")
                        .settings(NO_ENVIRONMENT)
                        .pipeline())
                .hasMessageContaining(PipelineConfig.BIAS_WINDOW)
                .hasMessageContaining("--bias-window");
        assertThatThrownBy(() ->
                        run("scorer").settings(Map.of("CCD_ALPHA", "lots")).pipeline())
                .hasMessageContaining(PipelineConfig.ALPHA)
                .hasMessageContaining("environment variable CCD_ALPHA");
        assertThatThrownBy(() -> run("scorer", "--config", "ccd.trainer.batch.size=none")
                        .settings(NO_ENVIRONMENT)
                        .pipeline())
                .hasMessageContaining(TrainerConfig.BATCH_SIZE);
        assertThatThrownBy(() -> run("scorer", "--bias-window", "5", "--config", "ccd.bias.buckets=10")
                        .settings(NO_ENVIRONMENT)
                        .pipeline())
                .hasMessageContaining(PipelineConfig.BIAS_BUCKETS)
                .hasMessageContaining("--config");
        assertThatThrownBy(() -> run("scorer").settings(NO_ENVIRONMENT).streams())
                .hasMessageContaining("bootstrap.servers is not set")
                .hasMessageContaining("--bootstrap-servers");
    }

    @Test
    void shouldNameEveryDocumentedKeyByAnEnvironmentVariable() {
        for (String key : ConfigKeys.documented()) {
            assertThat(ConfigKeys.keyOfEnvironmentVariable(ConfigKeys.environmentVariable(key)))
                    .as(key)
                    .hasValue(key);
        }
        assertThat(ConfigKeys.environmentVariable(PipelineConfig.ALPHA)).isEqualTo("CCD_ALPHA");
        assertThat(ConfigKeys.environmentVariable(CcdStreamsConfig.BOOTSTRAP_SERVERS))
                .isEqualTo("CCD_BOOTSTRAP_SERVERS");
        assertThat(ConfigKeys.environmentVariable(TrainerConfig.BATCH_SIZE)).isEqualTo("CCD_TRAINER_BATCH_SIZE");
        assertThat(ConfigKeys.keyOfEnvironmentVariable("CCD_JAVA_OPTS")).isEmpty();
        assertThat(ConfigKeys.keyOfEnvironmentVariable("CCD_LOG_LEVEL")).isEmpty();
    }

    @Test
    void shouldListOnlyTheOptionsEachCommandUses() {
        CommandLine ccd = Ccd.commandLine();
        String ingest =
                ccd.getSubcommands().get("ingest").getSubcommands().get("synth").getUsageMessage();
        assertThat(ingest)
                .contains("--classes", "--clip-model", "--config", "--config-file", "--bootstrap-servers")
                .doesNotContain(
                        "--alpha",
                        "--floor",
                        "--bias-window",
                        "--selection-threshold",
                        "--no-debias",
                        "--allow-host",
                        "--state-dir");
        String run = ccd.getSubcommands().get("run").getUsageMessage();
        assertThat(run).contains("--config-file", "--config", "--alpha", "--allow-host", "--state-dir", "--classes");
        String models =
                ccd.getSubcommands().get("bench").getSubcommands().get("models").getUsageMessage();
        assertThat(models).contains("--clip-model").doesNotContain("--classes", "--alpha", "--config");
        String throughput = ccd.getSubcommands()
                .get("bench")
                .getSubcommands()
                .get("throughput")
                .getUsageMessage();
        assertThat(throughput).contains("--batch-size", "--classes").doesNotContain("--allow-host", "--config");
        String demo = ccd.getSubcommands().get("demo").getUsageMessage();
        assertThat(demo).contains("--config-file", "--alpha", "--allow-host").doesNotContain("--bootstrap-servers");
    }

    @Test
    void shouldShowTheConfigurationsDefaultsInTheOptionsHelp() {
        // options written "(KEY, default VALUE)" show the key's documented default
        Pattern keyAndDefault = Pattern.compile("\\(([a-z.]+), default ([^;)]+)\\)");
        List<String> checked = new ArrayList<>();
        for (OptionSpec option :
                Ccd.commandLine().getSubcommands().get("run").getCommandSpec().options()) {
            Matcher matcher = keyAndDefault.matcher(String.join(" ", option.description()));
            if (matcher.find()) {
                ConfigDef.ConfigKey key = definition(matcher.group(1));
                assertThat(matcher.group(2))
                        .as(option.longestName())
                        .isEqualTo(ConfigDef.convertToString(key.defaultValue, key.type));
                checked.add(option.longestName());
            }
        }
        assertThat(checked)
                .contains(
                        "--floor",
                        "--floor-mode",
                        "--alpha",
                        "--bias-window",
                        "--entropy-threshold",
                        "--none-threshold",
                        "--selection-window",
                        "--cam-regions",
                        "--crop-offset",
                        "--batch-size",
                        "--local-views",
                        "--state-dir");
    }

    @Test
    void shouldSetTheComposeServicesThroughValidEnvironmentVariables() throws IOException {
        JsonNode environment = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("..", "docker-compose.yml").toFile())
                .at("/x-ccd/environment");
        List<String> keys = new ArrayList<>();
        environment.fields().forEachRemaining(variable -> {
            if (!variable.getKey().equals("CCD_JAVA_OPTS")) {
                String key = ConfigKeys.keyOfEnvironmentVariable(variable.getKey())
                        .orElseThrow(() -> new AssertionError(variable.getKey() + " names no setting"));
                ConfigKeys.validate(key, variable.getValue().asText());
                keys.add(key);
            }
        });
        assertThat(keys)
                .contains(
                        CcdStreamsConfig.BOOTSTRAP_SERVERS,
                        CcdStreamsConfig.SCHEMA_REGISTRY_URL,
                        CcdStreamsConfig.STATE_DIR,
                        PipelineConfig.ALPHA);
    }

    @Test
    void shouldRefuseSettingsThatBenchQualitySetsItself(@TempDir Path dir) {
        CommandRun classes = CommandRun.of(
                "bench",
                "quality",
                "--config",
                "ccd.classes=cat,dog",
                "--work-dir",
                dir.resolve("a").toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(classes.exit()).isNotZero();
        assertThat(classes.output()).contains("ccd.classes does not apply to bench quality");

        CommandRun views = CommandRun.of(
                "bench",
                "quality",
                "--local-views",
                "GRID",
                "--work-dir",
                dir.resolve("b").toString(),
                "--out",
                dir.resolve("out").toString());
        assertThat(views.exit()).isNotZero();
        assertThat(views.output()).contains("do not apply to bench quality");
    }

    private static ConfigDef.ConfigKey definition(String key) {
        for (ConfigDef definition :
                List.of(CcdStreamsConfig.definition(), PipelineConfig.definition(), TrainerConfig.definition())) {
            if (definition.configKeys().containsKey(key)) {
                return definition.configKeys().get(key);
            }
        }
        throw new AssertionError("no definition of " + key);
    }
}
