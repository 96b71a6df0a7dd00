package io.worldstream.producers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One batched model call for the inputs of every thread that asks while another call runs: a thread
 * that finds the model idle runs it on all the inputs waiting, and the others wait for their
 * outputs. A worker's environment threads thus share calls as they come, about one per round of
 * steps under load, and no thread waits for a batch to fill: alone, a thread calls at once.
 *
 * @param <I> one thread's input
 * @param <O> its output
 */
final class CombinedCalls<I, O> {

  private static final class Pending<I, O> {
    final I input;
    O output;
    RuntimeException failure;
    boolean done;

    Pending(I input) {
      this.input = input;
    }
  }

  private final Function<List<I>, List<O>> call;
  private List<Pending<I, O>> waiting = new ArrayList<>();
  private boolean calling;

  /**
   * @param call the batched call: one output per input, in their order
   */
  CombinedCalls(Function<List<I>, List<O>> call) {
    this.call = call;
  }

  /**
   * The output for {@code input}, computed in a call shared with the inputs of the threads that ask
   * meanwhile.
   *
   * @throws IllegalStateException if the call that computed it failed
   */
  O apply(I input) {
    Pending<I, O> mine = new Pending<>(input);
    List<Pending<I, O>> batch = null;
    boolean interrupted = false;
    synchronized (this) {
      waiting.add(mine);
      while (calling && !mine.done) {
        try {
          wait();
        } catch (InterruptedException e) {
          // The input may be in a running call: its output is still awaited.
          interrupted = true;
        }
      }
      if (!mine.done) {
        calling = true;
        batch = waiting;
        waiting = new ArrayList<>();
      }
    }
    if (batch != null) {
      run(batch);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (mine.failure != null) {
      throw new IllegalStateException(
          "a model call failed: " + mine.failure.getMessage(), mine.failure);
    }
    return mine.output;
  }

  /** Inputs waiting for a call (for tests). */
  synchronized int waiting() {
    return calling ? waiting.size() : 0;
  }

  private void run(List<Pending<I, O>> batch) {
    List<O> outputs = null;
    RuntimeException failure = null;
    try {
      List<I> inputs = new ArrayList<>(batch.size());
      batch.forEach(p -> inputs.add(p.input));
      outputs = call.apply(inputs);
      if (outputs.size() != batch.size()) {
        failure =
            new IllegalStateException(outputs.size() + " outputs for " + batch.size() + " inputs");
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      synchronized (this) {
        for (int i = 0; i < batch.size(); i++) {
          Pending<I, O> pending = batch.get(i);
          if (failure == null && outputs != null) {
            pending.output = outputs.get(i);
          } else {
            pending.failure =
                failure != null ? failure : new IllegalStateException("the model call failed");
          }
          pending.done = true;
        }
        calling = false;
        notifyAll();
      }
    }
  }
}
