package io.worldstream.service;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Meter;
import org.apache.kafka.common.utils.Time;

/**
 * A part's own figures as Kafka metrics, which is how a Kafka user already watches the clients: in
 * JMX under {@code worldstream:type=<part>,instance=<instance>} (one attribute per metric), where
 * JConsole, a Prometheus JMX exporter or any JMX agent finds them beside the Kafka clients' own.
 * Gauges read the part's figures when asked, so keeping them costs the part nothing; a {@link
 * #meter} is recorded by the part and gives a total and a rate per second. Thread-safe.
 */
public final class PartMetrics implements AutoCloseable {

  /** The JMX domain of every part's metrics. */
  public static final String DOMAIN = "worldstream";

  private final Metrics metrics;
  private final String group;
  private final Map<String, String> tags;

  /**
   * @param part the kind of part, e.g. "encoder" (the MBean's {@code type})
   * @param instance which one, e.g. its application id (the MBean's {@code instance})
   */
  public PartMetrics(String part, String instance) {
    this.metrics =
        new Metrics(
            new MetricConfig(),
            List.of(new JmxReporter()),
            Time.SYSTEM,
            new KafkaMetricsContext(DOMAIN));
    this.group = part;
    this.tags = Map.of("instance", instance);
  }

  /** A figure read from the part whenever a reporter asks. */
  public void gauge(String name, String description, DoubleSupplier value) {
    metrics.addMetric(name(name, description), (config, now) -> value.getAsDouble());
  }

  /**
   * Something the part counts as it happens: {@code <name>-total} and {@code <name>-rate} (per
   * second, over the last half minute or so).
   */
  public Sensor meter(String name, String description) {
    Sensor sensor = sensor(name);
    sensor.add(
        new Meter(
            name(name + "-rate", description + " per second"),
            name(name + "-total", description + " in all")));
    return sensor;
  }

  /** A sensor of this part, for the stats of one's choosing (e.g. an average and a maximum). */
  public Sensor sensor(String name) {
    return metrics.sensor(group + "." + tags.get("instance") + "." + name);
  }

  /** The name of one of this part's metrics. */
  public MetricName name(String name, String description) {
    return metrics.metricName(name, group, description, tags);
  }

  /** The value a metric of this part has now (what a reporter would read). */
  public double value(String name) {
    var metric = metrics.metric(name(name, ""));
    if (metric == null) {
      throw new IllegalArgumentException("no metric " + name + " in " + group);
    }
    return ((Number) metric.metricValue()).doubleValue();
  }

  /** Removes the part's metrics from JMX. */
  @Override
  public void close() {
    metrics.close();
  }
}
