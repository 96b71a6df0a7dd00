package io.worldstream.serving.dream;

/** Why a dream or an episode cannot run, in the terms of the request. */
public final class Refused extends RuntimeException {

  /** What kind of refusal: the HTTP layer maps these to 404, 409 and 429. */
  public enum Kind {
    NOT_FOUND,
    CONFLICT,
    BUSY
  }

  private final Kind kind;

  Refused(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
