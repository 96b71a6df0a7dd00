package io.worldstream.serving.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.worldstream.broker.KafkaTestCluster;
import io.worldstream.records.ControllerUpdate;
import io.worldstream.records.EvaluationReport;
import io.worldstream.schemas.KafkaSettings;
import io.worldstream.schemas.Topics;
import io.worldstream.serving.Serving;
import io.worldstream.serving.ServingSettings;
import io.worldstream.serving.TestRecords;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through chromedriver) against a
 * running server fed by test records: charts render, live updates arrive, the dream animates.
 * Leaves a screenshot in {@code serving/target/dashboard.png}.
 */
class DashboardBrowserIntegrationTest {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final String VAE = TestRecords.DEFAULT_VAE;
  private static final Instant T0 = Instant.now().minusSeconds(600);

  @TempDir Path dataDir;
  private KafkaTestCluster.Embedded cluster;
  private KafkaProducer<String, byte[]> producer;
  private Serving serving;
  private ChromeDriver browser;
  private byte[] model;

  @BeforeEach
  void start() throws Exception {
    boolean installed = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    String needs = "needs Debian's chromium and chromium-driver packages (.ci/run installs them)";
    if (System.getenv("CI") != null) {
      assertThat(installed).as("under CI the browser test runs: " + needs).isTrue();
    }
    assumeTrue(installed, needs);
    cluster = KafkaTestCluster.embedded(dataDir);
    KafkaSettings.at(cluster.bootstrapServers()).createMissingTopics();
    producer = TestRecords.producer(cluster.bootstrapServers());
    model = TestRecords.modelWithoutEnds(9);
    TestRecords.episodeStarts(producer, VAE, 4, 4);
    for (int v = 1; v <= 3; v++) {
      publishCheckpoint(v);
    }
    for (int g = 0; g < 12; g++) {
      EvaluationReport report =
          EvaluationReport.newBuilder()
              .setLineage("vae-test")
              .setCheckpointVersion(g < 6 ? 2 : 3)
              .setVaeVersion(VAE)
              .setGeneration(g < 6 ? g : g - 6)
              .setPopulationSize(64)
              .setRolloutsPerCandidate(16)
              .setTemperature(1.15)
              .setBestReturn(-20 + 4 * g)
              .setMeanReturn(-40 + 3 * g)
              .setWorstReturn(-60)
              .setStdReturn(5)
              .setHorizon(1000)
              .setSigma(0.1)
              .setControllerVersion(g + 1)
              .setControllerDreamReturn(-20 + 4 * g)
              .setRealReturn(g % 4 == 3 ? -60.0 + 2 * g : null)
              .setRealEpisodes(g % 4 == 3 ? 4 : 0)
              .setRealReturnSd(g % 4 == 3 ? 12.5 : null)
              .setDreamSteps(1_024_000)
              .setWallMillis(11_000)
              .setCreatedTime(T0.plusSeconds(200 + 10 * g))
              .build();
      TestRecords.send(producer, Topics.EVALUATIONS, "vae-test", report);
    }
    ControllerUpdate controller =
        ControllerUpdate.newBuilder()
            .setLineage("vae-test")
            .setVersion(12)
            .setCheckpointVersion(3)
            .setVaeVersion(VAE)
            .setInputSize(288)
            .setOutputSize(3)
            .setWeights(new ArrayList<>(Collections.nCopies(3 * 288, 0.02f)))
            .setBias(List.of(0.3f, 1f, -2f))
            .setDreamReturn(24)
            .setGeneration(5)
            .setCreatedTime(T0.plusSeconds(320))
            .build();
    TestRecords.send(producer, Topics.CONTROLLERS, "vae-test", controller);
    serving =
        new Serving(
            KafkaSettings.at(cluster.bootstrapServers()),
            new ServingSettings("127.0.0.1", 0, 2, 2, 2, Duration.ofMillis(500), Optional.empty()),
            line -> {});
    serving.start();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1300,1250");
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build(), options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (serving != null) {
      serving.stop(Duration.ofSeconds(5));
    }
    if (producer != null) {
      producer.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void showsTheLoopLiveWithChartsAndTheLatestDream() throws Exception {
    browser.get(serving.url() + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(b -> text("version").equals("v3"));
    assertThat(browser.findElements(By.cssSelector(".uplot canvas"))).hasSize(3);
    assertThat(browser.findElement(By.id("status")).getText()).contains("vae-test v3");
    assertThat(text("returns")).isEqualTo("24.0 / -38.0 ± 12.5 (v12, 4 tracks)");

    // Live: a new checkpoint reaches the open page without a reload.
    int before = snapshots();
    publishCheckpoint(4);
    wait.until(b -> text("version").equals("v4"));
    assertThat(snapshots()).isGreaterThan(before);
    assertThat(text("staleness")).isEqualTo("1 version");

    // The dream: an animated GIF decoded from the dream of the evaluated checkpoint.
    wait.until(
        b ->
            (Long)
                    ((JavascriptExecutor) b)
                        .executeScript("return document.getElementById('dream').naturalWidth")
                > 0);
    assertThat(browser.findElement(By.id("dream")).getAttribute("src"))
        .startsWith("data:image/gif;base64,");
    assertThat(text("dream-note")).contains("best controller v12");
    wait.until(
        b ->
            (Long)
                    ((JavascriptExecutor) b)
                        .executeScript("return document.getElementById('episode').naturalWidth")
                > 0);
    assertThat(text("episode-note")).contains("real CarRacing, track seed 1").contains("tiles");
    assertThat(browser.findElement(By.id("episode-track")).getAttribute("src"))
        .startsWith("data:image/png;base64,");

    // A reload finds both pictures again: the server drew them once for every page.
    browser.navigate().refresh();
    wait.until(b -> pictured(b, "dream") && pictured(b, "episode"));
    assertThat(text("dream-note")).contains("best controller v12");

    Path screenshot = Path.of("target", "dashboard.png");
    Files.createDirectories(screenshot.getParent());
    Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  private static boolean pictured(org.openqa.selenium.WebDriver browser, String id) {
    Object width =
        ((JavascriptExecutor) browser)
            .executeScript("return document.getElementById('" + id + "').naturalWidth");
    return ((Long) width) > 0;
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private int snapshots() {
    Object value =
        ((JavascriptExecutor) browser)
            .executeScript("return document.body.dataset.snapshots || '0'");
    return Integer.parseInt(value.toString());
  }

  private void publishCheckpoint(long version) throws Exception {
    TestRecords.send(
        producer,
        Topics.CHECKPOINTS,
        Topics.checkpointKey("vae-test", version),
        TestRecords.checkpoint("vae-test", version, VAE, model, false)
            .setStepsTrained(10_000 * version)
            .setTrainLoss(2.0 / version)
            .setHeldOutLoss(2.2 / version)
            .setCreatedTime(version < 4 ? T0.plusSeconds(100 * version) : Instant.now())
            .build());
  }
}
