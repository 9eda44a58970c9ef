package io.ccdstream.models.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.LambdaBlock;
import ai.djl.translate.TranslateException;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.djl.DjlRuntime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The translators against stub blocks instead of real weights. */
class TranslatorStubBlockTest {

    private final AtomicReference<String> selectedMethod = new AtomicReference<>();

    @Test
    void shouldFeedNormalisedChwImagesToEncodeImageAndNormaliseTheOutput() throws Exception {
        // stub encoder: per-channel mean of the input, so D = 3 and the output is the normalised pixel
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(4).build();
        try (Model model = stub(in -> new NDList(in.get(0).mean(new int[] {3}).mean(new int[] {2})));
                Predictor<List<RgbImage>, float[][]> predictor = model.newPredictor(new ImageTranslator(pre, 3))) {

            float[][] out = predictor.predict(List.of(RgbImage.filled(8, 8, 0xFF0000)));

            float[] chw = pre.toChw(RgbImage.filled(4, 4, 0xFF0000));
            float[] pixel = Vectors.l2Normalised(new float[] {chw[0], chw[16], chw[32]});
            assertThat(out[0]).containsExactly(pixel, within(1e-6f));
            assertThat(selectedMethod.get()).isEqualTo("module_method:encode_image");
        }
    }

    @Test
    void shouldFeedPaddedTokenIdsToEncodeText() throws Exception {
        // stub encoder: the token ids themselves as floats, so D = L
        try (Model model = stub(in -> new NDList(in.get(0).toType(DataType.FLOAT32, false)));
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                        TinyClipFixture.modelDir().resolve("tokenizer.json"), TextTranslator.tokenizerOptions(16));
                Predictor<List<String>, float[][]> predictor =
                        model.newPredictor(new TextTranslator(tokenizer, 16, 0, 16))) {

            float[][] out = predictor.predict(List.of("a kite"));

            // [SOS]=2, a=4, kite=22, [EOS]=3, then padding 0 (vocabulary of make_tiny_clip.py)
            float[] ids = {2, 4, 22, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            assertThat(out[0]).containsExactly(Vectors.l2Normalised(ids), within(1e-6f));
            assertThat(selectedMethod.get()).isEqualTo("module_method:encode_text");
        }
    }

    @Test
    void shouldRefuseAnOutputOfTheWrongDimension() throws Exception {
        ClipPreprocessor pre = ClipPreprocessor.builder().setImageSize(4).build();
        try (Model model = stub(in -> new NDList(in.get(0).mean(new int[] {3}).mean(new int[] {2})));
                Predictor<List<RgbImage>, float[][]> predictor = model.newPredictor(new ImageTranslator(pre, 5))) {

            assertThatThrownBy(() -> predictor.predict(List.of(RgbImage.filled(4, 4, 0))))
                    .isInstanceOf(TranslateException.class)
                    .hasMessageContaining("encode_image returned shape (1, 3)");
        }
    }

    private Model stub(Function<NDList, NDList> encoder) {
        TinyClipFixture.pytorch();
        Model model = Model.newInstance("stub", DjlRuntime.PYTORCH);
        model.setBlock(new LambdaBlock(in -> {
            selectedMethod.set(in.get(in.size() - 1).getName());
            return encoder.apply(in);
        }));
        return model;
    }
}
