package io.ccdstream.models.miniclip;

import java.util.List;

/**
 * What a mini-CLIP training run did.
 *
 * @param epochs one entry per epoch, in order
 * @param dataSeconds wall-clock seconds spent generating the training pairs
 * @param trainSeconds wall-clock seconds spent in the epochs
 * @param logitScale the learned logit scale at the end
 */
public record TrainingSummary(List<Epoch> epochs, double dataSeconds, double trainSeconds, float logitScale) {

    /** Copies the epochs. */
    public TrainingSummary {
        epochs = List.copyOf(epochs);
    }

    /** @return data generation plus training, in seconds */
    public double totalSeconds() {
        return dataSeconds + trainSeconds;
    }

    /** @return the mean loss of the first epoch */
    public double firstLoss() {
        return epochs.get(0).meanLoss();
    }

    /** @return the mean loss of the last epoch */
    public double lastLoss() {
        return epochs.get(epochs.size() - 1).meanLoss();
    }

    /**
     * One epoch.
     *
     * @param epoch 1-based epoch number
     * @param meanLoss mean contrastive loss over the epoch's batches
     * @param seconds wall-clock seconds of the epoch
     * @param logitScale the learned logit scale after the epoch
     */
    public record Epoch(int epoch, double meanLoss, double seconds, float logitScale) {}
}
