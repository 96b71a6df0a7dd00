# Flink with Worldstream's jars in lib/, for the learner job.
# Build context: the repository root after docker/prepare.
FROM flink:2.2.1-scala_2.12-java17
COPY docker/build/flink/ /opt/flink/lib/
