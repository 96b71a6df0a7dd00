package io.worldstream.encode;

import io.worldstream.models.ModelInService;
import io.worldstream.models.vae.VaeEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the encoder file at a path to the {@link ModelInService} whenever the file changes, so a
 * newly trained VAE goes into service without a restart: replace {@code encoder.onnx} (write
 * elsewhere and move it into place, so a half-written file is never read).
 */
public final class VaeFileWatcher implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(VaeFileWatcher.class);

  private final Path file;
  private final ModelInService<VaeEncoder> vae;
  private FileTime seenModified;
  private long seenSize = -1;

  public VaeFileWatcher(Path file, ModelInService<VaeEncoder> vae) {
    this.file = file;
    this.vae = vae;
    BasicFileAttributes attributes = attributes();
    if (attributes != null) {
      seenModified = attributes.lastModifiedTime();
      seenSize = attributes.size();
    }
  }

  /** Checks the file once; meant to be scheduled every few seconds. */
  @Override
  public void run() {
    BasicFileAttributes attributes = attributes();
    if (attributes == null
        || (attributes.lastModifiedTime().equals(seenModified) && attributes.size() == seenSize)) {
      return;
    }
    seenModified = attributes.lastModifiedTime();
    seenSize = attributes.size();
    try {
      vae.offer(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      log.warn("Cannot read VAE encoder {}: {}; the one in service stays", file, e.getMessage());
    }
  }

  private BasicFileAttributes attributes() {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
  }
}
