package io.worldstream.train.learner;

import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The learner's pipeline: latents → validate (rejections to the dead-letter sink) → key by episode
 * and VAE version → {@link SequenceAssembler} → key by VAE version → {@link Learner} (parallelism
 * 1) → checkpoint sink. The job is given its source and sinks, so tests and the running service
 * plug in their own ends; operator ids are fixed so state survives changes to the code.
 */
public final class LearnerJob {

  private LearnerJob() {}

  public static void build(
      StreamExecutionEnvironment env,
      Source<LatentInput, ?, ?> latents,
      Sink<PublishedModel> checkpoints,
      Sink<LatentInput> deadLetters,
      TrainSettings settings) {
    build(env, latents, checkpoints, deadLetters, settings, Map.of());
  }

  /**
   * @param publishedBefore the newest version of each lineage already on wm.checkpoints, where a
   *     job that starts without state continues the numbering
   */
  public static void build(
      StreamExecutionEnvironment env,
      Source<LatentInput, ?, ?> latents,
      Sink<PublishedModel> checkpoints,
      Sink<LatentInput> deadLetters,
      TrainSettings settings,
      Map<String, Long> publishedBefore) {
    OutputTag<LatentInput> rejected =
        new OutputTag<>("rejected", TypeInformation.of(LatentInput.class));
    SingleOutputStreamOperator<EpisodeStep> steps =
        env.fromSource(latents, WatermarkStrategy.noWatermarks(), "wm.latents")
            .uid("latents")
            .process(new Validate(rejected))
            .uid("validate")
            .name("validate");
    steps.getSideOutput(rejected).sinkTo(deadLetters).uid("dead-letters").name("wm.latents.dlq");
    steps
        .keyBy(SequenceAssembler::key)
        .process(
            new SequenceAssembler(
                settings.sequenceLength(),
                settings.sequenceStride(),
                settings.burnIn(),
                settings.idleFlush()))
        .uid("assemble")
        .name("assemble sequences")
        .keyBy(sequence -> sequence.vaeVersion)
        .process(new Learner(settings.learner(), publishedBefore))
        .setParallelism(1)
        .uid("learn")
        .name("learn")
        .sinkTo(checkpoints)
        .setParallelism(1)
        .uid("checkpoints")
        .name("wm.checkpoints");
  }

  /** Usable steps go on; rejections go to the side output with their bytes. */
  static final class Validate extends ProcessFunction<LatentInput, EpisodeStep> {
    private final OutputTag<LatentInput> rejected;

    Validate(OutputTag<LatentInput> rejected) {
      this.rejected = rejected;
    }

    @Override
    public void processElement(LatentInput input, Context ctx, Collector<EpisodeStep> out) {
      if (input.usable()) {
        out.collect(input.step);
      } else {
        ctx.output(rejected, input);
      }
    }
  }
}
