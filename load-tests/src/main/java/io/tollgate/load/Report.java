package io.tollgate.load;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results table (markdown) from: redis-benchmark's CSV for (a), the phase JSON files for (b) and (c), and
 * {@code --meta=Name=value} lines. Written to {@code --out} and stdout. Exit code 0 whether or not targets are met.
 */
final class Report {
    private Report() {
    }

    static int run(Main.Args args) throws Exception {
        // (a) redis-benchmark --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",
        // "p99_latency_ms","max_latency_ms". The test title holds the command (with commas): read the last 7 fields.
        List<String> csv = Files.readAllLines(Path.of(args.require("a-csv")));
        String row = csv.stream().filter(l -> !l.isBlank() && !l.startsWith("\"test\"")).reduce((x, y) -> y)
                .orElseThrow(() -> new IllegalStateException("no result row in " + args.get("a-csv", "")));
        String[] f = row.split(",");
        double aRps = num(f[f.length - 7]);
        double aP50 = num(f[f.length - 4]);
        double aP99 = num(f[f.length - 2]);
        long aRequests = Long.parseLong(args.get("a-requests", "0"));
        long aApproved = Long.parseLong(args.get("a-approved", "0"));
        long aErrors = Math.max(0, aRequests - aApproved);

        JsonObject peak = read(args.require("b-peak"));
        JsonObject half = read(args.require("b-half"));
        JsonObject batch = read(args.require("c"));

        double bRps = peak.getDouble("debitsPerSecond");
        double cRps = batch.getDouble("debitsPerSecond");
        double halfP99 = half.getJsonObject("latencyMs").getDouble("p99");
        double ba = bRps / aRps;
        double ca = cRps / aRps;
        long errors = aErrors + errorsOf(peak) + errorsOf(half) + errorsOf(batch);

        StringBuilder md = new StringBuilder();
        md.append("# Tollgate debit benchmark — ").append(args.get("timestamp", "")).append("\n\n");
        md.append("| Phase | Load | debits/s | p50 ms | p99 ms | errors | CPU cores: tollgate / redis / load generator / other |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        md.append(String.format(Locale.ROOT, "| (a) ceiling: redis-benchmark EVALSHA debit.lua, 1 debit per call | %s connections, closed loop, %d calls | %.0f | %.3f | %.3f | %d | – / %s / %s / %s |%n",
                args.get("concurrency", "?"), aRequests, aRps, aP50, aP99, aErrors, args.get("a-redis-cpu", "?"),
                args.get("a-bench-cpu", "?"), args.get("a-other-cpu", "?")));
        md.append(row("(b) peak: POST /v1/wallets/{id}/debits", "closed loop, " + peak.getInteger("concurrency") + " in flight", peak));
        md.append(row("(b) half: same endpoint, open loop, latency from intended send time",
                String.format(Locale.ROOT, "%.0f/s fixed rate (½ of peak), achieved %.0f/s, %d connections, max %d in flight in the window",
                        half.getDouble("targetRate"), half.getDouble("requestsPerSecond"), half.getInteger("connections"),
                        half.getInteger("maxInFlight", -1)), half));
        md.append(row("(c) batch: POST /v1/debit-batches, latency per batch",
                String.format(Locale.ROOT, "closed loop, %d batches of %d in flight, %d wallets", batch.getInteger("concurrency"),
                        batch.getInteger("batchSize"), batch.getInteger("wallets")), batch));
        md.append("\n| Check | Value | Target | Result |\n|---|---:|---|---|\n");
        md.append(check("b/a: peak single-debit HTTP ÷ Redis ceiling", String.format(Locale.ROOT, "%.2f", ba), "≥ 0.5", ba >= 0.5));
        md.append(check("p99 at ½ of Tollgate's peak (open loop)", String.format(Locale.ROOT, "%.3f ms", halfP99), "≤ 10 ms", halfP99 <= 10));
        md.append(check("c/a: batch debits/s ÷ Redis ceiling", String.format(Locale.ROOT, "%.2f", ca), "≥ 2", ca >= 2));
        md.append(check("errors and non-approved debits, all phases", String.valueOf(errors), "0", errors == 0));
        List<String> contended = new ArrayList<>();
        double aOther = parseOr(args.get("a-other-cpu", "0"));
        if (aOther > 0.25) {
            contended.add(String.format(Locale.ROOT, "(a) %.2f", aOther));
        }
        for (JsonObject j : List.of(peak, half, batch)) {
            double other = j.getJsonObject("cpuCores", new JsonObject()).getDouble("other", 0.0);
            if (other > 0.25) {
                contended.add(String.format(Locale.ROOT, "%s %.2f", j.getString("phase"), other));
            }
        }
        if (!contended.isEmpty()) {
            md.append("\n**WARNING: other processes were busy during the run** (cores used outside this benchmark: ")
                    .append(String.join(", ", contended)).append("). Those phases are understated; rerun on a quiet machine.\n");
        }
        md.append("\nMore percentiles (ms): ");
        md.append(more("b-peak", peak)).append("; ").append(more("b-half", half));
        JsonObject service = half.getJsonObject("serviceTimeMs");
        if (service != null) {
            md.append(String.format(Locale.ROOT, " (service time, from actual send: p50 %.3f p99 %.3f)", service.getDouble("p50"), service.getDouble("p99")));
        }
        md.append("; ").append(more("c", batch)).append(".\n");

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

    private static String row(String phase, String load, JsonObject j) {
        JsonObject l = j.getJsonObject("latencyMs");
        JsonObject cpu = j.getJsonObject("cpuCores", new JsonObject());
        return String.format(Locale.ROOT, "| %s | %s | %.0f | %.3f | %.3f | %d | %s / %s / %s / %s |%n", phase, load,
                j.getDouble("debitsPerSecond"), l.getDouble("p50"), l.getDouble("p99"), errorsOf(j),
                cpu.getValue("tollgate", "?"), cpu.getValue("redis", "?"), cpu.getValue("generator", "?"), cpu.getValue("other", "?"));
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

    private static JsonObject read(String file) throws Exception {
        return new JsonObject(Files.readString(Path.of(file)));
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
