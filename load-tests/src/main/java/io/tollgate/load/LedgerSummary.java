package io.tollgate.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phase (d): turns what run.sh collected into {@code d.json} for the report.
 *
 * <ul>
 *   <li>{@code --load}: the generator's phase JSON (closed loop on the single-debit endpoint, window in epoch ms)</li>
 *   <li>{@code --samples}: one line per sample, tab-separated: epoch ms, stage ({@code load} while the generator
 *       runs, {@code after} once it stopped), outbox entries not acknowledged by group relay, buckets whose lag Redis
 *       could not give (counted by XRANGE instead), sum of seq over the benchmark wallets, their ledger rows,
 *       tollgate_outbox_oldest_unrelayed_seconds (empty if the scrape failed)</li>
 *   <li>{@code --latency}: rows, p50, p99, max, mean (ms) of recorded_at − occurred_at over the window's
 *       debit.approved rows; {@code --latency-complete} and {@code --latency-missing} say whether rows were still
 *       missing when it was computed (then the figures are lower bounds)</li>
 *   <li>{@code --slices}: slice start (s into the window), rows, p50, p99, max (ms) per slice</li>
 *   <li>{@code --redis-wallets}: wallet id, seq, bal; {@code --ledger-wallets}: wallet id, rows, max seq, last
 *       balance_after_micros</li>
 * </ul>
 * Backlog series are judged "flat" when the value when the load stopped is ≤ 2 × the median of the window's first
 * minute + slack ({@code --slack} events for the outbox and ledger backlogs, {@code --slack-seconds} for the metric).
 */
final class LedgerSummary {
    private LedgerSummary() {
    }

    record Sample(long epochMs, String stage, long outbox, int lagUnknown, long seqSum, long ledgerRows, Double oldest) {
        long ledgerBacklog() {
            return seqSum - ledgerRows;
        }
    }

    static int run(Main.Args args) throws Exception {
        JsonObject load = new JsonObject(Files.readString(Path.of(args.require("load"))));
        long start = load.getLong("windowStartEpochMs");
        long end = load.getLong("windowEndEpochMs");
        double windowSeconds = (end - start) / 1000.0;
        long slack = Long.parseLong(args.get("slack", "1000"));
        double slackSeconds = args.decimal("slack-seconds", 1);
        double catchUpTarget = args.decimal("catchup-target", 30);
        double latencyTargetMs = args.decimal("latency-target-ms", 1000);
        long firstMinuteMs = Math.min(60_000, (end - start) / 3);

        List<Sample> samples = new ArrayList<>();
        for (String line : lines(args.require("samples"))) {
            String[] f = line.split("\t", -1);
            if (f.length < 7) {
                continue;
            }
            samples.add(new Sample(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), f[6].isBlank() ? null : Double.valueOf(f[6])));
        }
        List<Sample> window = samples.stream().filter(s -> s.stage().equals("load") && s.epochMs() >= start && s.epochMs() <= end).toList();
        List<Sample> after = samples.stream().filter(s -> s.stage().equals("after")).toList();
        Sample atStop = after.isEmpty() ? (window.isEmpty() ? null : window.get(window.size() - 1)) : after.get(0);

        JsonObject d = new JsonObject().mergeIn(load);
        d.put("phase", "d").put("firstMinuteSeconds", Measure.round(firstMinuteMs / 1000.0, 1)).put("slackEvents", slack).put("slackSeconds", slackSeconds)
                .put("samplesInWindow", window.size()).put("samplesAfter", after.size())
                .put("lagUnknownBucketSamples", window.stream().mapToInt(Sample::lagUnknown).filter(n -> n > 0).count());
        JsonObject backlog = new JsonObject();
        backlog.put("outbox", series(window, atStop, start, firstMinuteMs, slack, s -> (double) s.outbox()));
        backlog.put("ledger", series(window, atStop, start, firstMinuteMs, slack, s -> (double) s.ledgerBacklog()));
        backlog.put("oldestUnrelayedSeconds", series(window, atStop, start, firstMinuteMs, slackSeconds,
                s -> s.oldest() == null ? Double.NaN : s.oldest()));
        d.put("backlog", backlog);

        // Catch-up: the first sample after the load stopped with the ledger holding every event Redis has.
        Sample caught = after.stream().filter(s -> s.ledgerBacklog() <= 0).findFirst().orElse(null);
        Sample lastAfter = after.isEmpty() ? null : after.get(after.size() - 1);
        JsonObject catchUp = new JsonObject().put("targetSeconds", catchUpTarget);
        if (caught != null) {
            catchUp.put("caughtUp", true).put("seconds", Measure.round(Math.max(0, caught.epochMs() - end) / 1000.0, 1))
                    .put("ledgerBacklogAtCatchUp", caught.ledgerBacklog());
        } else {
            catchUp.put("caughtUp", false);
            if (lastAfter != null && atStop != null) {
                double waited = (lastAfter.epochMs() - end) / 1000.0;
                double span = (lastAfter.epochMs() - atStop.epochMs()) / 1000.0;
                double drained = atStop.ledgerBacklog() - lastAfter.ledgerBacklog();
                catchUp.put("waitedSeconds", Measure.round(waited, 1)).put("ledgerBacklogAtLastSample", lastAfter.ledgerBacklog());
                if (span > 0 && drained > 0) {
                    double rate = drained / span;
                    catchUp.put("drainPerSecond", Measure.round(rate, 1))
                            .put("estimatedSeconds", Measure.round(waited + lastAfter.ledgerBacklog() / rate, 0));
                }
            }
        }
        if (atStop != null && lastAfter != null && after.size() > 1) {
            double span = (lastAfter.epochMs() - atStop.epochMs()) / 1000.0;
            long written = lastAfter.ledgerRows() - atStop.ledgerRows();
            if (span > 0) {
                catchUp.put("ledgerRowsPerSecondAfterLoad", Measure.round(written / span, 1));
            }
        }
        if (window.size() >= 2) {
            Sample first = window.get(0);
            Sample last = window.get(window.size() - 1);
            double span = (last.epochMs() - first.epochMs()) / 1000.0;
            if (span > 0) {
                d.put("ledgerRowsPerSecondUnderLoad", Measure.round((last.ledgerRows() - first.ledgerRows()) / span, 1));
                d.put("eventsPerSecondUnderLoad", Measure.round((last.seqSum() - first.seqSum()) / span, 1));
            }
        }
        d.put("catchUp", catchUp);

        // debit → ledger-row latency, computed in SQL by run.sh
        List<String> lat = lines(args.require("latency"));
        JsonObject latency = new JsonObject().put("targetMs", latencyTargetMs)
                .put("complete", Boolean.parseBoolean(args.get("latency-complete", "false")))
                .put("missingRows", Long.parseLong(args.get("latency-missing", "0")));
        if (!lat.isEmpty()) {
            String[] f = lat.get(0).split("\t", -1);
            latency.put("rows", Long.parseLong(f[0])).put("p50", dbl(f[1])).put("p99", dbl(f[2])).put("max", dbl(f[3])).put("mean", dbl(f[4]));
        }
        JsonArray slices = new JsonArray();
        for (String line : lines(args.get("slices", ""))) {
            String[] f = line.split("\t", -1);
            if (f.length >= 5) {
                slices.add(new JsonObject().put("fromSecond", Long.parseLong(f[0])).put("rows", Long.parseLong(f[1]))
                        .put("p50", dbl(f[2])).put("p99", dbl(f[3])).put("max", dbl(f[4])));
            }
        }
        latency.put("slices", slices);
        d.put("ledgerLatencyMs", latency);

        d.put("correctness", correctness(args.require("redis-wallets"), args.require("ledger-wallets")));

        // Verdicts
        Double p99 = latency.getDouble("p99");
        boolean latencyMet = p99 != null && latency.getBoolean("complete") && p99 <= latencyTargetMs;
        boolean flat = backlog.getJsonObject("outbox").getBoolean("flat", false) && backlog.getJsonObject("ledger").getBoolean("flat", false)
                && backlog.getJsonObject("oldestUnrelayedSeconds").getBoolean("flat", false);
        boolean catchUpMet = catchUp.getBoolean("caughtUp") && catchUp.getDouble("seconds") <= catchUpTarget;
        d.put("verdicts", new JsonObject().put("latencyP99", latencyMet).put("backlogFlat", flat).put("catchUp", catchUpMet)
                .put("flatBacklogTarget", flat && catchUpMet)
                .put("correct", d.getJsonObject("correctness").getLong("mismatches") == 0));

        Path out = Path.of(args.require("out"));
        Files.writeString(out, d.encodePrettily());
        JsonObject ledger = backlog.getJsonObject("ledger");
        System.out.printf(Locale.ROOT, "d: %.1f debits/s; debit → ledger row ms p50 %s p99 %s max %s (%d rows%s); ledger backlog median %s max %s at stop %s; catch-up %s; mismatches %d%n",
                load.getDouble("debitsPerSecond"), latency.getValue("p50"), latency.getValue("p99"), latency.getValue("max"),
                latency.getLong("rows", 0L), latency.getBoolean("complete") ? "" : ", INCOMPLETE",
                ledger.getValue("median"), ledger.getValue("max"), ledger.getValue("end"),
                catchUp.getBoolean("caughtUp") ? catchUp.getDouble("seconds") + " s" : "not within " + catchUp.getValue("waitedSeconds") + " s",
                d.getJsonObject("correctness").getLong("mismatches"));
        return 0;
    }

    /** min / median / max in the window, the first minute's median, the value when the load stopped and the verdict. */
    private static JsonObject series(List<Sample> window, Sample atStop, long start, long firstMinuteMs, double slack,
            java.util.function.ToDoubleFunction<Sample> value) {
        List<Double> all = new ArrayList<>();
        List<Double> firstMinute = new ArrayList<>();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (Sample s : window) {
            double v = value.applyAsDouble(s);
            if (Double.isNaN(v)) {
                continue;
            }
            all.add(v);
            if (s.epochMs() < start + firstMinuteMs) {
                firstMinute.add(v);
            }
            double x = (s.epochMs() - start) / 1000.0;
            sx += x;
            sy += v;
            sxx += x * x;
            sxy += x * v;
            n++;
        }
        JsonObject j = new JsonObject().put("samples", all.size());
        if (all.isEmpty()) {
            return j.put("flat", false);
        }
        double fm = firstMinute.isEmpty() ? all.get(0) : median(firstMinute);
        double endValue = atStop == null ? Double.NaN : value.applyAsDouble(atStop);
        if (Double.isNaN(endValue)) {
            endValue = all.get(all.size() - 1);
        }
        double limit = 2 * fm + slack;
        j.put("min", Measure.round(all.stream().mapToDouble(Double::doubleValue).min().orElse(0), 3))
                .put("median", Measure.round(median(all), 3))
                .put("max", Measure.round(all.stream().mapToDouble(Double::doubleValue).max().orElse(0), 3))
                .put("firstMinuteMedian", Measure.round(fm, 3)).put("end", Measure.round(endValue, 3))
                .put("limit", Measure.round(limit, 3)).put("flat", endValue <= limit);
        double den = n * sxx - sx * sx;
        if (n >= 3 && den != 0) {
            j.put("slopePerSecond", Measure.round((n * sxy - sx * sy) / den, 3));
        }
        return j;
    }

    private static JsonObject correctness(String redisFile, String ledgerFile) throws Exception {
        Map<String, long[]> ledger = new HashMap<>();
        for (String line : lines(ledgerFile)) {
            String[] f = line.split("\t", -1);
            ledger.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        long wallets = 0;
        long match = 0;
        long lagging = 0;
        long wrong = 0;
        long eventsBehind = 0;
        JsonArray examples = new JsonArray();
        for (String line : lines(redisFile)) {
            String[] f = line.split("\t", -1);
            if (f.length < 3 || f[1].isBlank()) {
                wrong++;
                if (examples.size() < 5) {
                    examples.add(line + " (wallet not in Redis)");
                }
                continue;
            }
            wallets++;
            long seq = Long.parseLong(f[1]);
            long bal = Long.parseLong(f[2]);
            long[] l = ledger.getOrDefault(f[0], new long[] {0, 0, 0});
            if (l[0] == seq && l[1] == seq && l[2] == bal) {
                match++;
            } else if (l[1] < seq && l[0] == l[1]) {
                lagging++; // a gap-free prefix of the wallet's history, the rest not written yet
                eventsBehind += seq - l[1];
            } else {
                wrong++;
                if (examples.size() < 5) {
                    examples.add(String.format(Locale.ROOT, "%s: redis seq %d bal %d, ledger rows %d max seq %d last balance %d",
                            f[0], seq, bal, l[0], l[1], l[2]));
                }
            }
        }
        return new JsonObject().put("wallets", wallets).put("match", match).put("lagging", lagging).put("eventsBehind", eventsBehind)
                .put("wrong", wrong).put("mismatches", lagging + wrong).put("examples", examples);
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static Double dbl(String s) {
        return s == null || s.isBlank() ? null : Measure.round(Double.parseDouble(s), 3);
    }

    private static List<String> lines(String file) throws Exception {
        if (file == null || file.isEmpty() || !Files.exists(Path.of(file))) {
            return List.of();
        }
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }
}
