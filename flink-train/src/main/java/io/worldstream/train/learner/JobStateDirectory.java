package io.worldstream.train.learner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.util.FileUtils;

/**
 * The learner's Flink state directory: every start of the job checkpoints into a directory of its
 * own, named by the Flink job id, holding {@code chk-N} directories. A start resumes from the
 * newest completed Flink checkpoint there and removes what older runs left beyond a few.
 */
final class JobStateDirectory {

  /** Directories of earlier runs of the job kept besides the one resumed from. */
  static final int RUNS_KEPT = 2;

  private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{32}");

  private JobStateDirectory() {}

  /** The newest completed Flink checkpoint under {@code dir} (a chk-N directory with metadata). */
  static Optional<Path> newestCheckpoint(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files =
        Files.find(dir, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
      return files
          .map(Path::getParent)
          .filter(p -> p.getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparingLong(p -> modifiedAt(p.resolve("_metadata"))));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot look for Flink checkpoints in " + dir, e);
    }
  }

  /**
   * Deletes the directories earlier runs of the job left under {@code dir}, keeping the one {@code
   * resumeFrom} lies in and the {@code kept} newest others.
   *
   * @return how many were deleted
   */
  static int pruneRuns(Path dir, Optional<Path> resumeFrom, int kept) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    Optional<Path> resumed = resumeFrom.map(p -> p.toAbsolutePath().normalize().getParent());
    try (Stream<Path> children = Files.list(dir)) {
      List<Path> older =
          children
              .map(p -> p.toAbsolutePath().normalize())
              .filter(Files::isDirectory)
              .filter(p -> JOB_ID.matcher(p.getFileName().toString()).matches())
              .filter(p -> resumed.map(r -> !r.equals(p)).orElse(true))
              .sorted(Comparator.comparingLong(JobStateDirectory::modifiedAt).reversed())
              .skip(kept)
              .toList();
      for (Path job : older) {
        FileUtils.deleteDirectory(job.toFile());
      }
      return older.size();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove earlier job directories from " + dir, e);
    }
  }

  private static long modifiedAt(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }
}
