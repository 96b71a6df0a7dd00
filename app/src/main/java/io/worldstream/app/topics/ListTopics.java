package io.worldstream.app.topics;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.KafkaOptions;
import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.TopicAdmin.TopicState;
import io.worldstream.schemas.Topics;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "Lists the catalogue's topics with their partitions and end offsets (records written).")
final class ListTopics implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try (Admin admin = kafka.connectedAdmin()) {
      Map<String, TopicState> states =
          new TopicAdmin(admin, kafka.connectTimeout())
              .describe().stream().collect(Collectors.toMap(TopicState::name, Function.identity()));
      out.printf("%-20s %10s %14s  %s%n", "TOPIC", "PARTITIONS", "END OFFSETS", "CONTENT");
      for (var topic : Topics.all()) {
        TopicState state = states.get(topic.name());
        if (state == null) {
          out.printf("%-20s %10s %14s  %s%n", topic.name(), "-", "missing", topic.description());
        } else {
          out.printf(
              "%-20s %10d %14d  %s%n",
              topic.name(), state.partitions(), state.endOffsetSum(), topic.description());
        }
      }
      if (states.size() < Topics.all().size()) {
        out.println("Some topics are missing; create them with 'worldstream topics create'.");
      }
      return 0;
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
  }
}
