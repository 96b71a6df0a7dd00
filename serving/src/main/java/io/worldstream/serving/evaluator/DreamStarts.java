package io.worldstream.serving.evaluator;

import io.worldstream.models.dream.LatentPool;
import io.worldstream.records.LatentStep;
import io.worldstream.schemas.TopicFollower;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where dreams begin: per VAE version, the latents of the newest real episodes' first steps and of
 * states later in them, kept current by a background thread that reads {@code wm.latents} from the
 * beginning and follows it. One process keeps one: the server's dream API and the evaluator beside
 * it read the same.
 */
public final class DreamStarts implements AutoCloseable {

  /** First steps (and as many later states) kept per VAE version unless told otherwise. */
  public static final int DEFAULT_KEPT_PER_VAE = 1024;

  /** Every this many steps of an episode (after its first), a state is kept as a dream start. */
  static final int MID_EPISODE_EVERY = 50;

  private final int keptPerVae;
  private final Map<String, Deque<LatentStep>> firstSteps = new HashMap<>();
  private final Map<String, Deque<LatentStep>> laterSteps = new HashMap<>();
  private final TopicFollower<String, byte[]> follower;

  /**
   * @param keptPerVae first steps kept per VAE version, the newest, and as many later states
   */
  public DreamStarts(Map<String, Object> clientConfig, int keptPerVae) {
    if (keptPerVae < 1) {
      throw new IllegalArgumentException("at least one dream start is kept per VAE version");
    }
    this.keptPerVae = keptPerVae;
    this.follower =
        new TopicFollower<>(
            "dream-starts",
            clientConfig,
            List.of(Topics.LATENTS.name()),
            TopicReader.From.BEGINNING,
            new StringDeserializer(),
            new ByteArrayDeserializer(),
            this::accept);
  }

  /** First steps (and as many later states) kept per VAE version. */
  public int keptPerVae() {
    return keptPerVae;
  }

  /** Every kept first step of episodes encoded by this VAE, or empty while there are none. */
  public Optional<LatentPool> starts(String vaeVersion) {
    return starts(vaeVersion, 0, keptPerVae);
  }

  /**
   * Dream starts from real episodes encoded by this VAE: of the newest {@code most} first steps and
   * the newest {@code most} later states, {@code midEpisodeShare} from later states and the rest
   * from first steps (only first steps until a later one arrives); empty while no first step has
   * arrived.
   */
  public synchronized Optional<LatentPool> starts(
      String vaeVersion, double midEpisodeShare, int most) {
    List<LatentStep> first = newest(firstSteps, vaeVersion, most);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    List<LatentStep> chosen = mix(first, newest(laterSteps, vaeVersion, most), midEpisodeShare);
    return Optional.of(
        new LatentPool(
            chosen.stream().map(s -> toArray(s.getMu())).toList(),
            chosen.stream().map(s -> toArray(s.getLogvar())).toList()));
  }

  private static List<LatentStep> newest(
      Map<String, Deque<LatentStep>> kept, String vaeVersion, int most) {
    List<LatentStep> all = List.copyOf(kept.getOrDefault(vaeVersion, new ArrayDeque<>()));
    return all.subList(Math.max(0, all.size() - most), all.size());
  }

  /**
   * The newest first and later steps in the proportion {@code 1 − share : share}, as many as both
   * lists allow; all first steps when there are no later ones or the share is 0.
   */
  static <T> List<T> mix(List<T> first, List<T> later, double share) {
    if (share <= 0 || later.isEmpty()) {
      return first;
    }
    double total = Math.min(first.size() / (1 - share), later.size() / share);
    int firstCount = Math.max(1, (int) Math.round(total * (1 - share)));
    int laterCount = Math.max(1, (int) Math.round(total * share));
    List<T> chosen = new ArrayList<>(first.subList(first.size() - firstCount, first.size()));
    chosen.addAll(later.subList(later.size() - laterCount, later.size()));
    return chosen;
  }

  /** Whether {@code wm.latents} has been read up to where it ended when reading began. */
  public boolean caughtUp() {
    return follower.caughtUp();
  }

  /** Why following stopped, if it did. */
  public Optional<Throwable> failure() {
    return follower.failure();
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    LatentStep step = Topics.LATENTS.valueSerde().deserializer().deserialize(null, record.value());
    if (step.getStep() % MID_EPISODE_EVERY == 0) {
      keep(step.getStep() == 0 ? firstSteps : laterSteps, step);
    }
  }

  private synchronized void keep(Map<String, Deque<LatentStep>> kept, LatentStep step) {
    Deque<LatentStep> steps = kept.computeIfAbsent(step.getVaeVersion(), v -> new ArrayDeque<>());
    steps.addLast(step);
    if (steps.size() > keptPerVae) {
      steps.removeFirst();
    }
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  @Override
  public void close() {
    follower.close();
  }
}
