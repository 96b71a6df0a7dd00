package io.worldstream.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Java program on this JVM's classpath, in a process of its own (benchmarks and tests). */
public final class ChildProcess {

  private ChildProcess() {}

  /**
   * {@code mainClass} with {@code args}, on this JVM's Java and classpath.
   *
   * @param maxHeap the JVM's {@code -Xmx}, e.g. {@code 1g}
   */
  public static ProcessBuilder java(String maxHeap, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-Djava.awt.headless=true");
    command.add("-Dai.djl.offline=true");
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    // The classpath goes in the environment: ONNX Runtime fails on command lines over ~4 KB.
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    return builder;
  }

  /** The {@code worldstream} command with {@code args}. */
  public static ProcessBuilder worldstream(String maxHeap, List<String> args) {
    return java(maxHeap, Worldstream.class.getName(), args);
  }
}
