package io.worldstream.schemas;

import io.worldstream.records.Checkpoint;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.records.ExperienceStep;
import io.worldstream.records.LatentStep;
import io.worldstream.records.VaeModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every writer schema a reader can resolve, found by the 64-bit fingerprint that single-object
 * encoding puts in each message. No schema registry is needed: the current schemas come from the
 * generated classes, and each superseded version is kept as an {@code .avsc} file listed in {@code
 * history/index} next to this class, so records written by an older release stay readable. A reader
 * learns a <em>newer</em> schema only when it is deployed with it (upgrade readers first).
 */
public final class WriterSchemas implements SchemaStore {

  /** The records of the current release; each travels in one topic of {@link Topics}. */
  public static final List<Schema> CURRENT =
      List.of(
          ExperienceStep.getClassSchema(),
          LatentStep.getClassSchema(),
          Checkpoint.getClassSchema(),
          ControllerUpdate.getClassSchema(),
          EvaluationReport.getClassSchema(),
          VaeModel.getClassSchema());

  private static final String HISTORY = "history/";

  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

  private WriterSchemas(Collection<Schema> schemas) {
    schemas.forEach(this::add);
  }

  /** The current schemas and every historical version shipped with this release. */
  public static WriterSchemas bundled() {
    List<Schema> all = new ArrayList<>(CURRENT);
    all.addAll(history());
    return new WriterSchemas(all);
  }

  /** Exactly the given schemas, e.g. to read records of a schema version not bundled here. */
  public static WriterSchemas of(Collection<Schema> schemas) {
    return new WriterSchemas(schemas);
  }

  /** Adds one more schema a writer may have used. */
  public WriterSchemas add(Schema schema) {
    byFingerprint.put(SchemaNormalization.parsingFingerprint64(schema), schema);
    return this;
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** How many distinct writer schemas are known. */
  public int size() {
    return byFingerprint.size();
  }

  private static List<Schema> history() {
    try (InputStream index = WriterSchemas.class.getResourceAsStream(HISTORY + "index")) {
      if (index == null) {
        return List.of();
      }
      List<Schema> schemas = new ArrayList<>();
      var lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8)).lines();
      for (String file :
          lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
        try (InputStream avsc = WriterSchemas.class.getResourceAsStream(HISTORY + file)) {
          if (avsc == null) {
            throw new IllegalStateException(
                "history/index lists " + file + " but the file is missing");
          }
          schemas.add(new Schema.Parser().parse(avsc));
        }
      }
      return schemas;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the bundled schema history", e);
    }
  }
}
