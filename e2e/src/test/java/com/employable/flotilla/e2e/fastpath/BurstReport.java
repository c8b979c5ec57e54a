package com.employable.flotilla.e2e.fastpath;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tables of one {@link BurstRun.Result}: the summary row, ready teams over time, latency by team index. */
final class BurstReport {

    private BurstReport() {}

    static String summaryHeader() {
        return "| configuration | teams | ready | from pool | pool | prefill s | publish ms | sustained teams/s (10–90 %) "
                + "| overall teams/s | p50 ms | p90 ms | p99 ms | max ms | Fly 429s (burst) | Fly calls (burst) "
                + "| load before → after |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    }

    static String summaryRow(BurstRun.Result r) {
        List<Long> done = sortedDone(r);
        long pooled = r.fromPool().stream().filter(b -> b).count();
        long limited = r.burst429().values().stream().mapToLong(Long::longValue).sum();
        return "| " + r.name() + " | " + r.latencies().size() + " | " + done.size() + " | " + pooled + " | "
                + r.poolSize() + " " + r.targets() + " | " + r.prefillMillis() / 1000 + " | " + r.publishMillis()
                + " | " + fmt(sustained(r)) + " | " + fmt(overall(r)) + " | " + pct(done, 50) + " | " + pct(done, 90)
                + " | " + pct(done, 99) + " | " + (done.isEmpty() ? "-" : done.getLast()) + " | " + limited
                + (r.burst429().isEmpty() ? "" : " " + r.burst429()) + " | " + r.burstAllowed() + " | "
                + r.loadBefore().split(" ")[0] + " → " + r.loadAfter().split(" ")[0] + " |\n";
    }

    /** Ready teams per time bucket since the first publish (cumulative too): the rate the burst sustained. */
    static String timeline(BurstRun.Result r, long bucketMillis) {
        List<Long> ready = r.readyAt().stream().filter(at -> at >= 0).sorted().toList();
        var table = new StringBuilder("| " + r.name() + ": seconds since the first publish | ready in bucket "
                + "| teams/s | ready so far |\n|---|---|---|---|\n");
        if (ready.isEmpty()) {
            return table.toString();
        }
        int total = 0;
        for (long start = 0; start <= ready.getLast(); start += bucketMillis) {
            long from = start;
            int n = (int) ready.stream()
                    .filter(at -> at >= from && at < from + bucketMillis)
                    .count();
            total += n;
            table.append("| ")
                    .append(fmt(start / 1000.0))
                    .append("–")
                    .append(fmt((start + bucketMillis) / 1000.0))
                    .append(" | ")
                    .append(n)
                    .append(" | ")
                    .append(fmt(n * 1000.0 / bucketMillis))
                    .append(" | ")
                    .append(total)
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Latency by team index (publish order), in groups: how the curve bends when the pool runs dry. */
    static String byIndex(BurstRun.Result r, int group) {
        var table = new StringBuilder("| " + r.name() + ": teams (publish order) | from pool | cold | p50 ms | p90 ms "
                + "| max ms |\n|---|---|---|---|---|---|\n");
        for (int from = 0; from < r.latencies().size(); from += group) {
            int to = Math.min(r.latencies().size(), from + group);
            var done = new ArrayList<Long>();
            int pooled = 0;
            for (int i = from; i < to; i++) {
                if (r.latencies().get(i) >= 0) {
                    done.add(r.latencies().get(i));
                    pooled += r.fromPool().get(i) ? 1 : 0;
                }
            }
            done.sort(null);
            table.append("| ")
                    .append(from)
                    .append("–")
                    .append(to - 1)
                    .append(" | ")
                    .append(pooled)
                    .append(" | ")
                    .append(done.size() - pooled)
                    .append(" | ")
                    .append(pct(done, 50))
                    .append(" | ")
                    .append(pct(done, 90))
                    .append(" | ")
                    .append(done.isEmpty() ? "-" : done.getLast())
                    .append(" |\n");
        }
        return table.toString();
    }

    /** Teams per second between the 10th and the 90th percentile of ready times: the burst's steady rate. */
    static double sustained(BurstRun.Result r) {
        List<Long> ready = r.readyAt().stream().filter(at -> at >= 0).sorted().toList();
        if (ready.size() < 10) {
            return 0;
        }
        int lo = ready.size() / 10;
        int hi = ready.size() * 9 / 10;
        long span = ready.get(hi) - ready.get(lo);
        return span <= 0 ? 0 : (hi - lo) * 1000.0 / span;
    }

    /** Teams ready over the time from the first publish to the last team ready. */
    static double overall(BurstRun.Result r) {
        List<Long> ready = r.readyAt().stream().filter(at -> at >= 0).sorted().toList();
        return ready.isEmpty() || ready.getLast() <= 0 ? 0 : ready.size() * 1000.0 / ready.getLast();
    }

    private static List<Long> sortedDone(BurstRun.Result r) {
        return r.latencies().stream().filter(l -> l >= 0).sorted().toList();
    }

    static String pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        return Long.toString(sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
