package io.worldstream.train.vae;

import io.worldstream.models.ModelVersion;
import io.worldstream.models.vae.FramePreprocessor;
import io.worldstream.models.vae.VaeDecoder;
import io.worldstream.models.vae.VaeEncoder;
import io.worldstream.models.vae.VaeSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The card that goes with a trained VAE: data, command, training figures, held-out reconstruction
 * error, and a picture of held-out frames above their reconstructions made with the written ONNX
 * files themselves.
 */
record ModelCard(
    VaeTrainer.Frames frames,
    VaeTrainer.Report report,
    String command,
    Duration collecting,
    String data) {

  private static final int SHOWN = 8;
  private static final int SCALE = 3;

  void write(Path dir, byte[] encoderBytes, byte[] decoderBytes) throws IOException {
    Files.writeString(dir.resolve("MODEL_CARD.md"), markdown(encoderBytes, decoderBytes));
    ImageIO.write(
        reconstructions(encoderBytes, decoderBytes),
        "png",
        dir.resolve("reconstructions.png").toFile());
  }

  private String markdown(byte[] encoder, byte[] decoder) {
    StringBuilder md = new StringBuilder();
    md.append("# VAE model card\n\n");
    md.append("World Models' V (Ha & Schmidhuber 2018): 64×64×3 frames ↔ 32-dimensional latents, ")
        .append(String.format("%,d", 4_348_547))
        .append(" parameters. Written ")
        .append(Instant.now())
        .append(".\n\n");
    md.append("| | |\n|---|---|\n");
    md.append("| encoder | `encoder.onnx`, ")
        .append(String.format("%,d", encoder.length))
        .append(" bytes, sha256 `")
        .append(ModelVersion.of(encoder))
        .append("` (the VAE version latents carry) |\n");
    md.append("| decoder | `decoder.onnx`, ")
        .append(String.format("%,d", decoder.length))
        .append(" bytes, sha256 `")
        .append(ModelVersion.of(decoder))
        .append("` |\n");
    md.append("| data | ").append(data).append(" |\n");
    md.append("| frames | ")
        .append(String.format("%,d", frames.size()))
        .append(" (")
        .append(frames.episodes().stream().distinct().count())
        .append(" episodes); ")
        .append(String.format("%,d", report.trainFrames()))
        .append(" for training, ")
        .append(String.format("%,d", report.heldOutFrames()))
        .append(" held out (")
        .append(report.heldOutEpisodes())
        .append(" whole episodes) |\n");
    md.append(
        "| preprocessing | top 84 rows of the 96×96 observation, area-averaged to 64×64, scaled to [0, 1] (`FramePreprocessor`) |\n");
    md.append(
        "| loss | summed squared error per frame + KL to N(0, I) floored at 0.5 × 32 nats; Adam, global-norm clipping at 100 |\n");
    md.append("| epochs | ").append(report.epochs().size()).append(" |\n");
    md.append("| wall time | collecting ")
        .append(seconds(collecting))
        .append(", training ")
        .append(seconds(report.wall()))
        .append(" (2-core CPU, DJL 0.35.1 / libtorch 2.7.1) |\n");
    md.append(
        String.format(
            "| **held-out MSE per pixel** | **%.5f** (values in [0, 1]; reconstruction from μ) |%n",
            report.heldOutMsePerPixel()));
    md.append("\nReproduce:\n\n```bash\n").append(command).append("\n```\n\n");
    md.append(
        "| epoch | train loss | held-out MSE per pixel | frames/s | elapsed |\n|---|---|---|---|---|\n");
    for (VaeTrainer.EpochReport e : report.epochs()) {
      md.append(
          String.format(
              "| %d | %.1f | %.5f | %.0f | %s |%n",
              e.epoch(),
              e.trainLoss(),
              e.heldOutMsePerPixel(),
              e.framesPerSecond(),
              seconds(e.elapsed())));
    }
    md.append(
        "\n![held-out frames (top) and their reconstructions (bottom)](reconstructions.png)\n\n");
    md.append(
        "Top row: held-out frames as the VAE sees them; bottom row: decoded from their μ by `decoder.onnx`.\n");
    return md.toString();
  }

  private BufferedImage reconstructions(byte[] encoderBytes, byte[] decoderBytes) {
    List<Integer> heldOut = report.heldOutIndices();
    int n = Math.min(SHOWN, heldOut.size());
    int size = VaeSpec.IMAGE * SCALE;
    BufferedImage image =
        new BufferedImage(Math.max(1, n) * (size + 4), 2 * (size + 4), BufferedImage.TYPE_INT_RGB);
    if (n == 0) {
      return image;
    }
    float[] originals = new float[n * VaeSpec.PIXELS];
    FramePreprocessor preprocessor = FramePreprocessor.carRacing();
    for (int i = 0; i < n; i++) {
      int index = heldOut.get(i * heldOut.size() / n);
      preprocessor.preprocess(frames.observations().get(index), originals, i * VaeSpec.PIXELS);
    }
    try (VaeEncoder encoder = VaeEncoder.load(encoderBytes, 2);
        VaeDecoder decoder = VaeDecoder.load(decoderBytes, 2)) {
      float[] decoded = decoder.decode(encoder.encode(originals, n).mu(), n);
      for (int i = 0; i < n; i++) {
        paint(image, originals, i, i * (size + 4), 0);
        paint(image, decoded, i, i * (size + 4), size + 4);
      }
    }
    return image;
  }

  private static void paint(BufferedImage image, float[] chw, int index, int x0, int y0) {
    int plane = VaeSpec.IMAGE * VaeSpec.IMAGE;
    int base = index * VaeSpec.PIXELS;
    for (int y = 0; y < VaeSpec.IMAGE * SCALE; y++) {
      for (int x = 0; x < VaeSpec.IMAGE * SCALE; x++) {
        int p = base + (y / SCALE) * VaeSpec.IMAGE + x / SCALE;
        int r = Math.round(chw[p] * 255);
        int g = Math.round(chw[p + plane] * 255);
        int b = Math.round(chw[p + 2 * plane] * 255);
        image.setRGB(x0 + x, y0 + y, r << 16 | g << 8 | b);
      }
    }
  }

  private static String seconds(Duration d) {
    return d.toSeconds() >= 120
        ? String.format("%.1f min", d.toMillis() / 60000.0)
        : String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
