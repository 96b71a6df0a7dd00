package io.worldstream.app.topics;

import io.worldstream.app.CommandFailure;
import io.worldstream.app.KafkaOptions;
import io.worldstream.schemas.TopicAdmin;
import io.worldstream.schemas.Topics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description =
        "Creates every catalogue topic that does not exist yet; existing topics are left alone.")
final class CreateTopics implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description = "Replicas per partition (default: the cluster's default.replication.factor).")
  Short replicationFactor;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    try (Admin admin = kafka.connectedAdmin()) {
      List<String> created =
          new TopicAdmin(admin, kafka.connectTimeout())
              .createMissing(Optional.ofNullable(replicationFactor));
      for (var topic : Topics.all()) {
        out.printf(
            "%-20s %s%n", topic.name(), created.contains(topic.name()) ? "created" : "exists");
      }
      return 0;
    } catch (IllegalStateException e) {
      throw new CommandFailure(e.getMessage(), e);
    }
  }
}
