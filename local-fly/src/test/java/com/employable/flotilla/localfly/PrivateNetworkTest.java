package com.employable.flotilla.localfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /_6pn/<app>/<machine>/<path>}: Fly's private network straight to one machine. It reaches a started machine
 * as {@code <machine>.vm.<app>.internal} does, never wakes one, and is not traffic for autostop: probes over it do not
 * keep a machine awake, where the same probes through the proxy do.
 */
class PrivateNetworkTest {

    // wide enough that a probe delayed by a loaded machine still lands within the window
    private static final Duration IDLE = Duration.ofSeconds(5);

    @TempDir
    static Path dataDir;

    private static LocalFly fly;
    private static FlyClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = java + " -cp " + System.getProperty("java.class.path") + " " + EchoServerMain.class.getName();
        fly = LocalFly.start(LocalFlyConfig.simulated(dataDir)
                .withRuntime("process", Optional.empty(), "registry.fly.io/echo=" + command)
                .withAutostopIdle(IDLE)
                .withAutostopCheck(Duration.ofSeconds(1)));
        client = new FlyClient(fly.apiUrl(), fly.token());
    }

    @AfterAll
    static void stop() {
        fly.close();
    }

    private static String startedMachine(String app) {
        client.post("/v1/apps", "{\"app_name\":\"" + app + "\",\"org_slug\":\"personal\",\"network\":\"" + app + "\"}");
        String id = client.post(
                        "/v1/apps/" + app + "/machines",
                        "{\"region\":\"iad\",\"config\":{\"image\":\"registry.fly.io/echo:1\",\"services\":[{"
                                + "\"protocol\":\"tcp\",\"internal_port\":8080,\"autostart\":true,"
                                + "\"autostop\":\"stop\",\"min_machines_running\":0}]}}")
                .body()
                .path("id")
                .asString();
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=started&timeout=60")
                        .status())
                .isEqualTo(200);
        return id;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(fly.proxyUrl() + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the connection ended without any HTTP answer. */
    private static boolean unreachable(String path) throws Exception {
        try {
            get(path);
            return false;
        } catch (java.io.IOException noAnswer) {
            return true;
        }
    }

    private static String state(String app, String id) {
        return client.get("/v1/apps/" + app + "/machines/" + id)
                .body()
                .path("state")
                .asString();
    }

    @Test
    void aStartedMachineIsReachedDirectlyAndWithoutFlyProxysHeaders() throws Exception {
        String app = "sixpn-direct";
        String id = startedMachine(app);

        HttpResponse<String> direct = get("/_6pn/" + app + "/" + id + "/hello?x=1");

        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.body()).isEqualTo("machine=" + id + " app=" + app + " secret=null path=/hello");
        assertThat(direct.headers().firstValue("fly-machine-id"))
                .as("Fly Proxy is not in this path")
                .isEmpty();
    }

    @Test
    void aMachineThatIsNotStartedDoesNotResolveAndIsNotWoken() throws Exception {
        String app = "sixpn-asleep";
        String id = startedMachine(app);
        client.post("/v1/apps/" + app + "/machines/" + id + "/stop", null);
        assertThat(client.get("/v1/apps/" + app + "/machines/" + id + "/wait?state=stopped&timeout=30")
                        .status())
                .isEqualTo(200);

        assertThat(unreachable("/_6pn/" + app + "/" + id + "/hello"))
                .as("a stopped machine's name does not resolve: no connection, no HTTP answer")
                .isTrue();
        assertThat(state(app, id)).isEqualTo("stopped");

        assertThat(unreachable("/_6pn/" + app + "/0123456789abcd/hello")).isTrue();
        assertThat(unreachable("/_6pn/other-app/" + id + "/hello"))
                .as("a machine answers under its own app's name only")
                .isTrue();
        assertThat(get("/_6pn/" + app).statusCode()).isEqualTo(400);
    }

    @Test
    void probesOverThePrivateNetworkLetAMachineSleepWhileTheSameProbesThroughTheProxyKeepItAwake() {
        String probedDirect = "sixpn-probed";
        String direct = startedMachine(probedDirect);
        String probedViaProxy = "proxy-probed";
        String viaProxy = startedMachine(probedViaProxy);
        AtomicInteger answeredDirectly = new AtomicInteger();

        // a probe of each every second, as a health checker would, until the directly probed one is autostopped
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!unreachable("/_6pn/" + probedDirect + "/" + direct + "/healthz")) {
                        answeredDirectly.incrementAndGet();
                    }
                    assertThat(get("/" + probedViaProxy + "/healthz").statusCode())
                            .isEqualTo(200);
                    assertThat(state(probedViaProxy, viaProxy)).isEqualTo("started");
                    return state(probedDirect, direct).equals("stopped");
                });
        assertThat(answeredDirectly.get())
                .as("probes that reached it while it was awake")
                .isPositive();

        // probes go on for longer than a window: the proxied machine stays awake, the other asleep (never woken)
        await().during(IDLE.plusSeconds(1))
                .atMost(IDLE.plusSeconds(15))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> unreachable("/_6pn/" + probedDirect + "/" + direct + "/healthz")
                        && state(probedDirect, direct).equals("stopped")
                        && get("/" + probedViaProxy + "/healthz").statusCode() == 200
                        && state(probedViaProxy, viaProxy).equals("started"));
    }
}
