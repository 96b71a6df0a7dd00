package io.worldstream.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The API's error shape, {@code {"status", "error"}}, for the requests Jetty answers itself before
 * any route sees them (a path it refuses as ambiguous, a malformed request line): the same JSON a
 * route's error gets, whatever the client accepts.
 */
public final class JsonErrors extends ErrorHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The body of an error answer. */
  public static Map<String, Object> body(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    return body;
  }

  @Override
  protected boolean generateAcceptableResponse(
      Request request,
      Response response,
      Callback callback,
      String contentType,
      List<Charset> charsets,
      int code,
      String message,
      Throwable cause)
      throws IOException {
    return super.generateAcceptableResponse(
        request,
        response,
        callback,
        "application/json",
        List.of(StandardCharsets.UTF_8),
        code,
        message,
        cause);
  }

  /** Every method gets the body, not only GET, POST and HEAD. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void writeErrorJson(
      Request request, PrintWriter writer, int code, String message, Throwable cause) {
    writer.write(json(code, message));
  }

  private static String json(int code, String message) {
    String reason = HttpStatus.getMessage(code);
    String said =
        message == null || message.isBlank() || message.equals(reason)
            ? reason
            : reason + ": " + message;
    try {
      return JSON.writeValueAsString(body(code, said));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
