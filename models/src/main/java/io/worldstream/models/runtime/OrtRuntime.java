package io.worldstream.models.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where ONNX Runtime is set up: the process-wide environment, session options (all
 * graph optimisations, no spinning threads on shared machines, explicit thread counts) and the
 * execution provider — CUDA when this build carries the GPU runtime ({@code -Pcuda}) and the
 * provider loads, CPU otherwise, said once in the log.
 */
public final class OrtRuntime {

  private static final Logger log = LoggerFactory.getLogger(OrtRuntime.class);
  private static final AtomicReference<OrtEnvironment> ENVIRONMENT = new AtomicReference<>();
  private static final AtomicReference<String> ANNOUNCED = new AtomicReference<>();

  /** Which execution provider sessions run on. */
  public enum Device {
    CPU,
    CUDA
  }

  private OrtRuntime() {}

  /**
   * The process-wide environment. ONNX Runtime's native start-up reads /proc/self/cmdline on the
   * calling thread's stack and crashes the JVM on a long command line (DESIGN §3), so it is created
   * once on a thread with a 64 MB stack.
   */
  public static OrtEnvironment environment() {
    OrtEnvironment env = ENVIRONMENT.get();
    if (env != null) {
      return env;
    }
    synchronized (OrtRuntime.class) {
      if (ENVIRONMENT.get() == null) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starter =
            new Thread(
                null,
                () -> {
                  try {
                    ENVIRONMENT.set(OrtEnvironment.getEnvironment());
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                },
                "onnxruntime-start",
                64L * 1024 * 1024);
        starter.start();
        try {
          starter.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while starting ONNX Runtime", e);
        }
        if (failure.get() != null) {
          throw new IllegalStateException(
              "Cannot start ONNX Runtime: " + failure.get().getMessage(), failure.get());
        }
      }
      return ENVIRONMENT.get();
    }
  }

  /**
   * Session options for a model, on CUDA when available.
   *
   * @param intraOpThreads threads one inference may use (give ONNX Runtime an explicit share of the
   *     cores; libtorch and Kafka share them)
   */
  public static Session session(byte[] model, int intraOpThreads) throws OrtException {
    OrtEnvironment env = environment();
    Device device = Device.CPU;
    OrtSession.SessionOptions options = baseOptions(intraOpThreads);
    if (env.getAvailableProviders().contains(OrtProvider.CUDA)) {
      try {
        options.addCUDA(0);
        device = Device.CUDA;
      } catch (OrtException | RuntimeException e) {
        // The GPU build lists CUDA whether or not a GPU and its libraries are there.
        options.close();
        options = baseOptions(intraOpThreads);
        announce("ONNX Runtime runs on CPU (CUDA provider did not load: " + e.getMessage() + ")");
      }
    }
    if (device == Device.CUDA) {
      announce("ONNX Runtime runs on CUDA (GPU 0)");
    } else {
      announce("ONNX Runtime runs on CPU");
    }
    try {
      return new Session(env.createSession(model, options), options, device);
    } catch (OrtException e) {
      options.close();
      throw e;
    }
  }

  private static OrtSession.SessionOptions baseOptions(int intraOpThreads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
    options.setInterOpNumThreads(1);
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    options.addConfigEntry("session.inter_op.allow_spinning", "0");
    return options;
  }

  private static void announce(String line) {
    if (!line.equals(ANNOUNCED.getAndSet(line))) {
      log.info(line);
    }
  }

  /** A session with the options it owns; closing it closes both. Thread-safe for inference. */
  public record Session(OrtSession session, OrtSession.SessionOptions options, Device device)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("Cannot close ONNX Runtime session", e);
      } finally {
        options.close();
      }
    }
  }
}
