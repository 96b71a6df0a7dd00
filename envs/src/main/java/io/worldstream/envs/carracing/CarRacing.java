package io.worldstream.envs.carracing;

import static io.worldstream.envs.carracing.CarRacingConstants.BORDER;
import static io.worldstream.envs.carracing.CarRacingConstants.FPS;
import static io.worldstream.envs.carracing.CarRacingConstants.PLAYFIELD;
import static io.worldstream.envs.carracing.CarRacingConstants.STATE_H;
import static io.worldstream.envs.carracing.CarRacingConstants.STATE_W;
import static io.worldstream.envs.carracing.CarRacingConstants.TRACK_WIDTH;
import static io.worldstream.envs.carracing.CarRacingConstants.VIDEO_H;
import static io.worldstream.envs.carracing.CarRacingConstants.VIDEO_W;
import static io.worldstream.envs.carracing.CarRacingConstants.WINDOW_H;
import static io.worldstream.envs.carracing.CarRacingConstants.WINDOW_W;

import io.worldstream.envs.Action;
import io.worldstream.envs.ActionSpec;
import io.worldstream.envs.Environment;
import io.worldstream.envs.ObservationSpec;
import io.worldstream.envs.Pixels;
import io.worldstream.envs.Reset;
import io.worldstream.envs.Step;
import io.worldstream.envs.random.Pcg64;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jbox2d.callbacks.ContactImpulse;
import org.jbox2d.callbacks.ContactListener;
import org.jbox2d.collision.Manifold;
import org.jbox2d.collision.shapes.PolygonShape;
import org.jbox2d.common.Settings;
import org.jbox2d.common.Vec2;
import org.jbox2d.dynamics.Body;
import org.jbox2d.dynamics.BodyDef;
import org.jbox2d.dynamics.FixtureDef;
import org.jbox2d.dynamics.World;
import org.jbox2d.dynamics.contacts.Contact;

/**
 * Gymnasium's {@code CarRacing-v3}, ported faithfully (see {@code
 * ../shared/specs/carracing-v3.md}): the same seed gives the same track, the physics follows
 * pybox2d through jbox2d, and observations are drawn and shrunk as pygame does. The quirks of v3
 * are kept: the first step's reward includes the two tiles touched at reset, touched tiles lose
 * their shading, and an episode ends only when every tile was visited, the car leaves the
 * playfield, or a time limit truncates it.
 *
 * <p>{@code Environments.make("CarRacing-v3", …)} gives it with the registered 1000-step time
 * limit.
 */
public final class CarRacing implements Environment {

  static {
    // jbox2d rotates bodies through a coarse sine table by default; pybox2d does not (spec §11.3).
    Settings.SINCOS_LUT_ENABLED = false;
    Settings.FAST_ATAN2 = false;
  }

  public static final String ID = "CarRacing-v3";
  public static final int MAX_EPISODE_STEPS = CarRacingConstants.MAX_EPISODE_STEPS;

  private static final double[] DEFAULT_ROAD = {102, 102, 102};
  private static final double[] DEFAULT_BG = {102, 204, 102};
  private static final double[] DEFAULT_GRASS = {102, 230, 102};
  private static final float DT = 1.0f / FPS;

  /**
   * Constructor options of Gymnasium's CarRacing.
   *
   * @param continuous (steer, gas, brake) actions if true, 5 discrete actions if false
   * @param domainRandomize random road and grass colours on every reset
   * @param lapCompletePercent the share of tiles after which returning to tile 0 ends a lap (a
   *     check that never fires in v3, kept for fidelity)
   */
  public record Options(boolean continuous, boolean domainRandomize, double lapCompletePercent) {
    public static Options defaults() {
      return new Options(true, false, CarRacingConstants.LAP_COMPLETE_PERCENT);
    }

    public Options withContinuous(boolean value) {
      return new Options(value, domainRandomize, lapCompletePercent);
    }

    public Options withDomainRandomize(boolean value) {
      return new Options(continuous, value, lapCompletePercent);
    }
  }

  /** A drawable road polygon; the colour array is shared with its {@link Tile} (spec §6). */
  record RoadPolygon(double[][] vertices, double[] color) {}

  private final Options options;
  private final CarRacingRenderer renderer = new CarRacingRenderer();
  private final Smoothscale toState = new Smoothscale(WINDOW_W, WINDOW_H, STATE_W, STATE_H);
  private Smoothscale toVideo;

  private Pcg64 rng;
  private double[] roadColor;
  private double[] bgColor;
  private double[] grassColor;

  private World world;
  private Track track;
  private final List<RoadPolygon> roadPoly = new ArrayList<>();
  private Car car;
  private double reward;
  private double prevReward;
  private int tileVisitedCount;
  private double t;
  private boolean newLap;
  private StepTimings timings = StepTimings.NONE;

  public CarRacing(Options options) {
    this.options = options;
    if (options.domainRandomize()) {
      // As in Gymnasium, the constructor already draws colours, from an unseeded generator.
      rng = new Pcg64(entropySeed());
      randomizeColors();
    } else {
      roadColor = DEFAULT_ROAD.clone();
      bgColor = DEFAULT_BG.clone();
      grassColor = DEFAULT_GRASS.clone();
    }
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ObservationSpec observationSpec() {
    return new ObservationSpec(STATE_H, STATE_W, 3);
  }

  @Override
  public ActionSpec actionSpec() {
    return options.continuous()
        ? new ActionSpec.Box(
            new double[] {-1, 0, 0}, new double[] {1, 1, 1}, new String[] {"steer", "gas", "brake"})
        : new ActionSpec.Discrete(5);
  }

  public Options options() {
    return options;
  }

  @Override
  public Reset reset(OptionalLong seed) {
    return reset(seed, true);
  }

  /**
   * Starts an episode.
   *
   * @param randomize with domain randomisation on, whether to draw new colours (Gymnasium's {@code
   *     options={"randomize": False}} keeps the previous ones)
   */
  public Reset reset(OptionalLong seed, boolean randomize) {
    if (seed.isPresent()) {
      rng = new Pcg64(seed.getAsLong());
    } else if (rng == null) {
      rng = new Pcg64(entropySeed());
    }
    // A fresh world per reset: equivalent to destroying the old bodies, without the contact
    // callbacks that destroying them would fire (spec §11.3 #8).
    world = new World(new Vec2(0, 0));
    world.setContactListener(new TileContacts());
    reward = 0;
    prevReward = 0;
    tileVisitedCount = 0;
    t = 0;
    newLap = false;
    roadPoly.clear();
    if (options.domainRandomize() && randomize) {
      randomizeColors();
    }
    track = TrackGenerator.generate(rng);
    createTiles();
    Track.Point start = track.points().get(0);
    car = new Car(world, start.beta(), start.x(), start.y());
    return new Reset(advance(null).observation(), Map.of());
  }

  @Override
  public Step step(Action action) {
    if (car == null) {
      throw new IllegalStateException("call reset before step");
    }
    return advance(validate(action));
  }

  /** The episode's track; null before the first reset. */
  public Track track() {
    return track;
  }

  /** The 600×400 frame Gymnasium's {@code render()} returns in rgb_array mode (with skid marks). */
  public Pixels renderRgbArray() {
    if (car == null) {
      throw new IllegalStateException("call reset before render");
    }
    if (toVideo == null) {
      toVideo = new Smoothscale(WINDOW_W, WINDOW_H, VIDEO_W, VIDEO_H);
    }
    draw(true);
    byte[] rgb = new byte[VIDEO_W * VIDEO_H * 3];
    toVideo.scale(renderer.canvasPixels(), rgb);
    return new Pixels(VIDEO_H, VIDEO_W, 3, rgb);
  }

  /** The full 1000×800 canvas with skid marks, before any downscale. */
  public java.awt.image.BufferedImage renderCanvas() {
    draw(true);
    return renderer.canvas();
  }

  /** Where the car is and how it moves; for tests, pictures and diagnostics. */
  public CarState carState() {
    Body hull = car.hull;
    double[] omegas = new double[4];
    double[] joints = new double[4];
    for (int i = 0; i < 4; i++) {
      omegas[i] = car.wheels[i].omega;
      joints[i] = car.wheels[i].joint.getJointAngle();
    }
    Vec2 v = hull.getLinearVelocity();
    return new CarState(
        hull.getPosition().x,
        hull.getPosition().y,
        hull.getAngle(),
        v.x,
        v.y,
        hull.getAngularVelocity(),
        omegas,
        joints,
        tileVisitedCount,
        reward,
        t);
  }

  /**
   * The car's state after a step.
   *
   * @param x hull origin, m
   * @param angle hull angle, rad, not wrapped
   * @param vx hull centre-of-mass velocity, m/s
   * @param tilesVisited distinct tiles touched this episode
   * @param totalReward the running reward the HUD shows (without the off-playfield penalty)
   * @param time simulated seconds since reset
   */
  public record CarState(
      double x,
      double y,
      double angle,
      double vx,
      double vy,
      double angularVelocity,
      double[] wheelOmegas,
      double[] jointAngles,
      int tilesVisited,
      double totalReward,
      double time) {}

  /** Where the time of all steps so far went: physics, drawing the canvas, shrinking it. */
  public StepTimings timings() {
    return timings;
  }

  /** Cumulative nanoseconds over {@code steps} physics steps (including reset's internal ones). */
  public record StepTimings(long steps, long physicsNanos, long drawNanos, long downscaleNanos) {
    static final StepTimings NONE = new StepTimings(0, 0, 0, 0);

    StepTimings plus(long physics, long draw, long downscale) {
      return new StepTimings(
          steps + 1, physicsNanos + physics, drawNanos + draw, downscaleNanos + downscale);
    }

    public StepTimings minus(StepTimings earlier) {
      return new StepTimings(
          steps - earlier.steps, physicsNanos - earlier.physicsNanos,
          drawNanos - earlier.drawNanos, downscaleNanos - earlier.downscaleNanos);
    }
  }

  @Override
  public void close() {
    world = null;
    car = null;
  }

  private Action.Continuous validateContinuous(Action action) {
    if (!(action instanceof Action.Continuous c) || c.size() != 3) {
      throw new IllegalArgumentException(
          "CarRacing-v3 (continuous) takes 3 numbers (steer, gas, brake), not " + describe(action));
    }
    for (int i = 0; i < 3; i++) {
      if (!Double.isFinite(c.get(i))) {
        throw new IllegalArgumentException("action " + describe(action) + " is not finite");
      }
    }
    return c;
  }

  private Action validate(Action action) {
    if (options.continuous()) {
      return validateContinuous(action);
    }
    if (!(action instanceof Action.Discrete d) || d.index() < 0 || d.index() > 4) {
      throw new IllegalArgumentException(
          "CarRacing-v3 (discrete) takes an action 0-4, not " + describe(action));
    }
    return d;
  }

  private static String describe(Action action) {
    if (action instanceof Action.Continuous c) {
      return java.util.Arrays.toString(c.values());
    }
    return action instanceof Action.Discrete d ? "discrete " + d.index() : "null";
  }

  /** §7: one step; a null action is the internal step that reset runs. */
  private Step advance(Action action) {
    if (action instanceof Action.Continuous c) {
      car.steer(-c.get(0));
      car.gas(c.get(1));
      car.brake(c.get(2));
    } else if (action instanceof Action.Discrete d) {
      car.steer(d.index() == 1 ? -0.6 : d.index() == 2 ? 0.6 : 0);
      car.gas(d.index() == 3 ? 0.2 : 0);
      car.brake(d.index() == 4 ? 0.8 : 0);
    }
    long started = System.nanoTime();
    car.step(1.0 / FPS);
    world.step(DT, 6 * 30, 2 * 30);
    t += 1.0 / FPS;
    long physicsDone = System.nanoTime();
    draw(false);
    long drawn = System.nanoTime();
    byte[] rgb = new byte[STATE_W * STATE_H * 3];
    toState.scale(renderer.canvasPixels(), rgb);
    Pixels observation = new Pixels(STATE_H, STATE_W, 3, rgb);
    timings = timings.plus(physicsDone - started, drawn - physicsDone, System.nanoTime() - drawn);

    double stepReward = 0;
    boolean terminated = false;
    Map<String, Object> info = new HashMap<>();
    if (action != null) {
      reward -= 0.1;
      stepReward = reward - prevReward;
      prevReward = reward;
      if (tileVisitedCount == track.size() || newLap) {
        terminated = true;
        info.put("lap_finished", true);
      }
      Vec2 position = car.hull.getPosition();
      if (Math.abs(position.x) > PLAYFIELD || Math.abs(position.y) > PLAYFIELD) {
        terminated = true;
        info.put("lap_finished", false);
        stepReward = -100;
      }
    }
    return new Step(observation, stepReward, terminated, false, info);
  }

  private void draw(boolean particles) {
    renderer.draw(
        new CarRacingRenderer.Frame(roadPoly, bgColor, grassColor, car, t, reward, particles));
  }

  /** §4.6: one sensor body per tile, plus the curb polygons for drawing. */
  private void createTiles() {
    List<Track.Point> points = track.points();
    int n = points.size();
    for (int i = 0; i < n; i++) {
      Track.Point p1 = points.get(i);
      Track.Point p2 = points.get(Math.floorMod(i - 1, n));
      double c1 = Math.cos(p1.beta());
      double s1 = Math.sin(p1.beta());
      double c2 = Math.cos(p2.beta());
      double s2 = Math.sin(p2.beta());
      double[][] quad = {
        {p1.x() - TRACK_WIDTH * c1, p1.y() - TRACK_WIDTH * s1},
        {p1.x() + TRACK_WIDTH * c1, p1.y() + TRACK_WIDTH * s1},
        {p2.x() + TRACK_WIDTH * c2, p2.y() + TRACK_WIDTH * s2},
        {p2.x() - TRACK_WIDTH * c2, p2.y() - TRACK_WIDTH * s2}
      };
      double shade = 0.01 * (i % 3) * 255;
      Tile tile =
          new Tile(
              i, new double[] {roadColor[0] + shade, roadColor[1] + shade, roadColor[2] + shade});
      Body body = world.createBody(new BodyDef());
      FixtureDef fd = new FixtureDef();
      PolygonShape shape = new PolygonShape();
      Vec2[] v = new Vec2[4];
      for (int k = 0; k < 4; k++) {
        v[k] = new Vec2((float) quad[k][0], (float) quad[k][1]);
      }
      shape.set(v, 4);
      fd.shape = shape;
      fd.isSensor = true;
      body.createFixture(fd);
      body.setUserData(tile);
      roadPoly.add(new RoadPolygon(quad, tile.color));

      if (track.border()[i]) {
        double side = Math.signum(p2.beta() - p1.beta());
        double[][] curb = {
          {p1.x() + side * TRACK_WIDTH * c1, p1.y() + side * TRACK_WIDTH * s1},
          {
            p1.x() + side * (TRACK_WIDTH + BORDER) * c1, p1.y() + side * (TRACK_WIDTH + BORDER) * s1
          },
          {
            p2.x() + side * (TRACK_WIDTH + BORDER) * c2, p2.y() + side * (TRACK_WIDTH + BORDER) * s2
          },
          {p2.x() + side * TRACK_WIDTH * c2, p2.y() + side * TRACK_WIDTH * s2}
        };
        roadPoly.add(
            new RoadPolygon(
                curb, i % 2 == 0 ? new double[] {255, 255, 255} : new double[] {255, 0, 0}));
      }
    }
  }

  /** §8.10: road and background in [0, 210), grass = background with one channel + 20. */
  private void randomizeColors() {
    roadColor = new double[] {rng.uniform(0, 210), rng.uniform(0, 210), rng.uniform(0, 210)};
    bgColor = new double[] {rng.uniform(0, 210), rng.uniform(0, 210), rng.uniform(0, 210)};
    grassColor = bgColor.clone();
    grassColor[rng.integers(3)] += 20;
  }

  private static long entropySeed() {
    return new SecureRandom().nextLong() & Long.MAX_VALUE;
  }

  /** §6: tile visits and rewards; begin and end run the same handler. */
  private final class TileContacts implements ContactListener {
    @Override
    public void beginContact(Contact contact) {
      touch(contact, true);
    }

    @Override
    public void endContact(Contact contact) {
      touch(contact, false);
    }

    private void touch(Contact contact, boolean begin) {
      Object u1 = contact.getFixtureA().getBody().getUserData();
      Object u2 = contact.getFixtureB().getBody().getUserData();
      Tile tile = null;
      Object obj = null;
      if (u1 instanceof Tile t1) {
        tile = t1;
        obj = u2;
      }
      if (u2 instanceof Tile t2) {
        tile = t2;
        obj = u1;
      }
      if (tile == null) {
        return;
      }
      // QUIRK: touched tiles are redrawn in the plain road colour, in place.
      System.arraycopy(roadColor, 0, tile.color, 0, 3);
      if (!(obj instanceof Car.Wheel wheel)) {
        return;
      }
      if (begin) {
        wheel.tiles.add(tile);
        if (!tile.visited) {
          tile.visited = true;
          reward += 1000.0 / track.size();
          tileVisitedCount++;
          if (tile.idx == 0
              && (double) tileVisitedCount / track.size() > options.lapCompletePercent()) {
            newLap = true;
          }
        }
      } else {
        wheel.tiles.remove(tile);
      }
    }

    @Override
    public void preSolve(Contact contact, Manifold oldManifold) {}

    @Override
    public void postSolve(Contact contact, ContactImpulse impulse) {}
  }
}
