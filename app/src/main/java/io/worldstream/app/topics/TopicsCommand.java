package io.worldstream.app.topics;

import picocli.CommandLine.Command;

/** {@code worldstream topics}: the catalogue's topics on a cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Creates, lists and watches Worldstream's topics.",
    subcommands = {CreateTopics.class, ListTopics.class, WatchTopic.class})
public final class TopicsCommand {}
