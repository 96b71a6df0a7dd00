package io.worldstream.train;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * PyTorch's {@code no_grad} for DJL. Gradient recording is per thread and on by default in PyTorch,
 * and DJL's gradient collector only restores the mode a thread had before it. On any thread that
 * did not happen to start the engine (a Flink task thread, for one) everything outside a collector
 * is then recorded: an in-place update of a weight fails ("a leaf Variable that requires grad is
 * being used in an in-place operation"), and the bookkeeping around each step builds graphs.
 */
public final class GradientRecording {

  private GradientRecording() {}

  /** Runs {@code work} with gradient recording off on this thread, then restores the mode. */
  public static <T> T off(Supplier<T> work) {
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(was);
    }
  }
}
