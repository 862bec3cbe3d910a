package dev.herald.broker;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.NonRetryableException;
import dev.herald.runtime.fixtures.RedisProcess;
import dev.herald.runtime.micrometer.MicrometerMetrics;
import dev.herald.runtime.stream.RedisClients;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.redisson.api.RedissonClient;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console in a real browser (headless Chromium driven through chromedriver), with the demo's
 * traffic running: the services page lists order and payment; a dead letter the test causes shows
 * up on the dead-letters page, its Replay button removes it, and the handler then receives the
 * event; the catalogue shows who listens to order.created. Screenshots go to
 * {@code broker/target/console-screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or CHROMIUM_BINARY and
 * CHROMEDRIVER): skipped without them, unless HERALD_TEST_BROWSER=1 (as in .ci/run), where a
 * missing browser fails the test.
 */
class ConsoleBrowserTest {

    @TempDir
    Path dir;

    static File executable(String env, String fallback) {
        String p = System.getenv(env);
        return new File(p != null && !p.isBlank() ? p : fallback);
    }

    @Test
    void servicesDeadLetterReplayAndCatalogueInChromium() throws Exception {
        File browser = executable("CHROMIUM_BINARY", "/usr/bin/chromium");
        File driverExe = executable("CHROMEDRIVER", "/usr/bin/chromedriver");
        boolean required = "1".equals(System.getenv("HERALD_TEST_BROWSER"));
        if (!browser.canExecute() || !driverExe.canExecute()) {
            if (required) {
                throw new AssertionError("HERALD_TEST_BROWSER=1 but " + browser + " or " + driverExe + " is missing: apt-get install chromium chromium-driver");
            }
            Assumptions.abort("no " + browser + " / " + driverExe + ": apt-get install chromium chromium-driver (or set CHROMIUM_BINARY, CHROMEDRIVER) to run this test");
        }
        Path shots = Path.of("target", "console-screenshots");
        Files.createDirectories(shots);

        try (RedisProcess redis = RedisProcess.start(dir)) {
            RedissonClient client = RedisClients.create(redis.url());
            PrometheusMeterRegistry registry = BrokerHttp.newRegistry();
            MicrometerMetrics metrics = new MicrometerMetrics(registry);
            Broker broker = Broker.builder().redisson(client).concurrency(1).metrics(metrics).start();
            BrokerHttp http = BrokerHttp.start(broker, "127.0.0.1", 0, null, registry);
            Demo demo = Demo.start(client, broker, new PrintStream(java.io.OutputStream.nullOutputStream()), metrics);
            // a third service the test watches: it refuses one order the first time (a dead letter), then takes it
            UUID troubled = UUID.randomUUID();
            Set<UUID> refused = ConcurrentHashMap.newKeySet();
            Set<UUID> received = ConcurrentHashMap.newKeySet();
            Messenger product = Messenger.builder().redisson(client).service(ServiceName.PRODUCT).listensTo(EventType.ORDER_CREATED)
                    .heartbeat(Duration.ofMillis(500)).build();
            Messenger checkout = Messenger.builder().redisson(client).service(ServiceName.ORDER).enableWorkers(false).build();
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverExe).usingAnyFreePort().build();
            ChromeOptions options = new ChromeOptions().setBinary(browser)
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1440,900");
            WebDriver driver = null;
            try {
                product.worker().on(OrderCreated.class, (e, ctx) -> {
                    if (e.orderId().equals(troubled) && refused.add(troubled)) {
                        throw new NonRetryableException("the stock service refused it (test)");
                    }
                    received.add(e.orderId());
                    return null;
                }).start();
                product.register().join();
                String eventId = checkout.send(GeneratedSdkBusTest.order("EUR").toBuilder().orderId(troubled).build());
                await().atMost(Duration.ofSeconds(20)).until(() -> product.deadLetters().size() == 1);

                driver = new ChromeDriver(service, options);
                driver.manage().window().setSize(new Dimension(1440, 900));
                // the views re-render as they poll: an element found may be replaced before it is read
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

                // services: order and payment of the demo, with their figures
                driver.get(http.url() + "#services");
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("svc-order")));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("svc-payment")));
                wait.until(d -> !d.findElement(By.id("svc-payment")).getText().contains("none running"));
                assertThat(wait.<String>until(d -> d.findElement(By.id("svc-payment")).getText())).contains("order.created");
                assertThat(wait.<String>until(d -> d.findElement(By.id("svc-product")).getText())).contains("order.created");
                shot(driver, shots.resolve("services.png"));

                // dead letters: product's, the one the test caused
                driver.get(http.url() + "#dead-letters");
                wait.until(d -> d.findElements(By.cssSelector("#dl-service option[value='product']")).size() == 1);
                new Select(driver.findElement(By.id("dl-service"))).selectByValue("product");
                By card = By.cssSelector(".dead-letter[data-event-id='" + eventId + "']");
                wait.until(ExpectedConditions.presenceOfElementLocated(card));
                assertThat(wait.<String>until(d -> d.findElement(card).getText()))
                        .contains("non-retryable").contains("the stock service refused it (test)").contains(troubled.toString());
                shot(driver, shots.resolve("dead-letters.png"));
                wait.until(d -> {
                    d.findElement(card).findElement(By.cssSelector("button.replay")).click();
                    return true;
                });
                wait.until(d -> d.findElements(card).isEmpty());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).contains(troubled));
                assertThat(product.deadLetters().size()).isZero();

                // catalogue: order.created's fields, owner, and who listens now
                driver.get(http.url() + "#catalogue");
                By created = By.cssSelector(".event[data-event='order.created']");
                wait.until(ExpectedConditions.presenceOfElementLocated(created));
                String text = wait.<String>until(d -> {
                    String t = d.findElement(created).getText();
                    return t.contains("product (") ? t : null;
                });
                assertThat(text).contains("owner order").contains("payment (").contains("orderId").contains("total.currency");
                shot(driver, shots.resolve("catalogue.png"));
            } finally {
                if (driver != null) {
                    driver.quit();
                }
                demo.close();
                product.close();
                checkout.close();
                http.close();
                broker.close();
                client.shutdown();
            }
        }
    }

    static void shot(WebDriver driver, Path to) throws java.io.IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    }
}
