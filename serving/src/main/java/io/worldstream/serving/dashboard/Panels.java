package io.worldstream.serving.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldstream.serving.dream.DreamRequest;
import io.worldstream.serving.dream.Dreams;
import io.worldstream.serving.dream.EpisodeRequest;
import io.worldstream.serving.dream.RealEpisodes;
import io.worldstream.serving.dream.Refused;
import io.worldstream.serving.http.DreamAnswers;
import io.worldstream.serving.http.JsonErrors;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's two pictures of the loop — a dream of the evaluated checkpoint and a real
 * episode, both driven by the controller the workers act with — computed on the server once per
 * change, and served to every open page. One computation at a time; of the changes that arrive
 * meanwhile only the newest is computed next. A dream the server is too busy for is tried again on
 * the next change asked for.
 */
final class Panels implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Panels.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the pictures show: a checkpoint, driven by the lineage's controller if it has one. */
  record Subject(String lineage, long version, Long controllerVersion) {
    String key() {
      return lineage + "@" + version + "#" + (controllerVersion == null ? "-" : controllerVersion);
    }

    private String controller() {
      return controllerVersion == null ? "brownian" : "best";
    }
  }

  /** An HTTP answer: the picture with 200, or its error in the API's error shape. */
  record Answer(int status, Object body) {}

  /** Both pictures' answers for one subject. */
  record Shown(Subject subject, Answer dream, Answer episode) {}

  private final Dreams dreams;
  private final RealEpisodes episodes;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "dashboard-panels");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Shown shown;
  private Subject running;
  private Subject next;

  Panels(Dreams dreams, RealEpisodes episodes) {
    this.dreams = dreams;
    this.episodes = episodes;
  }

  /** The newest pictures, if any were computed yet. */
  Optional<Shown> shown() {
    return Optional.ofNullable(shown);
  }

  /** Asks for pictures of {@code subject}; nothing happens if they are shown or being computed. */
  synchronized void want(Subject subject) {
    Shown now = shown;
    if (subject.equals(running) || (now != null && subject.equals(now.subject()))) {
      return;
    }
    next = subject;
    if (running == null) {
      startNext();
    }
  }

  private synchronized void startNext() {
    running = next;
    next = null;
    if (running != null) {
      Subject subject = running;
      worker.execute(() -> compute(subject));
    }
  }

  private void compute(Subject subject) {
    try {
      Answer dream = dream(subject);
      Answer episode = dream == null ? null : episode(subject);
      if (dream != null && episode != null) {
        shown = new Shown(subject, dream, episode);
      }
    } catch (RuntimeException e) {
      log.warn("The dashboard's pictures of {} failed: {}", subject.key(), e.toString());
    } finally {
      synchronized (this) {
        running = null;
        startNext();
      }
    }
  }

  /** The dream's answer, its error, or null when the server was too busy (to be tried again). */
  private Answer dream(Subject subject) {
    ObjectNode body = request(subject).put("rollouts", 4).put("horizon", 100).put("frames", true);
    DreamRequest request = DreamRequest.parse(body);
    try {
      return new Answer(200, DreamAnswers.Dream.of(request, dreams.run(request)));
    } catch (Refused e) {
      return refusal(e);
    }
  }

  private Answer episode(Subject subject) {
    ObjectNode body = request(subject).put("steps", 300).put("every", 3);
    EpisodeRequest request = EpisodeRequest.parse(body);
    try {
      return new Answer(200, DreamAnswers.Episode.of(request, episodes.run(request)));
    } catch (Refused e) {
      return refusal(e);
    }
  }

  private static ObjectNode request(Subject subject) {
    return JSON.createObjectNode()
        .put("lineage", subject.lineage())
        .put("version", subject.version())
        .put("controller", subject.controller())
        .put("seed", 1);
  }

  private static Answer refusal(Refused e) {
    return switch (e.kind()) {
      case BUSY -> null;
      case NOT_FOUND -> new Answer(404, JsonErrors.body(404, e.getMessage()));
      case CONFLICT -> new Answer(409, JsonErrors.body(409, e.getMessage()));
    };
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
