# Flink with Worldstream's jars in lib/, for the learner job.
# Build context: the repository root after docker/prepare.
FROM flink:2.2.1-scala_2.12-java17
COPY docker/build/flink/ /opt/flink/lib/
# The learner's checkpoints go to a volume shared with the `train` client, at the same path.
RUN mkdir -p /var/lib/worldstream && chmod 1777 /var/lib/worldstream
