package io.worldstream.schemas;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import io.worldstream.records.VaeModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/** The catalogue of Worldstream's topics: the one place a topic name is spelled. */
public final class Topics {

  /** Models travel inside records (a VAE is about 17 MB as ONNX), so model topics take 64 MiB. */
  public static final int MODEL_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final String KEEP_FOREVER = "-1";

  private static final long MIB = 1024 * 1024;

  /**
   * Bytes of experience kept per partition: frames are most of the disk a running loop uses (about
   * 2.6 GB an hour from one worker at 235 steps/s), and only the newest are read again (a VAE
   * trained on recent frames). Four partitions keep 4 GiB, about an hour and a half of that rate.
   */
  public static final long EXPERIENCE_BYTES_PER_PARTITION = 1024 * MIB;

  /** Bytes of latents kept per partition: 4 GiB in all, about 14 hours of one worker's latents. */
  public static final long LATENT_BYTES_PER_PARTITION = 1024 * MIB;

  /**
   * Bytes of checkpoints kept at most: 4 GiB, about ten hours of a learner publishing a 1.6 MB
   * model every few seconds. A server thins older versions' models long before that (the topic is
   * compacted by lineage and version, and a thinned version's metadata replaces its record), so the
   * bound acts only where no server runs; the registry answers 410 for a model that is gone.
   */
  public static final long CHECKPOINT_BYTES = 4096 * MIB;

  /**
   * What the catalogue's topics keep on disk at most, with the default partitions: the size limits
   * above plus one open segment of each partition (Kafka deletes whole segments only). The topics
   * not bounded by size (controllers, evaluations, VAEs, dead letters) grow by megabytes a day.
   */
  public static long boundedBytes() {
    return (EXPERIENCE_BYTES_PER_PARTITION + SEGMENT_BYTES) * EXPERIENCE.partitions()
        + (LATENT_BYTES_PER_PARTITION + SEGMENT_BYTES) * LATENTS.partitions()
        + (CHECKPOINT_BYTES + MODEL_SEGMENT_BYTES) * CHECKPOINTS.partitions();
  }

  private static final long SEGMENT_BYTES = 128 * MIB;
  private static final long MODEL_SEGMENT_BYTES = 256 * MIB;

  /** Experience from environment workers, keyed by episode id. */
  public static final Topic<String, ExperienceStep> EXPERIENCE =
      new Topic<>(
          "wm.experience",
          Serdes.String(),
          AvroSerde.of(ExperienceStep.class),
          4,
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              String.valueOf(7L * 24 * 3600 * 1000),
              TopicConfig.RETENTION_BYTES_CONFIG,
              String.valueOf(EXPERIENCE_BYTES_PER_PARTITION),
              TopicConfig.SEGMENT_BYTES_CONFIG,
              String.valueOf(SEGMENT_BYTES)),
          "ExperienceStep per environment step, keyed by episode id");

  /** Experience records the encoder could not use, with the reason in their headers. */
  public static final Topic<byte[], byte[]> EXPERIENCE_DLQ =
      deadLetters("wm.experience.dlq", "original bytes of rejected experience, reason in headers");

  /** Published VAEs with their ONNX models, keyed by version; encoders follow the newest. */
  public static final Topic<String, VaeModel> VAE =
      new Topic<>(
          "wm.vae",
          Serdes.String(),
          AvroSerde.of(VaeModel.class),
          1,
          modelTopicConfigs(Map.of()),
          "VaeModel per published VAE, keyed by version");

  /** VAE latents of every experience step, keyed by episode id (co-partitioned with EXPERIENCE). */
  public static final Topic<String, LatentStep> LATENTS =
      new Topic<>(
          "wm.latents",
          Serdes.String(),
          AvroSerde.of(LatentStep.class),
          EXPERIENCE.partitions(),
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              KEEP_FOREVER,
              TopicConfig.RETENTION_BYTES_CONFIG,
              String.valueOf(LATENT_BYTES_PER_PARTITION),
              TopicConfig.SEGMENT_BYTES_CONFIG,
              String.valueOf(SEGMENT_BYTES)),
          "LatentStep per experience step, keyed by episode id");

  /** Latents the learner could not train on, with the reason in their headers. */
  public static final Topic<byte[], byte[]> LATENTS_DLQ =
      deadLetters(
          "wm.latents.dlq", "original bytes of latents the learner rejected, reason in headers");

  /**
   * Trained MDN-RNN checkpoints with their ONNX model, keyed by {@link #checkpointKey lineage and
   * version}; the registry's log. Compacted as well as bounded by size: when a version's model is
   * thinned, its metadata is published again without the model, and compaction keeps only that.
   */
  public static final Topic<String, Checkpoint> CHECKPOINTS =
      new Topic<>(
          "wm.checkpoints",
          Serdes.String(),
          AvroSerde.of(Checkpoint.class),
          1,
          modelTopicConfigs(
              Map.of(
                  TopicConfig.CLEANUP_POLICY_CONFIG,
                  TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                  TopicConfig.RETENTION_BYTES_CONFIG,
                  String.valueOf(CHECKPOINT_BYTES),
                  TopicConfig.SEGMENT_BYTES_CONFIG,
                  String.valueOf(MODEL_SEGMENT_BYTES))),
          "Checkpoint per MDN-RNN version, keyed by lineage/version");

  /** The key of a checkpoint on {@link #CHECKPOINTS}: one per version, for compaction. */
  public static String checkpointKey(String lineage, long version) {
    return lineage + "/" + version;
  }

  /** The lineage a {@link #CHECKPOINTS} key names; earlier releases keyed by lineage alone. */
  public static String checkpointLineage(String key) {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  /** The best controller per lineage as it improves; workers act with the newest. */
  public static final Topic<String, ControllerUpdate> CONTROLLERS =
      new Topic<>(
          "wm.controllers",
          Serdes.String(),
          AvroSerde.of(ControllerUpdate.class),
          1,
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              KEEP_FOREVER),
          "ControllerUpdate per improvement, keyed by lineage");

  /** One report per CMA-ES generation of the controller evaluator. */
  public static final Topic<String, EvaluationReport> EVALUATIONS =
      new Topic<>(
          "wm.evaluations",
          Serdes.String(),
          AvroSerde.of(EvaluationReport.class),
          1,
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_DELETE,
              TopicConfig.RETENTION_MS_CONFIG,
              KEEP_FOREVER),
          "EvaluationReport per CMA-ES generation, keyed by lineage");

  private static final List<Topic<?, ?>> ALL =
      List.of(
          EXPERIENCE,
          EXPERIENCE_DLQ,
          VAE,
          LATENTS,
          LATENTS_DLQ,
          CHECKPOINTS,
          CONTROLLERS,
          EVALUATIONS);

  private Topics() {}

  /** Every topic of the catalogue, in pipeline order. */
  public static List<Topic<?, ?>> all() {
    return ALL;
  }

  public static Optional<Topic<?, ?>> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  private static Map<String, String> modelTopicConfigs(Map<String, String> more) {
    Map<String, String> configs = new HashMap<>(more);
    configs.putIfAbsent(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    configs.putIfAbsent(TopicConfig.RETENTION_MS_CONFIG, KEEP_FOREVER);
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MODEL_MAX_MESSAGE_BYTES));
    return configs;
  }

  /** A dead-letter topic: raw key and value as rejected, kept for ever, reasons in headers. */
  private static Topic<byte[], byte[]> deadLetters(String name, String description) {
    return new Topic<>(
        name,
        Serdes.ByteArray(),
        Serdes.ByteArray(),
        1,
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            KEEP_FOREVER),
        description);
  }
}
