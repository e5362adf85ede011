package io.tollgate.load;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results table (markdown) from: redis-benchmark's CSV for (a), the phase JSON files for (b), (c) and (d) (each
 * optional: only the phases that ran), and {@code --meta=Name=value} lines. Written to {@code --out} and stdout. Exit code 0 whether or not targets are met.
 */
final class Report {
    private Report() {
    }

    static int run(Main.Args args) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Tollgate debit benchmark — ").append(args.get("timestamp", "")).append("\n\n");
        md.append("| Phase | Load | debits/s | p50 ms | p99 ms | errors | CPU cores: tollgate / redis / postgres / load generator / other / stolen |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");

        // (a) redis-benchmark --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",
        // "p99_latency_ms","max_latency_ms". The test title holds the command (with commas): read the last 7 fields.
        Double aRps = null;
        long aErrors = 0;
        String aCsv = args.get("a-csv", null);
        if (aCsv != null) {
            List<String> csv = Files.readAllLines(Path.of(aCsv));
            String last = csv.stream().filter(l -> !l.isBlank() && !l.startsWith("\"test\"")).reduce((x, y) -> y)
                    .orElseThrow(() -> new IllegalStateException("no result row in " + aCsv));
            String[] f = last.split(",");
            aRps = num(f[f.length - 7]);
            double aP50 = num(f[f.length - 4]);
            double aP99 = num(f[f.length - 2]);
            long aRequests = Long.parseLong(args.get("a-requests", "0"));
            long aApproved = Long.parseLong(args.get("a-approved", "0"));
            aErrors = Math.max(0, aRequests - aApproved);
            md.append(String.format(Locale.ROOT, "| (a) ceiling: redis-benchmark EVALSHA debit.lua, 1 debit per call | %s connections, closed loop, %d calls | %.0f | %.3f | %.3f | %d | %s / %s / %s / %s / %s / %s |%n",
                    args.get("concurrency", "?"), aRequests, aRps, aP50, aP99, aErrors, args.get("a-tollgate-cpu", "–"),
                    args.get("a-redis-cpu", "?"), args.get("a-postgres-cpu", "–"), args.get("a-bench-cpu", "?"), args.get("a-other-cpu", "?"),
                    args.get("a-stolen-cpu", "?")));
        }
        JsonObject peak = readIf(args.get("b-peak", null));
        JsonObject half = readIf(args.get("b-half", null));
        JsonObject batch = readIf(args.get("c", null));
        JsonObject d = readIf(args.get("d", null));
        if (peak != null) {
            md.append(row("(b) peak: POST /v1/wallets/{id}/debits", "closed loop, " + peak.getInteger("concurrency") + " in flight", peak));
        }
        // FIXED_HALF_RATE (run.sh) sets the rate for A/B comparisons at equal load: then it is not the ½ of peak
        boolean halfOfPeak = half != null && (peak == null || Math.floor(peak.getDouble("debitsPerSecond") / 2) == half.getDouble("targetRate"));
        if (half != null) {
            md.append(row("(b) half: same endpoint, open loop, latency from intended send time",
                    String.format(Locale.ROOT, "%.0f/s fixed rate (" + (halfOfPeak ? "½ of peak" : "FIXED_HALF_RATE, not ½ of peak") + "), achieved %.0f/s, %d connections, max %d in flight in the window",
                            half.getDouble("targetRate"), half.getDouble("requestsPerSecond"), half.getInteger("connections"),
                            half.getInteger("maxInFlight", -1)), half));
        }
        if (batch != null) {
            md.append(row("(c) batch: POST /v1/debit-batches, latency per batch",
                    String.format(Locale.ROOT, "closed loop, %d batches of %d in flight, each over %d of %d wallets",
                            batch.getInteger("concurrency"), batch.getInteger("batchSize"),
                            batch.getInteger("batchWallets", batch.getInteger("wallets")), batch.getInteger("wallets")), batch));
        }
        if (d != null) {
            md.append(row("(d) pipeline: same endpoint as (b) peak, fresh Tollgate + Redis + Kafka + PostgreSQL; HTTP latency",
                    String.format(Locale.ROOT, "closed loop, %d in flight, %.0f s", d.getInteger("concurrency"), d.getDouble("windowSeconds")), d));
            md.append(dRows(d));
        }

        md.append("\n| Check | Value | Target | Result |\n|---|---:|---|---|\n");
        if (aRps != null && peak != null) {
            double ba = peak.getDouble("debitsPerSecond") / aRps;
            md.append(check("b/a: peak single-debit HTTP ÷ Redis ceiling", String.format(Locale.ROOT, "%.2f", ba), "≥ 0.5", ba >= 0.5));
        }
        if (half != null) {
            double halfP99 = half.getJsonObject("latencyMs").getDouble("p99");
            if (halfOfPeak) {
                md.append(check("p99 at ½ of Tollgate's peak (open loop)", String.format(Locale.ROOT, "%.3f ms", halfP99), "≤ 10 ms", halfP99 <= 10));
            } else {
                md.append(String.format(Locale.ROOT, "| p99 at FIXED_HALF_RATE (open loop) | %.3f ms | not the issue's ½ of peak | not tested |%n", halfP99));
            }
        }
        if (aRps != null && batch != null) {
            double ca = batch.getDouble("debitsPerSecond") / aRps;
            md.append(check("c/a: batch debits/s ÷ Redis ceiling", String.format(Locale.ROOT, "%.2f", ca), "≥ 2", ca >= 2));
        }
        if (d != null) {
            md.append(dChecks(d));
        }
        long errors = aErrors;
        List<JsonObject> phases = new ArrayList<>();
        for (JsonObject j : java.util.Arrays.asList(peak, half, batch, d)) {
            if (j != null) {
                phases.add(j);
                errors += errorsOf(j);
            }
        }
        md.append(check("errors and non-approved debits, all phases run", String.valueOf(errors), "0", errors == 0));
        List<String> contended = new ArrayList<>();
        double aOther = parseOr(args.get("a-other-cpu", "0"));
        if (aOther > 0.25) {
            contended.add(String.format(Locale.ROOT, "(a) %.2f", aOther));
        }
        for (JsonObject j : phases) {
            double other = j.getJsonObject("cpuCores", new JsonObject()).getDouble("other", 0.0);
            if (other > 0.25) {
                contended.add(String.format(Locale.ROOT, "%s %.2f", j.getString("phase"), other));
            }
        }
        if (!contended.isEmpty()) {
            md.append("\n**WARNING: other processes were busy during the run** (cores used outside this benchmark: ")
                    .append(String.join(", ", contended)).append("). Those phases are understated; rerun on a quiet machine.\n");
        }
        List<String> more = new ArrayList<>();
        if (peak != null) {
            more.add(more("b-peak", peak));
        }
        if (half != null) {
            String h = more("b-half", half);
            JsonObject service = half.getJsonObject("serviceTimeMs");
            if (service != null) {
                h += String.format(Locale.ROOT, " (service time, from actual send: p50 %.3f p99 %.3f)", service.getDouble("p50"), service.getDouble("p99"));
            }
            JsonObject lag = half.getJsonObject("sendLagMs");
            if (lag != null) {
                h += String.format(Locale.ROOT, " (generator's send lag, actual − intended send: p50 %.3f p99 %.3f max %.3f)",
                        lag.getDouble("p50"), lag.getDouble("p99"), lag.getDouble("max"));
            }
            more.add(h);
        }
        if (batch != null) {
            more.add(more("c", batch));
        }
        if (d != null) {
            more.add(more("d (HTTP)", d));
        }
        if (!more.isEmpty()) {
            md.append("\nMore percentiles (ms): ").append(String.join("; ", more)).append(".\n");
        }
        if (d != null) {
            md.append(dDetails(d));
        }

        List<String> meta = new ArrayList<>(args.all("meta"));
        if (!meta.isEmpty()) {
            md.append("\n## Settings\n\n");
            for (String line : meta) {
                int eq = line.indexOf('=');
                md.append("- **").append(eq < 0 ? line : line.substring(0, eq)).append("**: ")
                        .append(eq < 0 ? "" : line.substring(eq + 1)).append('\n');
            }
        }
        String out = md.toString();
        System.out.print(out);
        String file = args.get("out", null);
        if (file != null) {
            Files.writeString(Path.of(file), out);
        }
        return 0;
    }

    /** (d)'s own rows under the main table: debit → ledger-row latency, the three backlogs and the catch-up. */
    private static String dRows(JsonObject d) {
        JsonObject lat = d.getJsonObject("ledgerLatencyMs");
        JsonObject b = d.getJsonObject("backlog");
        JsonObject c = d.getJsonObject("catchUp");
        String bound = lat.getBoolean("complete", false) ? "" : "≥ ";
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "| (d) debit → ledger row: recorded_at − occurred_at of the debit.approved rows that occurred in the window | %s rows, max %s%s ms%s | – | %s%s | %s%s | – | – |%n",
                lat.getValue("rows", "?"), bound, fmt(lat.getValue("max")), lat.getBoolean("complete", false) ? "" : String.format(Locale.ROOT,
                        "; **ledger incomplete**: ~%d rows of the window not written yet, figures are lower bounds", lat.getLong("missingRows", 0L)),
                bound, fmt(lat.getValue("p50")), bound, fmt(lat.getValue("p99"))));
        s.append(backlogRow("(d) backlog (i): Redis outbox, entries not acknowledged by group relay (lag + pending, 64 streams)", "entries", b.getJsonObject("outbox")));
        s.append(backlogRow("(d) backlog (ii): ledger, Σ seq of the wallets in Redis − their ledger rows", "events", b.getJsonObject("ledger")));
        s.append(backlogRow("(d) backlog (iii): tollgate_outbox_oldest_unrelayed_seconds", "s", b.getJsonObject("oldestUnrelayedSeconds")));
        String catchUp = c.getBoolean("caughtUp", false)
                ? String.format(Locale.ROOT, "ledger backlog 0 after %.1f s", c.getDouble("seconds"))
                : String.format(Locale.ROOT, "**not caught up** after %s s: %s events still behind%s", c.getValue("waitedSeconds", "?"),
                        c.getValue("ledgerBacklogAtLastSample", "?"), c.getValue("estimatedSeconds") == null ? ""
                                : String.format(Locale.ROOT, " (draining at %s/s: ~%s s in all)", c.getValue("drainPerSecond"), c.getValue("estimatedSeconds")));
        s.append(String.format(Locale.ROOT, "| (d) catch-up after the load stopped | ledger written at %s rows/s under load, %s rows/s after; %s | – | – | – | – | – |%n",
                d.getValue("ledgerRowsPerSecondUnderLoad", "?"), c.getValue("ledgerRowsPerSecondAfterLoad", "?"), catchUp));
        return s.toString();
    }

    private static String backlogRow(String what, String unit, JsonObject j) {
        if (j == null || j.getInteger("samples", 0) == 0) {
            return "| " + what + " | no samples | – | – | – | – | – |\n";
        }
        return String.format(Locale.ROOT, "| %s | %s: min %s / median %s / max %s; first-minute median %s; at stop %s (flat if ≤ %s)%s | – | – | – | – | – |%n",
                what, unit, fmt(j.getValue("min")), fmt(j.getValue("median")), fmt(j.getValue("max")), fmt(j.getValue("firstMinuteMedian")),
                fmt(j.getValue("end")), fmt(j.getValue("limit")),
                j.getValue("slopePerSecond") == null ? "" : "; trend " + fmt(j.getValue("slopePerSecond")) + " " + unit + "/s");
    }

    private static String dChecks(JsonObject d) {
        JsonObject lat = d.getJsonObject("ledgerLatencyMs");
        JsonObject v = d.getJsonObject("verdicts");
        JsonObject b = d.getJsonObject("backlog");
        JsonObject c = d.getJsonObject("catchUp");
        JsonObject k = d.getJsonObject("correctness");
        StringBuilder s = new StringBuilder();
        s.append(check("(d) debit → ledger-row p99 at the sustained peak", (lat.getBoolean("complete", false) ? "" : "≥ ")
                + fmt(lat.getValue("p99")) + " ms" + (lat.getBoolean("complete", false) ? "" : " (ledger incomplete)"), "≤ 1000 ms",
                v.getBoolean("latencyP99", false)));
        List<String> notFlat = new ArrayList<>();
        for (String name : List.of("outbox", "ledger", "oldestUnrelayedSeconds")) {
            JsonObject j = b.getJsonObject(name);
            if (!j.getBoolean("flat", false)) {
                notFlat.add(name + " " + fmt(j.getValue("end")) + " > " + fmt(j.getValue("limit")));
            }
        }
        s.append(check("(d) backlog flat: at stop ≤ 2 × first-minute median + slack, for (i), (ii) and (iii)",
                notFlat.isEmpty() ? "all three flat" : String.join("; ", notFlat),
                String.format(Locale.ROOT, "flat (slack %s events, %s s)", d.getValue("slackEvents"), d.getValue("slackSeconds")), v.getBoolean("backlogFlat", false)));
        s.append(check("(d) ledger catches up after the load stops", c.getBoolean("caughtUp", false)
                ? String.format(Locale.ROOT, "%.1f s", c.getDouble("seconds"))
                : "> " + c.getValue("waitedSeconds", "?") + " s", "≤ 30 s", v.getBoolean("catchUp", false)));
        s.append(check("(d) flat backlog (the issue's target: flat and caught up ≤ 30 s)", v.getBoolean("flatBacklogTarget", false) ? "yes" : "no",
                "flat", v.getBoolean("flatBacklogTarget", false)));
        s.append(check("(d) wallets where Redis bal/seq ≠ ledger last balance_after/row count", String.format(Locale.ROOT,
                "%d of %d (%d still lagging: %d events unwritten; %d wrong)", k.getLong("mismatches"), k.getLong("wallets"),
                k.getLong("lagging"), k.getLong("eventsBehind"), k.getLong("wrong")), "0", v.getBoolean("correct", false)));
        return s.toString();
    }

    private static String dDetails(JsonObject d) {
        StringBuilder s = new StringBuilder("\n(d) debit → ledger row per slice of the window (s from its start: rows, p50 / p99 / max ms): ");
        List<String> parts = new ArrayList<>();
        for (Object o : d.getJsonObject("ledgerLatencyMs").getJsonArray("slices", new io.vertx.core.json.JsonArray())) {
            JsonObject j = (JsonObject) o;
            parts.add(String.format(Locale.ROOT, "%s s: %s, %s / %s / %s", j.getValue("fromSecond"), j.getValue("rows"), fmt(j.getValue("p50")),
                    fmt(j.getValue("p99")), fmt(j.getValue("max"))));
        }
        s.append(parts.isEmpty() ? "none" : String.join("; ", parts)).append(".");
        if (!d.getJsonObject("ledgerLatencyMs").getBoolean("complete", false)) {
            s.append(" The ledger had not written every event of the window when this was computed: rows missing from it would only "
                    + "raise these figures.");
        }
        s.append(String.format(Locale.ROOT, " Events appended in Redis under load: %s/s (debits plus their balance events).",
                d.getValue("eventsPerSecondUnderLoad", "?")));
        io.vertx.core.json.JsonArray ex = d.getJsonObject("correctness").getJsonArray("examples");
        if (ex != null && !ex.isEmpty()) {
            s.append(" Wrong wallets, first ").append(ex.size()).append(": ").append(ex.encode()).append('.');
        }
        return s.append('\n').toString();
    }

    private static String fmt(Object v) {
        if (v == null) {
            return "?";
        }
        if (v instanceof Number n) {
            double x = n.doubleValue();
            return x == Math.rint(x) && Math.abs(x) < 1e15 ? String.valueOf((long) x) : String.format(Locale.ROOT, "%.3f", x);
        }
        return v.toString();
    }

    private static String row(String phase, String load, JsonObject j) {
        JsonObject l = j.getJsonObject("latencyMs");
        JsonObject cpu = j.getJsonObject("cpuCores", new JsonObject());
        return String.format(Locale.ROOT, "| %s | %s | %.0f | %.3f | %.3f | %d | %s / %s / %s / %s / %s / %s |%n", phase, load,
                j.getDouble("debitsPerSecond"), l.getDouble("p50"), l.getDouble("p99"), errorsOf(j),
                cpu.getValue("tollgate", "?"), cpu.getValue("redis", "?"), cpu.getValue("postgres", "–"), cpu.getValue("generator", "?"),
                cpu.getValue("other", "?"), cpu.getValue("stolen", "?"));
    }

    private static String more(String name, JsonObject j) {
        JsonObject l = j.getJsonObject("latencyMs");
        return String.format(Locale.ROOT, "%s p90 %.3f p99.9 %.3f max %.3f", name, l.getDouble("p90"), l.getDouble("p999"), l.getDouble("max"));
    }

    private static String check(String what, String value, String target, boolean met) {
        return "| " + what + " | " + value + " | " + target + " | " + (met ? "met" : "**NOT met**") + " |\n";
    }

    private static long errorsOf(JsonObject j) {
        return j.getLong("errors", 0L) + j.getLong("unfinished", 0L) + j.getLong("itemsNotApproved", 0L);
    }

    private static JsonObject readIf(String file) throws Exception {
        return file == null || file.isEmpty() ? null : new JsonObject(Files.readString(Path.of(file)));
    }

    private static double parseOr(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double num(String quoted) {
        return Double.parseDouble(quoted.trim().replace("\"", ""));
    }
}
