/**
 * mini-CLIP, the bundled CLIP model: CLIP-like captions for SynthScenes ({@link
 * io.ccdstream.processors.miniclip.Captions}), contrastive training in Java with DJL ({@link
 * io.ccdstream.processors.miniclip.MiniClipTrainer}, {@link
 * io.ccdstream.processors.miniclip.TrainMiniClip}), and the report that shows the model has
 * CLIP's view dependence and class bias ({@link io.ccdstream.processors.miniclip.MiniClipReport},
 * {@link io.ccdstream.processors.miniclip.ReportMiniClip}). The model itself is the {@link
 * io.ccdstream.processors.clip.MiniClipBlock} of the {@code djl-mini-clip} format, which {@link
 * io.ccdstream.processors.clip.ClipModel} loads.
 */
package io.ccdstream.processors.miniclip;
