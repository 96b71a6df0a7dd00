package io.worldstream.train.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStateDirectoryTest {

  @TempDir Path dir;

  /**
   * A job directory as Flink leaves it, with a completed checkpoint, last written at {@code at}.
   */
  private Path job(int n, long at) throws Exception {
    Path job = dir.resolve(String.format("%032x", n));
    Path checkpoint = Files.createDirectories(job.resolve("chk-" + n));
    Files.writeString(checkpoint.resolve("_metadata"), "checkpoint " + n);
    Files.setLastModifiedTime(checkpoint.resolve("_metadata"), FileTime.fromMillis(at));
    Files.setLastModifiedTime(job, FileTime.fromMillis(at));
    return job;
  }

  private Stream<String> left() throws Exception {
    return Files.list(dir).map(p -> p.getFileName().toString()).sorted();
  }

  @Test
  void shouldKeepTheResumedJobAndTheNewestOthersAndNothingElseOfFlinks() throws Exception {
    Path resumed = job(1, 1_000);
    for (int n = 2; n <= 6; n++) {
      job(n, 1_000L * n);
    }
    Files.createDirectories(dir.resolve("notes")); // not a job's: left alone
    Optional<Path> resumeFrom = Optional.of(resumed.resolve("chk-1"));

    int pruned = JobStateDirectory.pruneRuns(dir, resumeFrom, 2);

    assertThat(pruned).isEqualTo(3);
    assertThat(left())
        .containsExactly(
            String.format("%032x", 1),
            String.format("%032x", 5),
            String.format("%032x", 6),
            "notes");
    assertThat(JobStateDirectory.pruneRuns(dir, resumeFrom, 2)).isZero();
  }

  @Test
  void shouldResumeFromTheNewestCompletedCheckpoint() throws Exception {
    job(1, 3_000);
    job(2, 5_000);
    job(3, 4_000);
    Files.createDirectories(dir.resolve(String.format("%032x", 9)).resolve("chk-9")); // no metadata
    assertThat(JobStateDirectory.newestCheckpoint(dir))
        .contains(dir.resolve(String.format("%032x", 2)).resolve("chk-2"));
    assertThat(JobStateDirectory.newestCheckpoint(dir.resolve("absent"))).isEmpty();
  }

  @Test
  void shouldLeaveAMissingStateDirectoryAlone() {
    assertThat(JobStateDirectory.pruneRuns(dir.resolve("absent"), Optional.empty(), 2)).isZero();
  }
}
