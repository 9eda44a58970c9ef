/**
 * Image input: safe decoding of untrusted JPEG/PNG bytes into 8-bit RGB ({@link
 * io.ccdstream.method.image.ImageDecoder}), the pixel value type ({@link
 * io.ccdstream.method.image.RgbImage}) and CLIP-style preprocessing into normalised CHW
 * floats ({@link io.ccdstream.method.image.ClipPreprocessor}).
 *
 * <p>Nothing in this package depends on DJL: these are plain Java values, usable by the stream
 * models, the trainer and the tests alike.
 */
package io.ccdstream.method.image;
