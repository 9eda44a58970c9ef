package io.ccdstream.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN.md, checked on the main classes of every module (the cli's test
 * classpath holds them all): the data flow's arrows point one way, the method is pure Java, only
 * the models touch DJL, the trainer has no Kafka Streams, and no main code uses test support.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ccdstream");
    }

    @Test
    void shouldKeepTheMethodPureJava() {
        rule(noClasses()
                .that()
                .resideInAPackage("io.ccdstream.method..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "ai.djl..",
                        "org.apache.kafka..",
                        "org.apache.avro..",
                        "io.ccdstream.models..",
                        "io.ccdstream.topics..",
                        "io.ccdstream.registry..",
                        "io.ccdstream.schemas..",
                        "io.ccdstream.data..",
                        "io.ccdstream.streams..",
                        "io.ccdstream.trainer..",
                        "io.ccdstream.embedded..")
                .because("the method is pure Java: CCD steps, metrics, image decoding"));
    }

    @Test
    void shouldLetOnlyTheModelsUseDjl() {
        rule(noClasses()
                .that()
                .resideOutsideOfPackage("io.ccdstream.models..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("ai.djl..")
                .because("the models module is the one place that speaks DJL"));
    }

    @Test
    void shouldKeepKafkaStreamsOutOfTheTrainer() {
        rule(noClasses()
                .that()
                .resideInAPackage("io.ccdstream.trainer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka.streams..",
                        "io.ccdstream.streams..",
                        "io.ccdstream.embedded..",
                        "kafka..",
                        "org.apache.kafka.server..")
                .because("the trainer is a plain consumer/producer service"));
    }

    @Test
    void shouldKeepKafkaOutOfTheModelsAndData() {
        rule(noClasses()
                .that()
                .resideInAnyPackage("io.ccdstream.models..", "io.ccdstream.data..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka..",
                        "io.ccdstream.topics..",
                        "io.ccdstream.registry..",
                        "io.ccdstream.streams..",
                        "io.ccdstream.trainer..")
                .because("models and data know nothing of Kafka"));
    }

    @Test
    void shouldKeepTopicsFreeOfKafkaStreamsAndServices() {
        rule(noClasses()
                .that()
                .resideInAPackage("io.ccdstream.topics..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.apache.kafka.streams..",
                        "io.ccdstream.streams..",
                        "io.ccdstream.trainer..",
                        "io.ccdstream.embedded..",
                        "io.ccdstream.models..",
                        "ai.djl..")
                .because("topics is what every Kafka client shares, with no Kafka Streams"));
    }

    @Test
    void shouldKeepTheBrokerOutOfTheServices() {
        rule(noClasses()
                .that()
                .resideInAnyPackage("io.ccdstream.streams..", "io.ccdstream.trainer..", "io.ccdstream.topics..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.ccdstream.embedded..", "kafka.server..", "org.apache.kafka.server..")
                .because("services run against any cluster; only the embedded runtime starts a broker"));
    }

    @Test
    void shouldPointTheArrowsOneWay() {
        // cli -> (streams | trainer | bench) -> (topics, models, method, data) -> (registry, schemas)
        rule(noClasses()
                .that()
                .resideInAnyPackage(
                        "io.ccdstream.streams..",
                        "io.ccdstream.trainer..",
                        "io.ccdstream.bench..",
                        "io.ccdstream.topics..",
                        "io.ccdstream.models..",
                        "io.ccdstream.method..",
                        "io.ccdstream.data..",
                        "io.ccdstream.registry..",
                        "io.ccdstream.schemas..",
                        "io.ccdstream.embedded..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ccdstream.cli..")
                .because("the cli parses options and prints; nothing depends on it"));
        rule(noClasses()
                .that()
                .resideOutsideOfPackages("io.ccdstream.cli..", "io.ccdstream.bench..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ccdstream.bench..")
                .because("benchmark harnesses are used by the cli only"));
        rule(noClasses()
                .that()
                .resideInAnyPackage("io.ccdstream.registry..", "io.ccdstream.schemas..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.ccdstream.topics..",
                        "io.ccdstream.models..",
                        "io.ccdstream.method..",
                        "io.ccdstream.data..",
                        "io.ccdstream.streams..",
                        "io.ccdstream.trainer..")
                .because("registry and schemas are the bottom layer"));
        rule(slices().matching("io.ccdstream.(*)..").should().beFreeOfCycles());
    }

    @Test
    void shouldKeepTestSupportOutOfMainCode() {
        rule(noClasses()
                .that()
                .resideOutsideOfPackage("io.ccdstream.testsupport..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ccdstream.testsupport..")
                .because("test support is for test scope only"));
    }

    private static void rule(ArchRule rule) {
        rule.check(main);
    }
}
