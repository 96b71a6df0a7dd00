package io.worldstream.envs.carracing;

import static io.worldstream.envs.carracing.CarRacingConstants.GRASS_DIM;
import static io.worldstream.envs.carracing.CarRacingConstants.PLAYFIELD;
import static io.worldstream.envs.carracing.CarRacingConstants.SCALE;
import static io.worldstream.envs.carracing.CarRacingConstants.TRACK_DETAIL_STEP;
import static io.worldstream.envs.carracing.CarRacingConstants.TRACK_WIDTH;
import static io.worldstream.envs.carracing.CarRacingConstants.WINDOW_H;
import static io.worldstream.envs.carracing.CarRacingConstants.WINDOW_W;
import static io.worldstream.envs.carracing.CarRacingConstants.ZOOM;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jbox2d.collision.shapes.PolygonShape;
import org.jbox2d.common.Transform;
import org.jbox2d.common.Vec2;
import org.jbox2d.dynamics.Body;
import org.jbox2d.dynamics.Fixture;

/**
 * Draws CarRacing as pygame does (spec §8), headless: world polygons as an aliased fill plus a 1 px
 * anti-aliased outline, car and HUD as aliased fills, the score in FreeSansBold, all on a 1000×800
 * canvas that pygame's fixed-point area filter then shrinks. Polygons go straight into the raster;
 * Java2D draws the text and the skid marks. Owns its canvas; one per environment.
 */
final class CarRacingRenderer {

  private static final double MAX_SHAPE_DIM =
      Math.max(GRASS_DIM, Math.max(TRACK_WIDTH, TRACK_DETAIL_STEP)) * Math.sqrt(2) * ZOOM * SCALE;
  private static final Color HULL = new Color(204, 0, 0);
  private static final Color WHEEL = Color.BLACK;
  private static final Color WHEEL_STRIPE = new Color(77, 77, 77);
  private static final Color SKID_ROAD = Color.BLACK;
  private static final Color SKID_GRASS = new Color(102, 102, 0);
  private static final Font SCORE_FONT = loadScoreFont();

  /** What the HUD shows and where the camera is; read from the environment each frame. */
  record Frame(
      List<CarRacing.RoadPolygon> road,
      double[] bgColor,
      double[] grassColor,
      Car car,
      double t,
      double reward,
      boolean drawParticles) {}

  private final BufferedImage canvas =
      new BufferedImage(WINDOW_W, WINDOW_H, BufferedImage.TYPE_INT_RGB);
  private final int[] pixels = ((DataBufferInt) canvas.getRaster().getDataBuffer()).getData();
  private final Graphics2D images = canvas.createGraphics();
  private final Graphics2D strokes = canvas.createGraphics();
  private final Path2D.Double path = new Path2D.Double();
  private final double[] xs = new double[8];
  private final double[] ys = new double[8];
  private final Map<String, BufferedImage> scoreImages = new HashMap<>();

  private double cos;
  private double sin;
  private double zoom;
  private double transX;
  private double transY;

  CarRacingRenderer() {
    strokes.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    strokes.setStroke(new BasicStroke(2f));
  }

  /** The 1000×800 canvas of the last {@link #draw}, packed 0xRRGGBB; live, do not keep. */
  int[] canvasPixels() {
    return pixels;
  }

  BufferedImage canvas() {
    return canvas;
  }

  /** Draws one frame onto the canvas (world, flip, HUD, score). */
  void draw(Frame frame) {
    Body hull = frame.car().hull;
    double angle = -hull.getAngle();
    cos = Math.cos(angle);
    sin = Math.sin(angle);
    zoom = 0.1 * SCALE * Math.max(1 - frame.t(), 0) + ZOOM * SCALE * Math.min(frame.t(), 1);
    // pygame: trans = Vector2(-position * zoom).rotate_rad(angle) + (W/2, H/4)
    double scrollX = -hull.getPosition().x * zoom;
    double scrollY = -hull.getPosition().y * zoom;
    transX = WINDOW_W / 2.0 + (scrollX * cos - scrollY * sin);
    transY = WINDOW_H / 4.0 + (scrollX * sin + scrollY * cos);

    drawBackground(frame.bgColor());
    drawGrass(frame.grassColor());
    for (CarRacing.RoadPolygon poly : frame.road()) {
      worldPolygon(poly.vertices(), poly.color(), true);
    }
    drawCar(frame.car(), frame.drawParticles());
    drawHud(frame.car(), frame.reward());
  }

  private void drawBackground(double[] color) {
    double b = PLAYFIELD;
    double[][] field = {{b, b}, {b, -b}, {-b, -b}, {-b, b}};
    if (coversCanvas(field)) {
      Arrays.fill(pixels, rgb(color));
    } else {
      Arrays.fill(pixels, 0);
      worldPolygon(field, color, false);
    }
  }

  private void drawGrass(double[] color) {
    double[][] square = new double[4][2];
    for (int gx = -20; gx < 20; gx += 2) {
      for (int gy = -20; gy < 20; gy += 2) {
        square[0][0] = GRASS_DIM * gx + GRASS_DIM;
        square[0][1] = GRASS_DIM * gy + 0;
        square[1][0] = GRASS_DIM * gx + 0;
        square[1][1] = GRASS_DIM * gy + 0;
        square[2][0] = GRASS_DIM * gx + 0;
        square[2][1] = GRASS_DIM * gy + GRASS_DIM;
        square[3][0] = GRASS_DIM * gx + GRASS_DIM;
        square[3][1] = GRASS_DIM * gy + GRASS_DIM;
        worldPolygon(square, color, true);
      }
    }
  }

  /**
   * A world polygon: an aliased fill and an anti-aliased 1 px outline, like pygame's gfxdraw pair.
   */
  private void worldPolygon(double[][] vertices, double[] color, boolean cull) {
    int n = vertices.length;
    boolean visible = !cull;
    for (int i = 0; i < n; i++) {
      double x = vertices[i][0];
      double y = vertices[i][1];
      xs[i] = (x * cos - y * sin) * zoom + transX;
      ys[i] = (x * sin + y * cos) * zoom + transY;
      visible |=
          xs[i] >= -MAX_SHAPE_DIM
              && xs[i] <= WINDOW_W + MAX_SHAPE_DIM
              && ys[i] >= -MAX_SHAPE_DIM
              && ys[i] <= WINDOW_H + MAX_SHAPE_DIM;
    }
    if (!visible) {
      return;
    }
    flip(n);
    int rgb = rgb(color);
    ConvexFill.fill(pixels, WINDOW_W, WINDOW_H, xs, ys, n, rgb);
    ConvexFill.outline(pixels, WINDOW_W, WINDOW_H, xs, ys, n, rgb);
  }

  private void drawCar(Car car, boolean drawParticles) {
    if (drawParticles) {
      for (Car.Particle particle : car.particles) {
        path.reset();
        for (int i = 0; i < particle.points().size(); i++) {
          Vec2 p = particle.points().get(i);
          double x = (p.x * cos - p.y * sin) * zoom + transX;
          double y = WINDOW_H - ((p.x * sin + p.y * cos) * zoom + transY);
          if (i == 0) {
            path.moveTo(x, y);
          } else {
            path.lineTo(x, y);
          }
        }
        strokes.setColor(particle.grass() ? SKID_GRASS : SKID_ROAD);
        strokes.draw(path);
      }
    }
    for (Car.Wheel wheel : car.wheels) {
      Transform xf = wheel.body.getTransform();
      for (Fixture f = wheel.body.getFixtureList(); f != null; f = f.getNext()) {
        bodyPolygon(xf, (PolygonShape) f.getShape(), WHEEL);
        drawStripe(xf, wheel.phase);
      }
    }
    Transform hullXf = car.hull.getTransform();
    // jbox2d prepends fixtures; draw them in creation order as pygame does.
    java.util.ArrayList<Fixture> fixtures = new java.util.ArrayList<>();
    for (Fixture f = car.hull.getFixtureList(); f != null; f = f.getNext()) {
      fixtures.add(0, f);
    }
    for (Fixture f : fixtures) {
      bodyPolygon(hullXf, (PolygonShape) f.getShape(), HULL);
    }
  }

  private void drawStripe(Transform xf, double phase) {
    double a1 = phase;
    double a2 = phase + 1.2;
    double s1 = Math.sin(a1);
    double s2 = Math.sin(a2);
    double c1 = Math.cos(a1);
    double c2 = Math.cos(a2);
    if (s1 > 0 && s2 > 0) {
      return;
    }
    if (s1 > 0) {
      c1 = Math.signum(c1);
    }
    if (s2 > 0) {
      c2 = Math.signum(c2);
    }
    double w = Car.WHEEL_W * Car.SIZE;
    double r = Car.WHEEL_R * Car.SIZE;
    double[][] local = {{-w, r * c1}, {+w, r * c1}, {+w, r * c2}, {-w, r * c2}};
    for (int i = 0; i < 4; i++) {
      double wx = xf.q.c * local[i][0] - xf.q.s * local[i][1] + xf.p.x;
      double wy = xf.q.s * local[i][0] + xf.q.c * local[i][1] + xf.p.y;
      xs[i] = (wx * cos - wy * sin) * zoom + transX;
      ys[i] = (wx * sin + wy * cos) * zoom + transY;
    }
    flip(4);
    ConvexFill.fill(pixels, WINDOW_W, WINDOW_H, xs, ys, 4, WHEEL_STRIPE.getRGB() & 0xFFFFFF);
  }

  /** An aliased fill of a body's polygon fixture, like pygame.draw.polygon. */
  private void bodyPolygon(Transform xf, PolygonShape shape, Color color) {
    int n = shape.getVertexCount();
    Vec2[] vertices = shape.getVertices();
    for (int i = 0; i < n; i++) {
      Vec2 v = vertices[i];
      double wx = (double) xf.q.c * v.x - (double) xf.q.s * v.y + xf.p.x;
      double wy = (double) xf.q.s * v.x + (double) xf.q.c * v.y + xf.p.y;
      xs[i] = (wx * cos - wy * sin) * zoom + transX;
      ys[i] = (wx * sin + wy * cos) * zoom + transY;
    }
    flip(n);
    ConvexFill.fill(pixels, WINDOW_W, WINDOW_H, xs, ys, n, color.getRGB() & 0xFFFFFF);
  }

  /** §8.5: the black panel and the bars, drawn after the flip in canvas coordinates. */
  private void drawHud(Car car, double reward) {
    double w = WINDOW_W;
    double h = WINDOW_H;
    double s = w / 40.0;
    double u = h / 40.0;
    Arrays.fill(pixels, (int) (h - 5 * u) * WINDOW_W, pixels.length, 0);
    Vec2 v = car.hull.getLinearVelocity();
    double trueSpeed = Math.sqrt((double) v.x * v.x + (double) v.y * v.y);
    verticalBar(trueSpeed, 5, 0.02 * trueSpeed, Color.WHITE, s, u);
    Color abs01 = new Color(0, 0, 255);
    Color abs23 = new Color(51, 0, 255);
    for (int i = 0; i < 4; i++) {
      double omega = car.wheels[i].omega;
      verticalBar(omega, 7 + i, 0.01 * omega, i < 2 ? abs01 : abs23, s, u);
    }
    double joint = car.wheels[0].joint.getJointAngle();
    horizontalBar(joint, 20, -10.0 * joint, Color.GREEN, s, u);
    double gyro = car.hull.getAngularVelocity();
    horizontalBar(gyro, 30, -0.8 * gyro, Color.RED, s, u);
    drawScore(reward);
  }

  private void verticalBar(double raw, int place, double val, Color color, double s, double u) {
    if (Math.abs(raw) > 1e-4) {
      double h = WINDOW_H;
      hudQuad(place * s, h - (u + u * val), (place + 1) * s, h - u, color);
    }
  }

  private void horizontalBar(double raw, int place, double val, Color color, double s, double u) {
    if (Math.abs(raw) > 1e-4) {
      double h = WINDOW_H;
      hudQuad(place * s, h - 4 * u, (place + val) * s, h - 2 * u, color);
    }
  }

  private void hudQuad(double x0, double y0, double x1, double y1, Color color) {
    xs[0] = x0;
    ys[0] = y0;
    xs[1] = x1;
    ys[1] = y0;
    xs[2] = x1;
    ys[2] = y1;
    xs[3] = x0;
    ys[3] = y1;
    ConvexFill.fill(pixels, WINDOW_W, WINDOW_H, xs, ys, 4, color.getRGB() & 0xFFFFFF);
  }

  /** §8.6: the truncated running reward, white on a black box centred at (60, 750). */
  private void drawScore(double reward) {
    String text = String.format("%04d", (long) reward);
    BufferedImage image = scoreImages.computeIfAbsent(text, CarRacingRenderer::renderText);
    int x = 60 - image.getWidth() / 2;
    int y = (int) (WINDOW_H - WINDOW_H * 2.5 / 40.0) - image.getHeight() / 2;
    images.drawImage(image, x, y, null);
  }

  private static BufferedImage renderText(String text) {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics metrics = pg.getFontMetrics(SCORE_FONT);
    pg.dispose();
    int width = Math.max(1, metrics.stringWidth(text));
    int height = metrics.getAscent() + metrics.getDescent();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.setFont(SCORE_FONT);
    g.drawString(text, 0, metrics.getAscent());
    g.dispose();
    return image;
  }

  /** Flips the first n transformed vertices vertically, as pygame flips the canvas. */
  private void flip(int n) {
    for (int i = 0; i < n; i++) {
      ys[i] = WINDOW_H - ys[i];
    }
  }

  /** Path of the first n (flipped) vertices, for strokes. */
  private void flippedPath(int n) {
    path.reset();
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < n; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    path.closePath();
  }

  /**
   * Whether the transformed polygon (convex, axis-aligned square in the world) covers the canvas.
   */
  private boolean coversCanvas(double[][] square) {
    double[][] corners = {{0, 0}, {WINDOW_W, 0}, {0, WINDOW_H}, {WINDOW_W, WINDOW_H}};
    for (double[] corner : corners) {
      // Back to world coordinates: p = Rot(-angle)((canvas - trans) / zoom).
      double cx = (corner[0] - transX) / zoom;
      double cy = (corner[1] - transY) / zoom;
      double wx = cx * cos + cy * sin;
      double wy = -cx * sin + cy * cos;
      if (Math.abs(wx) > square[0][0] - 1 || Math.abs(wy) > square[0][1] - 1) {
        return false;
      }
    }
    return true;
  }

  /** pygame truncates colour components to integers when drawing. */
  private static int rgb(double[] color) {
    return ((int) color[0] & 0xFF) << 16 | ((int) color[1] & 0xFF) << 8 | ((int) color[2] & 0xFF);
  }

  private static Font loadScoreFont() {
    try (InputStream in = CarRacingRenderer.class.getResourceAsStream("FreeSansBold.ttf")) {
      if (in != null) {
        return Font.createFont(Font.TRUETYPE_FONT, in).deriveFont(42f);
      }
    } catch (IOException | FontFormatException e) {
      // fall through to the platform's bold sans-serif
    }
    return new Font(Font.SANS_SERIF, Font.BOLD, 42);
  }
}
