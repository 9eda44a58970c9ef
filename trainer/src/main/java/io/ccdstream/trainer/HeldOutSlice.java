package io.ccdstream.trainer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which images may join the trainer's held-out slice: one in {@code every}, chosen by a stable hash
 * of the image id (the same on every run, machine and restart, and independent of arrival order).
 * The {@link TrainingSet} keeps the slice; {@link HeldOutSignal} scores checkpoints on it.
 */
public final class HeldOutSlice {

    private HeldOutSlice() {}

    /**
     * @param imageId the producer's image id
     * @param every   one image in this many is a candidate; 0 means none
     * @return whether {@code imageId} is a candidate for the slice
     */
    public static boolean candidate(String imageId, int every) {
        if (every <= 0) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(imageId.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong() >>> 1;
            return bits % every == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
