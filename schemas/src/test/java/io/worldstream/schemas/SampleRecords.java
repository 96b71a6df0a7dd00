package io.worldstream.schemas;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.Frame;
import io.worldstream.records.LatentStep;
import io.worldstream.records.LossParts;
import io.worldstream.records.VaeModel;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** One filled-in instance of every record, with values that differ field to field. */
final class SampleRecords {

  static final Instant T0 =
      Instant.parse("2026-11-21T12:00:00.123Z").truncatedTo(ChronoUnit.MILLIS);

  private SampleRecords() {}

  static ExperienceStep experience() {
    byte[] pixels = new byte[96 * 96 * 3];
    new Random(7).nextBytes(pixels);
    return ExperienceStep.newBuilder()
        .setEpisodeId("worker-a-3f1c")
        .setWorkerId("worker-a")
        .setEnvId("CarRacing-v3")
        .setEnvSeed(42L)
        .setStep(17)
        .setFrame(new Frame(96, 96, 3, ByteBuffer.wrap(pixels)))
        .setAction(List.of(-0.5f, 1.0f, 0.0f))
        .setReward(3.1)
        .setTerminated(false)
        .setTruncated(true)
        .setPolicyId("brownian")
        .setPolicyVersion(0L)
        .setEventTime(T0)
        .setInfo(Map.of("lap_finished", "false"))
        .build();
  }

  static LatentStep latent() {
    return LatentStep.newBuilder()
        .setEpisodeId("worker-a-3f1c")
        .setStep(17)
        .setMu(List.of(0.1f, -0.2f, 0.3f))
        .setLogvar(List.of(-1f, -2f, -3f))
        .setAction(List.of(-0.5f, 1.0f, 0.0f))
        .setReward(3.1)
        .setTerminated(true)
        .setTruncated(false)
        .setVaeVersion("ab12")
        .setEventTime(T0)
        .setEncodeTime(T0.plusMillis(12))
        .build();
  }

  static Checkpoint checkpoint() {
    return Checkpoint.newBuilder()
        .setLineage("default")
        .setVersion(3L)
        .setParentVersion(2L)
        .setVaeVersion("ab12")
        .setStepsTrained(51_200L)
        .setEpisodesTrained(64L)
        .setTrainLoss(1.25)
        .setHeldOutLoss(1.5)
        .setTrainLossParts(new LossParts(1.0, 0.2, 0.05))
        .setHeldOutLossParts(new LossParts(1.2, 0.25, 0.05))
        .setGradientSteps(1_600L)
        .setCreatedTime(T0)
        .setSha256("00ff")
        .setOnnxModel(ByteBuffer.wrap(new byte[] {8, 7, 6}))
        .build();
  }

  static VaeModel vae() {
    return VaeModel.newBuilder()
        .setVersion("5a5a")
        .setEncoderOnnx(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setDecoderOnnx(ByteBuffer.wrap(new byte[] {4, 5}))
        .setDecoderSha256("6b6b")
        .setDescription("my-vae/encoder.onnx")
        .setCreatedTime(T0)
        .build();
  }

  static ControllerUpdate controller() {
    return ControllerUpdate.newBuilder()
        .setLineage("default")
        .setVersion(2L)
        .setCheckpointVersion(3L)
        .setVaeVersion("ab12")
        .setInputSize(2)
        .setOutputSize(3)
        .setWeights(List.of(1f, 2f, 3f, 4f, 5f, 6f))
        .setBias(List.of(0f, 0.5f, -0.5f))
        .setDreamReturn(812.5)
        .setRealReturn(null)
        .setGeneration(9)
        .setCreatedTime(T0)
        .build();
  }

  static EvaluationReport evaluation() {
    return EvaluationReport.newBuilder()
        .setLineage("default")
        .setCheckpointVersion(3L)
        .setVaeVersion("ab12")
        .setGeneration(9)
        .setPopulationSize(64)
        .setRolloutsPerCandidate(16)
        .setTemperature(1.15)
        .setBestReturn(812.5)
        .setMeanReturn(400.25)
        .setWorstReturn(-50.0)
        .setStdReturn(120.5)
        .setHorizon(1000)
        .setSigma(0.08)
        .setControllerVersion(10L)
        .setControllerDreamReturn(812.5)
        .setRealReturn(701.0)
        .setRealEpisodes(4)
        .setDreamSteps(1_024_000L)
        .setWallMillis(20_500L)
        .setCreatedTime(T0)
        .build();
  }
}
