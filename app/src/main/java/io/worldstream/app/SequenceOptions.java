package io.worldstream.app;

import picocli.CommandLine.Option;

/**
 * How the learner cuts episodes into training sequences, how many it keeps and what it publishes,
 * for {@code train} and the whole loop.
 */
public final class SequenceOptions {

  @Option(
      names = "--sequence-length",
      paramLabel = "T",
      defaultValue = "32",
      description = "Transitions per training sequence (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(
      names = "--sequence-stride",
      paramLabel = "S",
      defaultValue = "16",
      description = "Steps between the starts of two sequences (default: ${DEFAULT-VALUE}).")
  int stride;

  @Option(
      names = "--burn-in",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Transitions at the start of a sequence, one that does not start its episode, that only"
              + " bring the model's memory to where the episode had it: no loss is taken on them."
              + " At most the length minus the stride (default: ${DEFAULT-VALUE}).")
  int burnIn;

  @Option(
      names = "--stored-state",
      paramLabel = "true|false",
      defaultValue = "false",
      arity = "0..1",
      description =
          "A sequence that continues its episode starts from the memory the learner's model had"
              + " there, carried along the episode from the sequences before it, instead of from"
              + " an empty memory: the model learns to predict from the memory that a long dream"
              + " builds up (default: ${DEFAULT-VALUE}).")
  boolean storedState;

  @Option(
      names = "--train-ratio",
      paramLabel = "R",
      defaultValue = "1.0",
      description =
          "Gradient steps per new training sequence at most: a learner slower than its data"
              + " trains all the time, and its progress line shows fewer gradient steps/s than"
              + " this ratio times the sequences/s in (default: ${DEFAULT-VALUE}).")
  double trainRatio;

  @Option(
      names = "--replay-capacity",
      paramLabel = "N",
      defaultValue = "16000",
      description =
          "Newest sequences kept to sample minibatches from, a tenth as many held out (default:"
              + " ${DEFAULT-VALUE}).")
  int replayCapacity;

  @Option(
      names = "--average-decay",
      paramLabel = "D",
      defaultValue = "0.998",
      description =
          "Each checkpoint publishes the running average of the trained weights, each gradient step"
              + " moving it by 1 - D toward them (about the last 1 / (1 - D) steps), so successive"
              + " checkpoints differ by what the model learned rather than by the noise of its last"
              + " minibatches; 0 publishes the weights as trained (default: ${DEFAULT-VALUE}).")
  double averageDecay;
}
