package io.ccdstream.streams.shadow;

/** How a checkpoint the trainer announces comes to label the stream. */
public enum RolloutMode {
    /** The shadow service scores it next to the one in use and promotes or rejects it; scorers serve only promoted ones. */
    shadow,
    /** Scorers serve each announced checkpoint as soon as it verifies (no shadow service). */
    immediate
}
