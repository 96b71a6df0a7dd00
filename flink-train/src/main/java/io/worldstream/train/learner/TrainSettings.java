package io.worldstream.train.learner;

import io.worldstream.service.InvalidSettingException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the learner job runs.
 *
 * @param sequenceLength transitions per training sequence (T)
 * @param sequenceStride steps between the starts of two sequences of an episode
 * @param burnIn transitions at the start of a sequence (one that does not start its episode) that
 *     only bring the LSTM's state to where the episode had it, with no loss on them; at most the
 *     length minus the stride, so that every transition is trained on
 * @param idleFlush how long an episode may be quiet before its last steps are trained on
 * @param flinkCheckpointInterval Flink's checkpoint interval: a published model becomes visible
 *     when the Flink checkpoint after it completes
 * @param stateDir where Flink keeps its checkpoints (retained on cancel; the newest is resumed)
 * @param applicationId the consumer group and transactional-id prefix of this job
 * @param progressInterval how often the service prints its progress line
 * @param flinkCluster the REST address (HOST:PORT) of a Flink session cluster to run the job on,
 *     whose classpath holds Worldstream's jars; empty: an embedded MiniCluster
 */
public record TrainSettings(
    LearnerSettings learner,
    int sequenceLength,
    int sequenceStride,
    int burnIn,
    Duration idleFlush,
    Duration flinkCheckpointInterval,
    Path stateDir,
    String applicationId,
    Duration progressInterval,
    Optional<String> flinkCluster) {

  public static final String DEFAULT_APPLICATION_ID = "worldstream-learner";

  public TrainSettings {
    flinkCluster.ifPresent(TrainSettings::clusterAddress);
    InvalidSettingException.atLeast("sequence-length", "the sequence length", sequenceLength, 1);
    if (sequenceStride < 1 || sequenceStride > sequenceLength) {
      throw new InvalidSettingException(
          "sequence-stride",
          "the sequence stride must be 1 to the sequence length ("
              + sequenceLength
              + "), not "
              + sequenceStride);
    }
    if (burnIn < 0 || burnIn > sequenceLength - sequenceStride) {
      throw new InvalidSettingException(
          "burn-in",
          "the burn-in must be 0 to the sequence length minus the stride ("
              + (sequenceLength - sequenceStride)
              + "), so that every step is trained on, not "
              + burnIn);
    }
    InvalidSettingException.positive("idle-flush", "the idle flush", idleFlush);
    InvalidSettingException.positive(
        "flink-checkpoint-interval", "Flink's checkpoint interval", flinkCheckpointInterval);
    InvalidSettingException.positive(
        "progress-interval", "the progress interval", progressInterval);
  }

  /** Where the learner keeps Flink's state under Worldstream's data directory. */
  public static Path stateDirUnder(Path dataDir) {
    return dataDir.resolve("train");
  }

  public static TrainSettings defaults(Path dataDir) {
    return new TrainSettings(
        LearnerSettings.defaults(),
        32,
        16,
        0,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        stateDirUnder(dataDir),
        DEFAULT_APPLICATION_ID,
        Duration.ofSeconds(10),
        Optional.empty());
  }

  /**
   * The same settings with sequences of {@code length} transitions every {@code stride} steps, the
   * first {@code burnIn} of them context, the learner's train ratio {@code trainRatio}, and the
   * newest {@code replayCapacity} sequences kept to train on (a tenth of that held out).
   */
  public TrainSettings withSequences(
      int length, int stride, int burnIn, double trainRatio, int replayCapacity) {
    return new TrainSettings(
        learner.toBuilder()
            .trainRatio(trainRatio)
            .replayCapacity(replayCapacity)
            .heldOutCapacity(heldOutCapacity(replayCapacity))
            .build(),
        length,
        stride,
        burnIn,
        idleFlush,
        flinkCheckpointInterval,
        stateDir,
        applicationId,
        progressInterval,
        flinkCluster);
  }

  /**
   * The same settings, publishing the running average of the trained weights with {@code decay} (0:
   * the weights as trained).
   */
  public TrainSettings withAverageDecay(double decay) {
    return new TrainSettings(
        learner.toBuilder().averageDecay(decay).build(),
        sequenceLength,
        sequenceStride,
        burnIn,
        idleFlush,
        flinkCheckpointInterval,
        stateDir,
        applicationId,
        progressInterval,
        flinkCluster);
  }

  /** Held-out sequences kept beside a replay of {@code replayCapacity}: a tenth of it. */
  public static int heldOutCapacity(int replayCapacity) {
    return Math.max(1, replayCapacity / 10);
  }

  /** The same settings, the job submitted to the Flink session cluster at {@code hostPort}. */
  public TrainSettings onCluster(String hostPort) {
    return new TrainSettings(
        learner,
        sequenceLength,
        sequenceStride,
        burnIn,
        idleFlush,
        flinkCheckpointInterval,
        stateDir,
        applicationId,
        progressInterval,
        Optional.of(hostPort));
  }

  /**
   * A cluster's REST address from HOST:PORT.
   *
   * @throws InvalidSettingException naming the flag when it is not one
   */
  public static InetSocketAddress clusterAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (colon < 1 || port < 1 || port > 65_535) {
        throw new NumberFormatException();
      }
      return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), port);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new InvalidSettingException(
          "flink-cluster",
          "the Flink cluster must be given as HOST:PORT (its REST port, 8081 by default), not '"
              + hostPort
              + "'");
    }
  }
}
