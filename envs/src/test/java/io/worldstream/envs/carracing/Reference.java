package io.worldstream.envs.carracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Reference data produced by Gymnasium 1.2.3 itself (copied from ../shared/reference/carracing):
 * the seed-0 track, an open-loop trace, exact observations and PNG frames.
 */
final class Reference {

  private Reference() {}

  static JsonNode seed0Track() {
    try (InputStream in = open("seed0_track.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of seed0_openloop_trace.csv as column name → text. */
  static List<Map<String, String>> openLoopTrace() {
    try (InputStream in = open("seed0_openloop_trace.csv")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      String[] header = lines.get(0).split(",");
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = splitCsv(line);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], i < cells.length ? cells[i] : "");
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 96×96×3 uint8 observation from a .npy file. */
  static byte[] observation(String name) {
    try (InputStream in = open(name)) {
      byte[] all = in.readAllBytes();
      // NPY v1: magic (6) + version (2) + header length (2, little endian) + header, then data.
      int headerLength = (all[8] & 0xFF) | (all[9] & 0xFF) << 8;
      String header = new String(all, 10, headerLength, StandardCharsets.US_ASCII);
      if (!header.contains("'|u1'") || !header.contains("(96, 96, 3)")) {
        throw new IllegalStateException(name + " is not a 96x96x3 uint8 array: " + header);
      }
      return Arrays.copyOfRange(all, 10 + headerLength, all.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PNG reference frame (observations are upscaled 4× with nearest neighbour). */
  static BufferedImage image(String name) {
    try (InputStream in = open(name)) {
      return ImageIO.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] splitCsv(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells.toArray(String[]::new);
  }

  private static InputStream open(String name) {
    InputStream in = Reference.class.getResourceAsStream("/carracing/" + name);
    if (in == null) {
      throw new IllegalStateException("missing test resource carracing/" + name);
    }
    return in;
  }
}
