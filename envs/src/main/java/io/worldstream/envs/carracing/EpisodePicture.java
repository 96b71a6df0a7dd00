package io.worldstream.envs.carracing;

import io.worldstream.envs.Pixels;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture of one episode for people: on the left the whole track from above with the car's path
 * (green at the start, red at the end), on the right a grid of observations taken evenly through
 * the episode, each labelled with its step.
 */
public final class EpisodePicture {

  private static final int MAP = 720;
  private static final int TILE = 192;
  private static final int COLUMNS = 4;

  private final Track track;
  private final List<double[]> path = new ArrayList<>();
  private final List<Pixels> frames = new ArrayList<>();
  private final List<Integer> frameSteps = new ArrayList<>();
  private final String title;

  public EpisodePicture(Track track, String title) {
    this.track = track;
    this.title = title;
  }

  /** Records where the car was after a step. */
  public void addPosition(double x, double y) {
    path.add(new double[] {x, y});
  }

  /** Adds an observation to the grid. */
  public void addFrame(int step, Pixels observation) {
    frames.add(observation);
    frameSteps.add(step);
  }

  /** The track from above with the car's path and the title, without the grid of frames. */
  public BufferedImage renderTrack() {
    BufferedImage image = new BufferedImage(MAP, MAP + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    drawBackground(g, MAP, MAP + 30);
    drawMap(g);
    g.dispose();
    return image;
  }

  /** The track with the car's path beside the grid of frames. */
  public BufferedImage render() {
    int rows = Math.max(1, (frames.size() + COLUMNS - 1) / COLUMNS);
    int width = MAP + COLUMNS * TILE;
    int height = Math.max(MAP, rows * TILE) + 30;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    drawBackground(g, width, height);
    drawMap(g);
    for (int i = 0; i < frames.size(); i++) {
      int x0 = MAP + (i % COLUMNS) * TILE;
      int y0 = 30 + (i / COLUMNS) * TILE;
      Pixels p = frames.get(i);
      BufferedImage frame = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < p.height(); y++) {
        for (int x = 0; x < p.width(); x++) {
          frame.setRGB(x, y, p.get(y, x, 0) << 16 | p.get(y, x, 1) << 8 | p.get(y, x, 2));
        }
      }
      g.drawImage(frame, x0, y0, TILE - 4, TILE - 4, null);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString("step " + frameSteps.get(i), x0 + 4, y0 + 14);
    }
    g.dispose();
    return image;
  }

  /** Grass, and the title along the top. */
  private void drawBackground(Graphics2D g, int width, int height) {
    g.setColor(new Color(102, 204, 102));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, 10, 20);
  }

  private void drawMap(Graphics2D g) {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (Track.Point p : track.points()) {
      minX = Math.min(minX, p.x());
      maxX = Math.max(maxX, p.x());
      minY = Math.min(minY, p.y());
      maxY = Math.max(maxY, p.y());
    }
    for (double[] p : path) {
      minX = Math.min(minX, p[0]);
      maxX = Math.max(maxX, p[0]);
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    double margin = 20;
    double scale = (MAP - 2 * margin) / Math.max(maxX - minX, maxY - minY);
    double cx = (minX + maxX) / 2;
    double cy = (minY + maxY) / 2;
    java.util.function.DoubleUnaryOperator sx = x -> MAP / 2.0 + (x - cx) * scale;
    java.util.function.DoubleUnaryOperator sy = y -> 30 + MAP / 2.0 - (y - cy) * scale;

    Path2D.Double road = new Path2D.Double();
    List<Track.Point> points = track.points();
    for (int i = 0; i <= points.size(); i++) {
      Track.Point p = points.get(i % points.size());
      if (i == 0) {
        road.moveTo(sx.applyAsDouble(p.x()), sy.applyAsDouble(p.y()));
      } else {
        road.lineTo(sx.applyAsDouble(p.x()), sy.applyAsDouble(p.y()));
      }
    }
    g.setColor(new Color(102, 102, 102));
    g.setStroke(
        new BasicStroke(
            (float) (2 * CarRacingConstants.TRACK_WIDTH * scale),
            BasicStroke.CAP_ROUND,
            BasicStroke.JOIN_ROUND));
    g.draw(road);
    g.setColor(Color.WHITE);
    g.setStroke(new BasicStroke(1f));
    Track.Point start = points.get(0);
    g.fillOval((int) sx.applyAsDouble(start.x()) - 4, (int) sy.applyAsDouble(start.y()) - 4, 8, 8);

    g.setStroke(new BasicStroke(2f));
    for (int i = 1; i < path.size(); i++) {
      float f = (float) i / path.size();
      g.setColor(new Color(f, 1 - f, 0f));
      double[] a = path.get(i - 1);
      double[] b = path.get(i);
      g.drawLine(
          (int) sx.applyAsDouble(a[0]), (int) sy.applyAsDouble(a[1]),
          (int) sx.applyAsDouble(b[0]), (int) sy.applyAsDouble(b[1]));
    }
  }
}
