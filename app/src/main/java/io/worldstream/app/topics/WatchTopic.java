package io.worldstream.app.topics;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.KafkaOptions;
import io.worldstream.app.Worldstream;
import io.worldstream.schemas.Topic;
import io.worldstream.schemas.TopicReader;
import io.worldstream.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Prints each record of a topic as one line of JSON as it arrives.",
      "Runs until Ctrl-C or --limit. Frames and models are summarised by their size;",
      "only committed records show."
    })
final class WatchTopic implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Parameters(
      paramLabel = "TOPIC",
      description = "One of: ${COMPLETION-CANDIDATES}",
      completionCandidates = TopicNames.class)
  String topicName;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest record instead of the newest.")
  boolean fromBeginning;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N records.")
  Long limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Topic<?, ?> topic =
        Topics.byName(topicName)
            .orElseThrow(
                () ->
                    new CommandFailure(
                        "Unknown topic '"
                            + topicName
                            + "'; the catalogue has "
                            + String.join(", ", new TopicNames()),
                        Worldstream.USAGE,
                        null));
    if (limit != null && limit < 1) {
      throw new CommandFailure("--limit must be at least 1, not " + limit, Worldstream.USAGE, null);
    }
    kafka.connectedAdmin().close();
    Map<String, Object> config = kafka.clientConfig();
    config.put(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.connectTimeout().toMillis());
    TopicReader<byte[], byte[]> reader;
    try {
      reader =
          new TopicReader<>(
              config,
              List.of(topic.name()),
              fromBeginning ? TopicReader.From.BEGINNING : TopicReader.From.END,
              new ByteArrayDeserializer(),
              new ByteArrayDeserializer());
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage() + " (on " + kafka.bootstrapServers() + ")", e);
    }
    try (reader) {
      return watch(topic, reader, spec.commandLine().getOut());
    }
  }

  private int watch(Topic<?, ?> topic, TopicReader<byte[], byte[]> reader, PrintWriter out) {
    CountDownLatch done = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              reader.wakeup();
              awaitQuietly(done);
            },
            "watch-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    long printed = 0;
    try {
      while (limit == null || printed < limit) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
          out.println(RecordJson.line(topic, record));
          if (limit != null && ++printed >= limit) {
            break;
          }
        }
        out.flush();
      }
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (WakeupException e) {
      // Ctrl-C: leave quietly.
    } finally {
      out.flush();
      done.countDown();
    }
    return 0;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The catalogue's topic names, for help and completion. */
  static final class TopicNames extends java.util.ArrayList<String> {
    TopicNames() {
      super(Topics.all().stream().map(Topic::name).collect(Collectors.toList()));
    }
  }
}
