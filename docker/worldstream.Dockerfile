# The `worldstream` command: workers, encoders, serving and the learner's client.
# Build context: the repository root after docker/prepare.
FROM eclipse-temurin:17-jre
COPY docker/build/worldstream/ /opt/worldstream/lib/
RUN mkdir -p /var/lib/worldstream && chmod 1777 /var/lib/worldstream
WORKDIR /var/lib/worldstream
# A classpath wildcard keeps the command line short (ONNX Runtime fails on very long ones).
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-cp", "/opt/worldstream/lib/*", "io.worldstream.app.Worldstream"]
CMD ["--help"]
