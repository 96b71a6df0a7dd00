package io.worldstream.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's {@code no_grad} for DJL. Gradient recording is per thread and on by default in PyTorch,
 * and DJL's gradient collector only restores the mode a thread had before it; an in-place update of
 * a weight that requires gradients then fails ("a leaf Variable that requires grad is being used in
 * an in-place operation") on any thread that did not happen to start the engine — a Flink task
 * thread after a restart, for one.
 */
public final class GradientRecording {

  private GradientRecording() {}

  /** Runs {@code update} with gradient recording off on this thread, then restores the mode. */
  public static void off(Runnable update) {
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      update.run();
    } finally {
      JniUtils.setGradMode(was);
    }
  }
}
