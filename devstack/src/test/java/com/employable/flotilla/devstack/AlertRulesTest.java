package com.employable.flotilla.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code deploy/prometheus/alerts.yml} and {@code docs/runbook.md} stay in step with each other and with the code:
 * every alert links a runbook section that exists and names the alert, and every metric an alert reads is one the
 * code registers (found in the main sources of every module) or one a library registers (listed below, each with
 * where it comes from; all were seen on a running devstack's {@code /actuator/prometheus}).
 */
class AlertRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RULES = ROOT.resolve("deploy/prometheus/alerts.yml");
    private static final Path RUNBOOK = ROOT.resolve("docs/runbook.md");

    /** Prometheus names registered by libraries, not by a {@code flotilla.*} meter of ours. */
    private static final Map<String, String> LIBRARY_METRICS = Map.of(
            "kafka_consumer_fetch_manager_records_lag_max",
                    "Kafka client metrics, bound to every consumer by Spring Boot's KafkaMetricsAutoConfiguration",
            "resilience4j_circuitbreaker_state", "TaggedCircuitBreakerMetrics, bound in the provisioner's FlyTransport",
            "resilience4j_circuitbreaker_not_permitted_calls_total",
                    "TaggedCircuitBreakerMetrics, bound in the provisioner's FlyTransport",
            "up", "Prometheus itself, per scrape target");

    /** How Micrometer's Prometheus registry may name a meter: as is (gauges), counters, timers. */
    private static final List<String> SUFFIXES =
            List.of("", "_total", "_seconds_count", "_seconds_sum", "_seconds_max", "_seconds_bucket", "_seconds");

    private static final Pattern METER_NAME = Pattern.compile("\"(flotilla\\.[a-z0-9.-]+)\"");
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset");

    private static JsonNode rules;
    private static String runbook;

    @BeforeAll
    static void read() throws IOException {
        rules = YAMLMapper.builder().build().readTree(Files.readString(RULES));
        runbook = Files.readString(RUNBOOK);
    }

    @Test
    void everyAlertLinksARunbookSectionThatExistsAndNamesIt() {
        Set<String> anchors = anchors(runbook);
        List<String> names = new ArrayList<>();
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asString();
            names.add(name);
            String url = alert.path("annotations").path("runbook_url").asString("");
            assertThat(url).as(name + " runbook_url").startsWith("docs/runbook.md#");
            assertThat(anchors).as(name + ": section " + url).contains(url.substring(url.indexOf('#') + 1));
            assertThat(runbook).as("the runbook names " + name).contains("`" + name + "`");
            assertThat(alert.path("labels").path("severity").asString())
                    .as(name)
                    .isIn("warning", "critical");
            assertThat(alert.path("annotations").path("summary").asString(""))
                    .as(name)
                    .isNotBlank();
            assertThat(alert.path("expr").asString("")).as(name).isNotBlank();
        }
        assertThat(names).isNotEmpty().doesNotHaveDuplicates();
    }

    @Test
    void everyMetricAnAlertReadsIsOneTheCodeOrALibraryRegisters() throws IOException {
        Set<String> registered = registeredPrometheusNames();
        assertThat(registered)
                .as("the scan finds the meters the code registers")
                .contains("flotilla_kafka_listener_retries_total", "flotilla_fly_calls_seconds_count");
        for (JsonNode alert : alerts()) {
            for (String metric : metricsOf(alert.path("expr").asString())) {
                assertThat(registered.contains(metric) || LIBRARY_METRICS.containsKey(metric))
                        .as(alert.path("alert").asString() + " reads " + metric + ", which no module registers (known: "
                                + new TreeSet<>(registered) + ")")
                        .isTrue();
            }
        }
    }

    @Test
    void theLibraryMetricsAreBoundWhereThisTestSaysTheyAre() throws IOException {
        assertThat(Files.readString(ROOT.resolve(
                        "provisioner-service/src/main/java/com/employable/flotilla/provisioner/fly/FlyTransport.java")))
                .contains("TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters)");
    }

    @Test
    void metricsAreFoundInAnExpressionAndLabelsFunctionsAndRangesAreNot() {
        assertThat(metricsOf("sum by (job, topic) (rate(foo_total{topic=~\"a.b|c\", x=\"y z\"}[5m])) > 0"
                        + " or max by (job) (bar_seconds_max) > 1.5 and on() up == 0"))
                .containsExactlyInAnyOrder("foo_total", "bar_seconds_max", "up");
        assertThat(anchors("# Top\n## A Fly circuit breaker open\n## Dead letters, growing (fast)!\n"))
                .contains("a-fly-circuit-breaker-open", "dead-letters-growing-fast");
    }

    private static List<JsonNode> alerts() {
        List<JsonNode> alerts = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(alerts::add));
        return alerts;
    }

    /** The metric names in a PromQL expression: strings, label matchers, ranges and grouping labels removed. */
    static Set<String> metricsOf(String expr) {
        String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> metrics = new HashSet<>();
        Matcher token = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (token.find()) {
            String rest = bare.substring(token.end()).stripLeading();
            boolean function = rest.startsWith("(");
            if (!function && !PROMQL_WORDS.contains(token.group())) {
                metrics.add(token.group());
            }
        }
        return metrics;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** Every {@code flotilla.*} meter name in the main sources of every module, as Prometheus may show it. */
    private static Set<String> registeredPrometheusNames() throws IOException {
        Set<String> names = new HashSet<>();
        List<Path> sources;
        try (Stream<Path> modules = Files.list(ROOT)) {
            sources = modules.map(module -> module.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList();
        }
        for (Path source : sources) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String java = Files.readString(file);
                    if (!java.contains("io.micrometer")) {
                        continue;
                    }
                    Matcher meter = METER_NAME.matcher(java);
                    while (meter.find()) {
                        addPrometheusNames(names, meter.group(1));
                    }
                }
            }
        }
        return names;
    }

    private static void addPrometheusNames(Set<String> names, String meter) {
        String base = meter.replace('.', '_').replace('-', '_');
        SUFFIXES.forEach(suffix -> names.add(base + suffix));
    }
}
