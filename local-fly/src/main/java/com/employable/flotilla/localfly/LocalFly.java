package com.employable.flotilla.localfly;

import com.employable.flotilla.localfly.api.FlyApi;
import com.employable.flotilla.localfly.capacity.Regions;
import com.employable.flotilla.localfly.faults.Faults;
import com.employable.flotilla.localfly.limits.RateLimits;
import com.employable.flotilla.localfly.proxy.FlyProxy;
import com.employable.flotilla.localfly.proxy.Forwarder;
import com.employable.flotilla.localfly.proxy.PrivateNetwork;
import com.employable.flotilla.localfly.proxy.ProxyFaults;
import com.employable.flotilla.localfly.runtime.ImageMap;
import com.employable.flotilla.localfly.runtime.ProcessRuntime;
import com.employable.flotilla.localfly.runtime.SimulatedRuntime;
import com.employable.flotilla.localfly.world.FlyWorld;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Fly: the Machines API and a Fly-Proxy emulation on loopback. {@code java -jar local-fly.jar} reads its
 * environment ({@link LocalFlyConfig#fromEnv}); tests embed it with {@link #start(LocalFlyConfig)}.
 */
public final class LocalFly implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalFly.class);

    static {
        // The JDK's HttpServer leaves Nagle's algorithm on unless told otherwise, and reads this once, when its first
        // server is created. It writes a response in several small writes, so each one after the first waited for
        // the client's delayed ACK: about 40 ms on every proxied request and API call (issue 18's measurement).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // A server that closes an idle keep-alive connection races the client reusing it: the client's request goes
        // out on a closed connection and fails ("header parser received no bytes"), and a POST is not retried, so
        // the gateway answered 502. The JDK server closed idle connections silently beyond 200 of them and after
        // 30 s idle, the JDK client's own keep-alive. Here clients always close first: JDK 30 s, Go 90 s, OkHttp
        // 5 min are all shorter than 6 min, and no count of idle connections is too many on loopback.
        System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(Integer.MAX_VALUE));
        System.setProperty("sun.net.httpserver.idleInterval", "360");
    }

    private final HttpServer api;
    private final HttpServer proxy;
    private final Forwarder forwarder;
    private final ExecutorService threads;
    private final ScheduledExecutorService sweeper;
    private final FlyWorld world;
    private final RateLimits limits;
    private final Faults faults;
    private final String token;

    private LocalFly(
            HttpServer api,
            HttpServer proxy,
            Forwarder forwarder,
            ExecutorService threads,
            ScheduledExecutorService sweeper,
            FlyWorld world,
            RateLimits limits,
            Faults faults,
            String token) {
        this.api = api;
        this.proxy = proxy;
        this.forwarder = forwarder;
        this.threads = threads;
        this.sweeper = sweeper;
        this.world = world;
        this.limits = limits;
        this.faults = faults;
        this.token = token;
    }

    public static void main(String[] args) throws IOException {
        LocalFlyConfig config = LocalFlyConfig.fromEnv(System.getenv());
        LocalFly fly = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(fly::close, "local-fly-shutdown"));
        log.info(
                "local-fly ({} runtime) API on {} proxy on {} (private network {}{}/<app>/<machine>/...);"
                        + " autostop idle window {} s, checked every {} s",
                config.runtime(),
                fly.apiUrl(),
                fly.proxyUrl(),
                fly.proxyUrl(),
                PrivateNetwork.PREFIX.substring(0, PrivateNetwork.PREFIX.length() - 1),
                config.autostopIdle().toSeconds(),
                config.autostopCheck().toSeconds());
    }

    public static LocalFly start(LocalFlyConfig config) throws IOException {
        Path dataDir = Files.createDirectories(config.dataDir());
        FlyWorld world = new FlyWorld(
                Clock.systemUTC(),
                "personal",
                config.capacity(),
                config.regions().isEmpty() ? Regions.fly() : Regions.only(config.regions()));
        if ("process".equals(config.runtime())) {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ImageMap images = new ImageMap(config.imageMap(), config.teamServerJar(), java);
            images.prepare();
            world.machines().runtime(new ProcessRuntime(images, dataDir));
        } else {
            world.machines().runtime(new SimulatedRuntime(config.simulated()));
        }
        var limits = new RateLimits(System::nanoTime);
        limits.enabled(config.rateLimits());
        var faults = new Faults(config.faultSeed());
        // wait calls and streamed proxy responses hold a thread each: a bounded pool would starve them
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-fly-http");
            thread.setDaemon(true);
            return thread;
        });
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", config.apiPort()), 512);
        Duration apiLatency =
                "simulated".equals(config.runtime()) ? config.simulated().api() : Duration.ZERO;
        api.createContext("/", new FlyApi(world, limits, faults, config.token(), apiLatency));
        api.setExecutor(threads);
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", config.proxyPort()), 512);
        var forwarder = new Forwarder();
        var proxyFaults = new ProxyFaults(faults);
        proxy.createContext("/", new FlyProxy(world.machines(), forwarder, proxyFaults));
        // Fly's private network to one machine: never counted as activity, never starts a machine
        proxy.createContext(PrivateNetwork.PREFIX, new PrivateNetwork(world.machines(), forwarder, proxyFaults));
        proxy.setExecutor(threads);
        api.start();
        proxy.start();
        world.checks().start();
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "local-fly-autostop");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.autostopCheck().toSeconds();
        sweeper.scheduleWithFixedDelay(
                () -> {
                    try {
                        world.machines().autostop().stopIdle(config.autostopIdle());
                    } catch (RuntimeException e) {
                        log.warn("Autostop sweep failed: {}", e.toString());
                    }
                },
                every,
                every,
                TimeUnit.SECONDS);
        return new LocalFly(api, proxy, forwarder, threads, sweeper, world, limits, faults, config.token());
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    public String token() {
        return token;
    }

    public FlyWorld world() {
        return world;
    }

    public RateLimits rateLimits() {
        return limits;
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        api.stop(0);
        proxy.stop(0);
        forwarder.close();
        world.shutdown();
        threads.shutdownNow();
    }
}
