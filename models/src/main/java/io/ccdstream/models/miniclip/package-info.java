/**
 * mini-CLIP, the bundled CLIP model: CLIP-like captions for SynthScenes ({@link
 * io.ccdstream.models.miniclip.Captions}), contrastive training in Java with DJL ({@link
 * io.ccdstream.models.miniclip.MiniClipTrainer}, {@link
 * io.ccdstream.models.miniclip.TrainMiniClip}), and the report that shows the model has
 * CLIP's view dependence and class bias ({@link io.ccdstream.models.miniclip.MiniClipReport},
 * {@link io.ccdstream.models.miniclip.ReportMiniClip}). The model itself is the {@link
 * io.ccdstream.models.clip.MiniClipBlock} of the {@code djl-mini-clip} format, which {@link
 * io.ccdstream.models.clip.ClipModel} loads.
 */
package io.ccdstream.models.miniclip;
