package io.worldstream.envs.carracing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jbox2d.collision.shapes.MassData;
import org.jbox2d.collision.shapes.PolygonShape;
import org.jbox2d.common.Vec2;
import org.jbox2d.dynamics.Body;
import org.jbox2d.dynamics.BodyDef;
import org.jbox2d.dynamics.BodyType;
import org.jbox2d.dynamics.FixtureDef;
import org.jbox2d.dynamics.World;
import org.jbox2d.dynamics.joints.RevoluteJoint;
import org.jbox2d.dynamics.joints.RevoluteJointDef;

/**
 * Gymnasium's CarRacing car (spec §5): a hull joined to four wheels by steering motors, driven by
 * slip forces on the wheels. Arithmetic is in double and crosses to jbox2d's floats at the API, as
 * Python does with pybox2d.
 */
final class Car {

  static final double SIZE = 0.02;
  static final double ENGINE_POWER = 100000000 * SIZE * SIZE;
  static final double WHEEL_MOMENT_OF_INERTIA = 4000 * SIZE * SIZE;
  static final double FRICTION_LIMIT = 1000000 * SIZE * SIZE;
  static final double WHEEL_R = 27;
  static final double WHEEL_W = 14;
  private static final double SLIP_GAIN = 205000 * SIZE * SIZE;
  private static final double BRAKE_FORCE = 15;
  private static final double[][] WHEEL_POS = {{-55, +80}, {+55, +80}, {-55, -82}, {+55, -82}};
  private static final double[][][] HULL_POLYS = {
    {{-60, +130}, {+60, +130}, {+60, +110}, {-60, +110}},
    {{-15, +120}, {+15, +120}, {+20, +20}, {-20, +20}},
    {
      {+25, +20}, {+50, -10}, {+50, -40}, {+20, -90}, {-20, -90}, {-50, -40}, {-50, -10}, {-25, +20}
    },
    {{-50, -120}, {+50, -120}, {+50, -90}, {-50, -90}}
  };
  private static final int MAX_PARTICLES = 30;

  /** One wheel's controls and spin; the body user data of its jbox2d body. */
  static final class Wheel {
    final Body body;
    final RevoluteJoint joint;
    final double wheelRad = WHEEL_R * SIZE;
    double gas;
    double brake;
    double steer;
    double omega;
    double phase;

    /** Tiles this wheel touches now; insertion-ordered so runs are deterministic. */
    final Set<Tile> tiles = new LinkedHashSet<>();

    Vec2 skidStart;
    Particle skidParticle;

    Wheel(Body body, RevoluteJoint joint) {
      this.body = body;
      this.joint = joint;
    }
  }

  /** A skid mark: an open polyline drawn only in rgb_array frames. */
  record Particle(List<Vec2> points, boolean grass) {}

  final Body hull;
  final Wheel[] wheels = new Wheel[4];
  final Deque<Particle> particles = new ArrayDeque<>();

  Car(World world, double angle, double x, double y) {
    BodyDef hullDef = new BodyDef();
    hullDef.type = BodyType.DYNAMIC;
    hullDef.position.set((float) x, (float) y);
    hullDef.angle = (float) angle;
    hull = world.createBody(hullDef);
    for (double[][] poly : HULL_POLYS) {
      FixtureDef fd = new FixtureDef();
      fd.shape = polygon(poly, SIZE);
      fd.density = 1.0f;
      hull.createFixture(fd);
    }
    // jbox2d's PolygonShape.computeMass drops a centroid term; set Box2D 2.3's values (spec §11.3).
    MassData mass = new MassData();
    mass.mass = 7.06f;
    mass.center.set(0f, -0.08253069f);
    mass.I = 18.260367f;
    hull.setMassData(mass);

    double[][] wheelPoly = {
      {-WHEEL_W, +WHEEL_R}, {+WHEEL_W, +WHEEL_R}, {+WHEEL_W, -WHEEL_R}, {-WHEEL_W, -WHEEL_R}
    };
    for (int i = 0; i < 4; i++) {
      double wx = WHEEL_POS[i][0];
      double wy = WHEEL_POS[i][1];
      BodyDef wheelDef = new BodyDef();
      wheelDef.type = BodyType.DYNAMIC;
      // QUIRK (spec §5.1): the offset is not rotated by the start angle; the joints pull the
      // wheels into place during the first step.
      wheelDef.position.set((float) (x + wx * SIZE), (float) (y + wy * SIZE));
      wheelDef.angle = (float) angle;
      Body body = world.createBody(wheelDef);
      FixtureDef fd = new FixtureDef();
      fd.shape = polygon(wheelPoly, SIZE);
      fd.density = 0.1f;
      fd.restitution = 0.0f;
      fd.filter.categoryBits = 0x0020;
      fd.filter.maskBits = 0x001;
      body.createFixture(fd);

      RevoluteJointDef rjd = new RevoluteJointDef();
      rjd.bodyA = hull;
      rjd.bodyB = body;
      rjd.localAnchorA.set((float) (wx * SIZE), (float) (wy * SIZE));
      rjd.localAnchorB.set(0f, 0f);
      rjd.enableMotor = true;
      rjd.enableLimit = true;
      rjd.maxMotorTorque = (float) (180 * 900 * SIZE * SIZE);
      rjd.motorSpeed = 0f;
      rjd.lowerAngle = -0.4f;
      rjd.upperAngle = +0.4f;
      RevoluteJoint joint = (RevoluteJoint) world.createJoint(rjd);
      wheels[i] = new Wheel(body, joint);
      body.setUserData(wheels[i]);
    }
  }

  /** Rear-wheel drive: gas rises by at most 0.1 per step and drops at once. */
  void gas(double gas) {
    gas = Math.min(Math.max(gas, 0), 1);
    for (int i = 2; i < 4; i++) {
      double diff = gas - wheels[i].gas;
      if (diff > 0.1) {
        diff = 0.1;
      }
      wheels[i].gas += diff;
    }
  }

  /** Brake on all wheels, unclipped. */
  void brake(double brake) {
    for (Wheel w : wheels) {
      w.brake = brake;
    }
  }

  /** Steering target of the front wheels, unclipped; negative steers right. */
  void steer(double steer) {
    wheels[0].steer = steer;
    wheels[1].steer = steer;
  }

  /** §5.3: steering motors, engine, brakes and slip forces, wheel by wheel. */
  void step(double dt) {
    Vec2 forw = new Vec2();
    Vec2 side = new Vec2();
    for (Wheel w : wheels) {
      double e = w.steer - w.joint.getJointAngle();
      w.joint.setMotorSpeed((float) (Math.signum(e) * Math.min(50.0 * Math.abs(e), 3.0)));

      boolean grass = true;
      double frictionLimit = FRICTION_LIMIT * 0.6;
      for (Tile tile : w.tiles) {
        frictionLimit = Math.max(frictionLimit, FRICTION_LIMIT * tile.roadFriction);
        grass = false;
      }

      w.body.getWorldVectorToOut(new Vec2(0, 1), forw);
      w.body.getWorldVectorToOut(new Vec2(1, 0), side);
      Vec2 v = w.body.getLinearVelocity();
      double vf = (double) forw.x * v.x + (double) forw.y * v.y;
      double vs = (double) side.x * v.x + (double) side.y * v.y;

      w.omega += dt * ENGINE_POWER * w.gas / WHEEL_MOMENT_OF_INERTIA / (Math.abs(w.omega) + 5.0);
      if (w.brake >= 0.9) {
        w.omega = 0;
      } else if (w.brake > 0) {
        double dir = -Math.signum(w.omega);
        double val = BRAKE_FORCE * w.brake;
        if (Math.abs(val) > Math.abs(w.omega)) {
          val = Math.abs(w.omega);
        }
        w.omega += dir * val;
      }
      w.phase += w.omega * dt;

      double vr = w.omega * w.wheelRad;
      double fForce = (-vf + vr) * SLIP_GAIN;
      double pForce = -vs * SLIP_GAIN;
      double force = Math.sqrt(fForce * fForce + pForce * pForce);

      trackSkid(w, force, frictionLimit, grass);

      if (Math.abs(force) > frictionLimit) {
        fForce /= force;
        pForce /= force;
        force = frictionLimit;
        fForce *= force;
        pForce *= force;
      }
      w.omega -= dt * fForce * w.wheelRad / WHEEL_MOMENT_OF_INERTIA;
      w.body.applyForceToCenter(
          new Vec2(
              (float) (pForce * side.x + fForce * forw.x),
              (float) (pForce * side.y + fForce * forw.y)));
    }
  }

  /** §5.3 step 8: skid marks, which only rgb_array frames show. */
  private void trackSkid(Wheel w, double force, double frictionLimit, boolean grass) {
    if (Math.abs(force) > 2.0 * frictionLimit) {
      Vec2 here = new Vec2(w.body.getPosition());
      if (w.skidParticle != null
          && w.skidParticle.grass() == grass
          && w.skidParticle.points().size() < MAX_PARTICLES) {
        w.skidParticle.points().add(here);
      } else if (w.skidStart == null) {
        w.skidStart = here;
      } else {
        // Python keeps a live reference to the start position, so both points are the current one.
        List<Vec2> points = new ArrayList<>(List.of(here, new Vec2(here)));
        w.skidParticle = new Particle(points, grass);
        particles.addLast(w.skidParticle);
        while (particles.size() > MAX_PARTICLES) {
          particles.removeFirst();
        }
        w.skidStart = null;
      }
    } else {
      w.skidStart = null;
      w.skidParticle = null;
    }
  }

  private static PolygonShape polygon(double[][] vertices, double scale) {
    Vec2[] v = new Vec2[vertices.length];
    for (int i = 0; i < vertices.length; i++) {
      v[i] = new Vec2((float) (vertices[i][0] * scale), (float) (vertices[i][1] * scale));
    }
    PolygonShape shape = new PolygonShape();
    shape.set(v, v.length);
    return shape;
  }
}
