package io.ccdstream.streams.shadow;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointStatus;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.schemas.ShadowResult;
import io.ccdstream.schemas.ShadowVerdict;
import io.ccdstream.streams.scorer.Prepared;
import io.ccdstream.streams.scorer.ScoringEngine;
import io.ccdstream.topics.FloatLists;
import io.ccdstream.topics.PoisonRecordException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the most recent sampled images of each class set and, when a candidate checkpoint awaits
 * its verdict, scores the sample with it and with the checkpoint in use, judges it and writes the
 * result and the verdict. The verdict is recorded in a changelogged store in the same transaction
 * as its output, so a candidate is judged once, also across crashes. The candidate's scores go
 * nowhere else: they never become labels.
 */
final class ShadowProcessor implements Processor<ClassSetKey, Image, ClassSetKey, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowProcessor.class);
    private static final String SEQ = "seq/";
    private static final String DECIDED = "decided/";
    private static final int CHUNK = 16;

    private final ShadowSettings settings;
    private final ShadowFollower follower;
    private final ScoringEngine candidateEngine;
    private final ScoringEngine currentEngine;
    private final Clock clock;
    private final MeterRegistry registry;
    private ProcessorContext<ClassSetKey, SpecificRecord> context;
    private KeyValueStore<String, Image> sample;
    private KeyValueStore<String, Long> state;

    ShadowProcessor(
            ShadowSettings settings,
            ShadowFollower follower,
            ScoringEngine candidateEngine,
            ScoringEngine currentEngine,
            Clock clock,
            MeterRegistry registry) {
        this.registry = registry;
        this.settings = settings;
        this.follower = follower;
        this.candidateEngine = candidateEngine;
        this.currentEngine = currentEngine;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<ClassSetKey, SpecificRecord> context) {
        this.context = context;
        this.sample = context.getStateStore(ShadowTopology.SAMPLE_STORE);
        this.state = context.getStateStore(ShadowTopology.STATE_STORE);
        context.schedule(settings.checkInterval(), PunctuationType.WALL_CLOCK_TIME, now -> judgePending());
    }

    @Override
    public void process(Record<ClassSetKey, Image> record) {
        String classSetId = record.key().getClassSetId();
        Long seq = state.get(SEQ + classSetId);
        long next = seq == null ? 0 : seq + 1;
        sample.put(classSetId + "/" + (next % settings.sampleSize()), record.value());
        state.put(SEQ + classSetId, next);
    }

    private void judgePending() {
        List<String> classSets = new ArrayList<>();
        try (KeyValueIterator<String, Long> it =
                state.prefixScan(SEQ, new org.apache.kafka.common.serialization.StringSerializer())) {
            it.forEachRemaining(kv -> classSets.add(kv.key.substring(SEQ.length())));
        }
        for (String classSetId : classSets) {
            follower.pending(classSetId).ifPresent(p -> judge(classSetId, p));
        }
    }

    private void judge(String classSetId, ShadowFollower.Pending pending) {
        Checkpoint candidate = pending.candidate();
        Long decided = state.get(DECIDED + classSetId);
        if (decided != null && candidate.getVersion() <= decided) {
            return;
        }
        Checkpoint current = follower.serving(classSetId).orElse(null);
        if (pending.failure() != null) {
            verdict(
                    classSetId,
                    candidate,
                    current,
                    null,
                    new PromotionRule.Verdict(false, "rejected: " + pending.failure()));
            return;
        }
        if (!loaded(follower.candidates().current(classSetId), candidate)
                || (current != null && !loaded(follower.current().current(classSetId), current))) {
            return; // still loading
        }
        List<Prepared> images = sampleOf(classSetId);
        // the first checkpoint of a class set has nothing to be compared with: one image will do (a
        // stream of a few images must not wait for its first checkpoint forever)
        if (images.isEmpty() || current != null && images.size() < settings.minSample()) {
            return;
        }
        List<Scores> withCandidate = new ArrayList<>();
        List<Scores> withCurrent = new ArrayList<>();
        for (int i = 0; i < images.size(); i += CHUNK) {
            List<Prepared> chunk = images.subList(i, Math.min(images.size(), i + CHUNK));
            withCandidate.addAll(candidateEngine.score(chunk));
            withCurrent.addAll(currentEngine.score(chunk));
        }
        if (withCandidate.stream()
                .anyMatch(s -> !Long.valueOf(candidate.getVersion()).equals(s.getCheckpointVersion()))) {
            return; // the candidate changed while it was scored: judge the newer one next time
        }
        ShadowEvaluation evaluation = ShadowEvaluation.of(withCandidate, withCurrent);
        PromotionRule.Verdict verdict = settings.rule().decide(candidate, current, evaluation);
        LOG.info(
                "Shadow: v{} of class set {}: {} ({})",
                candidate.getVersion(),
                classSetId,
                verdict.reason(),
                evaluation);
        verdict(classSetId, candidate, current, evaluation, verdict);
    }

    private static boolean loaded(Optional<Checkpoint> inHolder, Checkpoint wanted) {
        return inHolder.isPresent() && inHolder.get().getVersion() == wanted.getVersion();
    }

    private List<Prepared> sampleOf(String classSetId) {
        List<Prepared> images = new ArrayList<>();
        try (KeyValueIterator<String, Image> it =
                sample.prefixScan(classSetId + "/", new org.apache.kafka.common.serialization.StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, Image> kv = it.next();
                ImageKey key = new ImageKey(classSetId, kv.value.getImageId());
                try {
                    images.add(new Prepared(key, null, candidateEngine.prepare(key, kv.value)));
                } catch (PoisonRecordException e) {
                    // the scorer dead-letters it; the sample does without it
                    LOG.debug("Shadow: sample image {} skipped: {}", key.getImageId(), e.getMessage());
                }
            }
        }
        return images;
    }

    private void verdict(
            String classSetId,
            Checkpoint candidate,
            Checkpoint current,
            ShadowEvaluation evaluation,
            PromotionRule.Verdict verdict) {
        ClassSetKey key = new ClassSetKey(classSetId);
        long now = clock.millis();
        Checkpoint decision = Checkpoint.newBuilder(candidate)
                .setStatus(verdict.promote() ? CheckpointStatus.PROMOTED : CheckpointStatus.REJECTED)
                .setStatusReason(verdict.reason())
                .setDecidedAt(java.time.Instant.ofEpochMilli(now))
                .build();
        context.forward(new Record<>(key, (SpecificRecord) result(candidate, current, evaluation, verdict, now), now));
        context.forward(new Record<>(key, (SpecificRecord) decision, now));
        if (!verdict.promote() && current != null) {
            // the latest record of a class set on the compacted topic stays the one in use
            context.forward(new Record<>(key, (SpecificRecord) current, now));
        }
        state.put(DECIDED + classSetId, candidate.getVersion());
        Counter.builder(ShadowTopology.VERDICTS_METRIC)
                .description("Candidate checkpoints judged by the shadow service, by class set and verdict")
                .tag("class_set", classSetId)
                .tag("verdict", verdict.promote() ? "promoted" : "rejected")
                .register(registry)
                .increment();
    }

    private static ShadowResult result(
            Checkpoint candidate,
            Checkpoint current,
            ShadowEvaluation evaluation,
            PromotionRule.Verdict verdict,
            long now) {
        ShadowResult.Builder result = ShadowResult.newBuilder()
                .setClassSetId(candidate.getClassSetId())
                .setCandidateVersion(candidate.getVersion())
                .setCurrentVersion(current == null ? null : current.getVersion())
                .setCandidateHeldOutMap(candidate.getMetrics().getHeldOutMap())
                .setCurrentHeldOutMap(
                        current == null ? null : current.getMetrics().getHeldOutMap())
                .setVerdict(verdict.promote() ? ShadowVerdict.PROMOTE : ShadowVerdict.REJECT)
                .setReason(verdict.reason())
                .setEvaluatedAt(java.time.Instant.ofEpochMilli(now));
        if (evaluation == null) {
            return result.setSampleImages(0)
                    .setClassAgreement(List.of())
                    .setCandidateSelectionRate(List.of())
                    .setCurrentSelectionRate(List.of())
                    .setSelectionShift(0)
                    .build();
        }
        return result.setSampleImages(evaluation.sampleImages())
                .setClassAgreement(FloatLists.toList(evaluation.classAgreement()))
                .setCandidateSelectionRate(FloatLists.toList(evaluation.candidateSelectionRate()))
                .setCurrentSelectionRate(FloatLists.toList(evaluation.currentSelectionRate()))
                .setSelectionShift(evaluation.selectionShift())
                .setMeanBoxIou(evaluation.meanBoxIou())
                .setCandidateCropAgreement(evaluation.candidateCropAgreement())
                .setCurrentCropAgreement(evaluation.currentCropAgreement())
                .build();
    }
}
