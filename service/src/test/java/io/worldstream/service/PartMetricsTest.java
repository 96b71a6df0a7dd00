package io.worldstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.metrics.Sensor;
import org.junit.jupiter.api.Test;

class PartMetricsTest {

  private final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

  @Test
  void shouldShowGaugesAndMetersInJmxAsTheyMove() throws Exception {
    ObjectName name = new ObjectName("worldstream:type=test-part,instance=one");
    AtomicLong figure = new AtomicLong(3);
    try (PartMetrics metrics = new PartMetrics("test-part", "one")) {
      metrics.gauge("figure", "a figure the part keeps", figure::get);
      Sensor things = metrics.meter("things", "things done");

      assertThat(jmx.getAttribute(name, "figure")).isEqualTo(3.0);
      assertThat(jmx.getAttribute(name, "things-total")).isEqualTo(0.0);

      figure.set(7);
      things.record(5);
      things.record(2);

      assertThat(jmx.getAttribute(name, "figure")).isEqualTo(7.0);
      assertThat(jmx.getAttribute(name, "things-total")).isEqualTo(7.0);
      assertThat((Double) jmx.getAttribute(name, "things-rate")).isPositive();
      assertThat(metrics.value("things-total")).isEqualTo(7.0);
    }
    assertThat(jmx.isRegistered(name)).as("gone from JMX once closed").isFalse();
  }
}
