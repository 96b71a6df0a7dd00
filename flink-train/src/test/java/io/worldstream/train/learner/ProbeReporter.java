package io.worldstream.train.learner;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter, configured as any reporter is ({@code
 * metrics.reporter.NAME.factory.class}), that keeps every metric the job registers for a test to
 * read, as JMX or Prometheus would.
 */
public final class ProbeReporter implements MetricReporter, MetricReporterFactory {

  private static final Map<String, Metric> seen = new ConcurrentHashMap<>();

  /** The metric whose full identifier ends with {@code name}, once registered. */
  static Optional<Metric> find(String name) {
    return seen.entrySet().stream()
        .filter(e -> e.getKey().endsWith(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new ProbeReporter();
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
    seen.put(group.getMetricIdentifier(name), metric);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
    seen.remove(group.getMetricIdentifier(name), metric);
  }
}
