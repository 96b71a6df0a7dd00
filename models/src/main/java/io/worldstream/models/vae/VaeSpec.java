package io.worldstream.models.vae;

/**
 * The VAE of World Models (Ha & Schmidhuber 2018, DESIGN §4): four 4×4 stride-2 convolutions (32,
 * 64, 128, 256) to 1024 features, then μ and log σ² of a 32-dimensional latent; the decoder maps z
 * to 1024, reshapes to 1024×1×1 and applies four stride-2 transposed convolutions (128, 64, 32, 3
 * channels; kernels 5, 5, 6, 6) back to 64×64×3 with a sigmoid. 4,348,547 parameters.
 */
public final class VaeSpec {

  /** The observations V reads: CarRacing's 96×96 RGB frames (HWC bytes). */
  public static final int OBSERVATION_HEIGHT = 96;

  public static final int OBSERVATION_WIDTH = 96;
  public static final int OBSERVATION_CHANNELS = 3;

  public static final int LATENT = 32;
  public static final int IMAGE = 64;
  public static final int CHANNELS = 3;
  public static final int PIXELS = CHANNELS * IMAGE * IMAGE;
  public static final int[] ENCODER_CHANNELS = {32, 64, 128, 256};
  public static final int ENCODER_KERNEL = 4;
  public static final int FEATURES = 1024;
  public static final int[] DECODER_CHANNELS = {128, 64, 32, 3};
  public static final int[] DECODER_KERNELS = {5, 5, 6, 6};
  public static final int STRIDE = 2;

  /** Encoder input: the frame batch, NCHW, values in [0, 1]. */
  public static final String FRAMES = "frames";

  public static final String MU = "mu";
  public static final String LOGVAR = "logvar";

  /** Decoder input and output. */
  public static final String Z = "z";

  public static final String RECONSTRUCTION = "reconstruction";

  private VaeSpec() {}

  /** Names and shapes of every weight, encoder first, in the order of the layers. */
  public static java.util.LinkedHashMap<String, long[]> weightShapes() {
    var shapes = new java.util.LinkedHashMap<String, long[]>();
    int in = CHANNELS;
    for (int i = 0; i < ENCODER_CHANNELS.length; i++) {
      int out = ENCODER_CHANNELS[i];
      shapes.put(
          "encoder.conv" + (i + 1) + ".weight",
          new long[] {out, in, ENCODER_KERNEL, ENCODER_KERNEL});
      shapes.put("encoder.conv" + (i + 1) + ".bias", new long[] {out});
      in = out;
    }
    shapes.put("encoder.mu.weight", new long[] {LATENT, FEATURES});
    shapes.put("encoder.mu.bias", new long[] {LATENT});
    shapes.put("encoder.logvar.weight", new long[] {LATENT, FEATURES});
    shapes.put("encoder.logvar.bias", new long[] {LATENT});
    shapes.put("decoder.fc.weight", new long[] {FEATURES, LATENT});
    shapes.put("decoder.fc.bias", new long[] {FEATURES});
    in = FEATURES;
    for (int i = 0; i < DECODER_CHANNELS.length; i++) {
      int out = DECODER_CHANNELS[i];
      int k = DECODER_KERNELS[i];
      // ConvTranspose weights are [in, out, k, k], as in PyTorch and ONNX.
      shapes.put("decoder.deconv" + (i + 1) + ".weight", new long[] {in, out, k, k});
      shapes.put("decoder.deconv" + (i + 1) + ".bias", new long[] {out});
      in = out;
    }
    return shapes;
  }
}
