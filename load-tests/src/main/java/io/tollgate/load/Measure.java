package io.tollgate.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one phase measured inside its window (after the warm-up): latencies in microseconds (HdrHistogram, 3
 * significant digits), completed requests, approved debits, errors, and the CPU each watched process used.
 * Only touched from the generator's single event loop.
 */
final class Measure {
    private static final long MAX_TRACKABLE_MICROS = 300_000_000L;

    final String phase;
    final Histogram latency = new Histogram(MAX_TRACKABLE_MICROS, 3);
    /** Open loop only: completion − actual send, to compare with {@link #latency} (completion − intended send). */
    final Histogram service = new Histogram(MAX_TRACKABLE_MICROS, 3);
    /** Open loop only: actual − intended send, the part of {@link #latency} that is the generator's own lateness. */
    final Histogram sendLag = new Histogram(MAX_TRACKABLE_MICROS, 3);
    long ok;
    long errors;
    long debits;
    long itemsNotApproved;
    long unfinished;
    private final Map<String, Integer> errorSamples = new LinkedHashMap<>();
    private final JsonObject extra = new JsonObject();

    private final Map<String, Long> watched = new LinkedHashMap<>();
    /** Watched process trees: the process, its live children and the children it already reaped (PostgreSQL). */
    private final Map<String, Long> watchedTrees = new LinkedHashMap<>();
    private final int clockTicks;
    private long cpuStartOwnNanos;
    private long[] cpuStartMachine;
    private final Map<String, Long> cpuStartTicks = new LinkedHashMap<>();
    private long windowStartNanos;
    private long windowEndNanos;
    private long windowStartEpochMs;
    private long windowEndEpochMs;
    private JsonObject cpu = new JsonObject();

    Measure(String phase, Main.Args args) {
        this.phase = phase;
        this.clockTicks = args.integer("clk-tck", 100);
        for (String w : args.all("watch")) {
            int colon = w.indexOf(':');
            if (colon > 0 && !w.substring(colon + 1).isBlank()) {
                watched.put(w.substring(0, colon), Long.parseLong(w.substring(colon + 1)));
            }
        }
        for (String w : args.all("watch-tree")) {
            int colon = w.indexOf(':');
            if (colon > 0 && !w.substring(colon + 1).isBlank()) {
                watchedTrees.put(w.substring(0, colon), Long.parseLong(w.substring(colon + 1)));
            }
        }
        // Load and warm the CPU readers now: their first call (management classes, /proc parsing) took hundreds of
        // milliseconds on the generator's one event loop, and at the window's start that stalled every request the
        // open loop intended meanwhile, a stall charged to Tollgate (a 1 s burst of 60-180 ms latencies).
        for (int i = 0; i < 3; i++) {
            ownCpuNanos();
            machineTicks();
            watched.values().forEach(Measure::processTicks);
            watchedTrees.values().forEach(Measure::treeTicks);
        }
    }

    Measure put(String key, Object value) {
        extra.put(key, value);
        return this;
    }

    void error(String description) {
        errors++;
        if (errorSamples.size() < 5) {
            errorSamples.merge(description.length() > 300 ? description.substring(0, 300) : description, 1, Integer::sum);
        } else {
            errorSamples.computeIfPresent(description.length() > 300 ? description.substring(0, 300) : description, (k, v) -> v + 1);
        }
    }

    void recordLatencyNanos(long latencyNanos) {
        record(latency, latencyNanos);
    }

    void recordServiceNanos(long serviceNanos) {
        record(service, serviceNanos);
    }

    void recordSendLagNanos(long lagNanos) {
        record(sendLag, lagNanos);
    }

    /** Histograms hold microseconds, clamped to 0..MAX_TRACKABLE_MICROS. */
    private static void record(Histogram h, long nanos) {
        h.recordValue(Math.min(MAX_TRACKABLE_MICROS, Math.max(0, nanos / 1000)));
    }

    void windowStarted() {
        windowStartNanos = System.nanoTime();
        windowStartEpochMs = System.currentTimeMillis();
        cpuStartOwnNanos = ownCpuNanos();
        cpuStartMachine = machineTicks();
        watched.forEach((name, pid) -> cpuStartTicks.put(name, processTicks(pid)));
        watchedTrees.forEach((name, pid) -> cpuStartTicks.put(name, treeTicks(pid)));
    }

    void windowEnded() {
        windowEndNanos = System.nanoTime();
        windowEndEpochMs = System.currentTimeMillis();
        double seconds = (windowEndNanos - windowStartNanos) / 1e9;
        cpu = new JsonObject();
        cpu.put("generator", round((ownCpuNanos() - cpuStartOwnNanos) / 1e9 / seconds, 2));
        watched.forEach((name, pid) -> {
            long start = cpuStartTicks.getOrDefault(name, -1L);
            long end = processTicks(pid);
            if (start >= 0 && end >= 0) {
                cpu.put(name, round((end - start) / (double) clockTicks / seconds, 2));
            }
        });
        watchedTrees.forEach((name, pid) -> {
            long start = cpuStartTicks.getOrDefault(name, -1L);
            long end = treeTicks(pid);
            if (start >= 0 && end >= 0) {
                cpu.put(name, round((end - start) / (double) clockTicks / seconds, 2));
            }
        });
        long[] m = machineTicks();
        if (cpuStartMachine != null && m != null) {
            long busy = m[0] - cpuStartMachine[0];
            long all = m[1] - cpuStartMachine[1];
            long stolen = m[2] - cpuStartMachine[2];
            cpu.put("machineBusyPercent", all == 0 ? 0 : round(100.0 * busy / all, 1));
            // Everything else on the machine (another build, the kernel's own threads): busy cores minus ours.
            double ours = 0;
            for (String name : cpu.fieldNames()) {
                if (!name.equals("machineBusyPercent")) {
                    ours += cpu.getDouble(name);
                }
            }
            cpu.put("other", round(Math.max(0, (busy - stolen) / (double) clockTicks / seconds - ours), 2));
            // Cores the hypervisor gave to other guests while ours had work (/proc/stat steal): time in which a
            // runnable thread here, Redis' one thread included, waited for a physical core. Not ours to spend, but
            // it lands in the latency of whatever was running, so the report shows it beside the latencies.
            cpu.put("stolen", round(stolen / (double) clockTicks / seconds, 2));
        }
    }

    JsonObject toJson(double windowSeconds) {
        JsonObject j = new JsonObject().put("phase", phase).put("windowSeconds", round(windowSeconds, 2))
                .put("requests", ok + errors).put("ok", ok).put("errors", errors).put("unfinished", unfinished)
                .put("debits", debits).put("itemsNotApproved", itemsNotApproved)
                .put("requestsPerSecond", round(ok / windowSeconds, 1))
                .put("debitsPerSecond", round(debits / windowSeconds, 1))
                .put("latencyMs", percentiles(latency))
                .put("windowStartEpochMs", windowStartEpochMs).put("windowEndEpochMs", windowEndEpochMs);
        if (service.getTotalCount() > 0) {
            j.put("serviceTimeMs", percentiles(service));
        }
        if (sendLag.getTotalCount() > 0) {
            j.put("sendLagMs", percentiles(sendLag));
        }
        JsonArray samples = new JsonArray();
        errorSamples.forEach((k, v) -> samples.add(new JsonObject().put("error", k).put("count", v)));
        j.put("errorSamples", samples).put("cpuCores", cpu).mergeIn(extra);
        return j;
    }

    void write(Path file, double windowSeconds) throws IOException {
        JsonObject j = toJson(windowSeconds);
        Files.writeString(file, j.encodePrettily());
        JsonObject l = j.getJsonObject("latencyMs");
        System.out.printf("%s: %.1f debits/s (%.1f req/s), latency ms p50 %.3f p99 %.3f max %.3f, errors %d, cpu cores %s%n",
                phase, j.getDouble("debitsPerSecond"), j.getDouble("requestsPerSecond"), l.getDouble("p50"), l.getDouble("p99"),
                l.getDouble("max"), errors + unfinished, cpu.encode());
        errorSamples.forEach((k, v) -> System.out.printf("  error x%d: %s%n", v, k));
    }

    private static JsonObject percentiles(Histogram h) {
        JsonObject p = new JsonObject().put("count", h.getTotalCount());
        for (Map.Entry<String, Double> e : List.of(Map.entry("p50", 50.0), Map.entry("p90", 90.0), Map.entry("p99", 99.0),
                Map.entry("p999", 99.9)).stream().toList()) {
            p.put(e.getKey(), round(h.getValueAtPercentile(e.getValue()) / 1000.0, 3));
        }
        p.put("max", round(h.getMaxValue() / 1000.0, 3)).put("mean", round(h.getMean() / 1000.0, 3));
        return p;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** utime + stime of a process in clock ticks, from /proc/PID/stat; -1 if unreadable (not Linux, gone). */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": f[0] = state (field 3), so utime (field 14) is f[11], stime (15) is f[12]
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU of a process tree in clock ticks: the process's own utime + stime, its reaped children's cutime + cstime,
     * and utime + stime of its live children (one level: PostgreSQL's postmaster and its backends); -1 if unreadable.
     */
    static long treeTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[1] = ppid (field 4); utime/stime f[11]/f[12]; cutime/cstime (fields 16, 17) f[13]/f[14]
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path dir : (Iterable<Path>) dirs::iterator) {
                    String name = dir.getFileName().toString();
                    if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                        continue;
                    }
                    try {
                        String cs = Files.readString(dir.resolve("stat"));
                        String[] c = cs.substring(cs.lastIndexOf(')') + 2).split(" ");
                        if (Long.parseLong(c[1]) == pid) {
                            ticks += Long.parseLong(c[11]) + Long.parseLong(c[12]);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the process ended while we looked: its time is now in the parent's cutime/cstime
                    }
                }
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, total, steal} ticks of all CPUs from /proc/stat (busy includes steal); null if unreadable. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user/nice)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            return new long[] {total - idle, total, steal};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
