package io.worldstream.serving.dream;

import io.worldstream.models.vae.VaeSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;

/**
 * Dream frames as pictures: an animated GIF with the rollouts side by side, one frame per dream
 * step, and a PNG strip with one row per rollout and a few evenly spaced steps across. Frames are
 * the VAE decoder's 64 × 64 reconstructions, drawn at twice their size.
 */
final class DreamPictures {

  private static final int SCALE = 2;
  private static final int SIDE = VaeSpec.IMAGE * SCALE;
  private static final int GAP = 4;
  static final int STRIP_COLUMNS = 8;

  private DreamPictures() {}

  /**
   * @param frames per rollout, per step, the decoder's [3, 64, 64] output in 0…1
   */
  static byte[] gif(float[][][] frames, int delayMillis) {
    int rollouts = frames.length;
    int steps = frames[0].length;
    java.util.List<BufferedImage> images = new java.util.ArrayList<>();
    for (int t = 0; t < steps; t++) {
      BufferedImage image = canvas(rollouts * SIDE + (rollouts - 1) * GAP, SIDE);
      for (int r = 0; r < rollouts; r++) {
        draw(image, frames[r][t], r * (SIDE + GAP), 0);
      }
      images.add(image);
    }
    return animated(images, delayMillis);
  }

  /** Real observations (HWC bytes) as an animated GIF at twice their size. */
  static byte[] gif(java.util.List<io.worldstream.envs.Pixels> observations, int delayMillis) {
    java.util.List<BufferedImage> images = new java.util.ArrayList<>();
    for (io.worldstream.envs.Pixels p : observations) {
      BufferedImage image = canvas(p.width() * SCALE, p.height() * SCALE);
      for (int y = 0; y < p.height() * SCALE; y++) {
        for (int x = 0; x < p.width() * SCALE; x++) {
          int py = y / SCALE;
          int px = x / SCALE;
          image.setRGB(x, y, (p.get(py, px, 0) << 16) | (p.get(py, px, 1) << 8) | p.get(py, px, 2));
        }
      }
      images.add(image);
    }
    return animated(images, delayMillis);
  }

  private static byte[] animated(java.util.List<BufferedImage> images, int delayMillis) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (var out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int t = 0; t < images.size(); t++) {
        BufferedImage image = images.get(t);
        IIOMetadata metadata =
            writer.getDefaultImageMetadata(
                ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
        animate(metadata, delayMillis, t == 0);
        writer.writeToSequence(new IIOImage(image, null, metadata), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write an animated GIF", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  static byte[] strip(float[][][] frames) {
    int rollouts = frames.length;
    int steps = frames[0].length;
    int columns = Math.min(STRIP_COLUMNS, steps);
    BufferedImage image =
        canvas(columns * SIDE + (columns - 1) * GAP, rollouts * SIDE + (rollouts - 1) * GAP);
    for (int r = 0; r < rollouts; r++) {
      for (int c = 0; c < columns; c++) {
        int t = columns == 1 ? 0 : (int) Math.round(c * (steps - 1) / (double) (columns - 1));
        draw(image, frames[r][t], c * (SIDE + GAP), r * (SIDE + GAP));
      }
    }
    return png(image);
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a PNG", e);
    }
    return bytes.toByteArray();
  }

  private static BufferedImage canvas(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  private static void draw(BufferedImage image, float[] chw, int left, int top) {
    int plane = VaeSpec.IMAGE * VaeSpec.IMAGE;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int i = (y / SCALE) * VaeSpec.IMAGE + x / SCALE;
        int rgb = (level(chw[i]) << 16) | (level(chw[plane + i]) << 8) | level(chw[2 * plane + i]);
        image.setRGB(left + x, top + y, rgb);
      }
    }
  }

  private static int level(float value) {
    return Math.max(0, Math.min(255, Math.round(value * 255)));
  }

  /** Sets the frame delay, and on the first frame makes the GIF loop forever. */
  private static void animate(IIOMetadata metadata, int delayMillis, boolean first)
      throws IOException {
    String format = metadata.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "none");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("delayTime", Integer.toString(Math.max(1, delayMillis / 10)));
    control.setAttribute("transparentColorIndex", "0");
    if (first) {
      IIOMetadataNode extensions = child(root, "ApplicationExtensions");
      IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
      loop.setAttribute("applicationID", "NETSCAPE");
      loop.setAttribute("authenticationCode", "2.0");
      loop.setUserObject(new byte[] {1, 0, 0});
      extensions.appendChild(loop);
    }
    metadata.setFromTree(format, root);
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }
}
