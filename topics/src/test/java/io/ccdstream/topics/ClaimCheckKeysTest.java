package io.ccdstream.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ClaimCheckKeysTest {

    private static final ClaimCheckKeys KEYS = new ClaimCheckKeys("ccd.test.");

    @Test
    void shouldNameTheKeysUnderThePrefix() {
        assertThat(List.of(KEYS.allowedRoots(), KEYS.allowedHosts(), KEYS.maxBytes(), KEYS.timeoutMs()))
                .containsExactly(
                        "ccd.test.claim.check.allowed.roots",
                        "ccd.test.claim.check.allowed.hosts",
                        "ccd.test.claim.check.max.bytes",
                        "ccd.test.claim.check.timeout.ms");
    }

    @Test
    void shouldReadTheClaimCheckRulesWithDefaults() {
        ImageBytes rules = KEYS.read(config(Map.of(KEYS.allowedRoots(), "/data/a,/data/b", KEYS.timeoutMs(), "2500")));

        assertThat(rules.allowedFileRoots()).containsExactly(Path.of("/data/a"), Path.of("/data/b"));
        assertThat(rules.allowedHosts()).isEmpty();
        assertThat(rules.fetchTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(rules.maxFetchBytes()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void shouldRefuseANonPositiveTimeout() {
        assertThatThrownBy(() -> config(Map.of(KEYS.timeoutMs(), "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(KEYS.timeoutMs());
    }

    private static AbstractConfig config(Map<String, ?> settings) {
        return new AbstractConfig(KEYS.define(new ConfigDef()), settings);
    }
}
