package io.worldstream.serving.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.worldstream.serving.ServingSettings;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving HTTP server: Javalin with Jackson for bodies, the routes given, and one error shape
 * ({@link JsonErrors}) for every failure: a route's 4xx, an unexpected exception (500, logged), an
 * unknown endpoint (404) and what Jetty refuses before any route sees it.
 */
public final class ApiServer {

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private ApiServer() {}

  /**
   * Starts a server on {@code host}:{@code port} (0 for any free port; {@link Javalin#port()} says
   * which) with the routes each of {@code routes} registers.
   */
  public static Javalin start(String host, int port, List<Consumer<JavalinConfig>> routes) {
    return Javalin.create(
            config -> {
              config.jetty.host = host;
              config.jetty.port = port;
              config.startup.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson());
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors()));
              config.http.maxRequestSize = ServingSettings.MAX_REQUEST_BYTES;
              routes.forEach(register -> register.accept(config));
              config.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) ->
                      ctx.status(e.getStatus())
                          .json(JsonErrors.body(e.getStatus(), e.getMessage())));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error("{} {} failed", ctx.method(), ctx.path(), e);
                    ctx.status(500)
                        .json(
                            JsonErrors.body(
                                500,
                                "the server failed to answer "
                                    + ctx.method()
                                    + " "
                                    + ctx.path()
                                    + ": "
                                    + e));
                  });
              config.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null) {
                      ctx.json(
                          JsonErrors.body(
                              404, "no such endpoint: " + ctx.method() + " " + ctx.path()));
                    }
                  });
            })
        .start();
  }
}
