package io.ccdstream.data.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestLedgerTest {

    @TempDir
    Path dir;

    @Test
    void shouldRememberAcknowledgedIdsAndFingerprintsAcrossReopening() {
        try (IngestLedger ledger = IngestLedger.open(dir, "cs1")) {
            ledger.append(List.of(
                    new IngestLedger.Entry("a.png", "/x/a.png", "/x/a.png|3|10", 0, 5),
                    new IngestLedger.Entry("u1", "http://h/u1.jpg", null, 1, 7)));
        }
        try (IngestLedger ledger = IngestLedger.open(dir, "cs1")) {
            assertThat(ledger.file()).isEqualTo(dir.resolve("cs1.jsonl"));
            assertThat(ledger.size()).isEqualTo(2);
            assertThat(ledger.hasId("a.png")).isTrue();
            assertThat(ledger.hasId("u1")).isTrue();
            assertThat(ledger.hasId("b.png")).isFalse();
            assertThat(ledger.hasFingerprint("/x/a.png|3|10")).isTrue();
            assertThat(ledger.hasFingerprint(null)).isFalse();
            assertThat(ledger.origins()).containsEntry("a.png", "/x/a.png").containsEntry("u1", "http://h/u1.jpg");
        }
        try (IngestLedger other = IngestLedger.open(dir, "cs2")) {
            assertThat(other.size()).isZero();
        }
    }

    @Test
    void shouldIgnoreATornLastLineAndStartTheNextEntryOnALineOfItsOwn() throws IOException {
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            ledger.append(List.of(new IngestLedger.Entry("a", "a", null, 0, 0)));
        }
        Files.writeString(
                dir.resolve("cs.jsonl"), "{\"id\":\"b\",\"ori", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            assertThat(ledger.hasId("a")).isTrue();
            assertThat(ledger.hasId("b")).isFalse();
            ledger.append(List.of(new IngestLedger.Entry("c", "c", null, 0, 1)));
        }
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            assertThat(ledger.size()).isEqualTo(2);
            assertThat(ledger.hasId("c")).isTrue();
        }
    }
}
