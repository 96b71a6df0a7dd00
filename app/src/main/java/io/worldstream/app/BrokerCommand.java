package io.worldstream.app;

import io.worldstream.broker.BrokerService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code worldstream broker}: a real single-node Kafka broker in this process, until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a single-node Kafka broker in this process until Ctrl-C.",
      "The broker (KRaft) listens on 127.0.0.1 and keeps its log in DIR/kafka across",
      "restarts; Worldstream's topics are created on it at start."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin BrokerOptions broker;

  @Override
  public Integer call() {
    BrokerService service = new BrokerService(broker.settings(), Commands.console(spec));
    return Commands.run(spec, service);
  }
}
