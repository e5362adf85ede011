package io.tollgate.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * POST /v1/debit-batches with the pipeline key, {@code --concurrency} batches in flight (closed loop). Batch n holds
 * debits n*size .. n*size+size-1 over {@code --batch-wallets} wallets (B, 0 = every seeded wallet): item j of batch n
 * goes to wallet (n*B + j mod B) mod W, with Idempotency key {@code <run id>-c-<k>}. B = 1 is an SMS campaign (one
 * tenant's wallet per batch: one script call); B = W spreads a batch over every bucket (one call per bucket).
 * Only approved items count as debits; declined or failed items and non-200 batches are errors.
 */
final class BatchDebit {
    private BatchDebit() {
    }

    static int run(Main.Args args) throws Exception {
        int concurrency = args.integer("concurrency", 4);
        int size = args.integer("batch-size", 1000);
        List<String> wallets = Files.readAllLines(Path.of(args.require("wallets-file"))).stream().map(String::trim)
                .filter(w -> !w.isEmpty()).toList();
        int perBatch = args.integer("batch-wallets", 0) <= 0 ? wallets.size() : Math.min(args.integer("batch-wallets", 0), wallets.size());
        String keyPrefix = args.require("run-id") + "-c-";
        String auth = "Authorization: Bearer " + args.require("pipeline-key") + "\r\n";
        Measure m = new Measure(args.get("phase", "c"), args);
        m.put("mode", "closed").put("concurrency", concurrency).put("batchSize", size).put("wallets", wallets.size()).put("batchWallets", perBatch);
        try (Http http = new Http(args.integer("port", 0), 1);
                RawHttp raw = new RawHttp(http.vertx, args.integer("port", 0), concurrency)) {
            Driver.Shot shot = n -> {
                StringBuilder b = new StringBuilder(size * 110 + 16).append("{\"items\":[");
                for (int j = 0; j < size; j++) {
                    long k = n * size + j;
                    if (j > 0) {
                        b.append(',');
                    }
                    b.append("{\"walletId\":\"").append(wallets.get((int) ((n * perBatch + j % perBatch) % wallets.size())))
                            .append("\",\"idempotencyKey\":\"").append(keyPrefix).append(k)
                            .append("\",\"amountMicros\":1,\"origin\":\"manual\"}");
                }
                b.append("]}");
                byte[] request = raw.post("/v1/debit-batches", auth, b.toString().getBytes(StandardCharsets.UTF_8));
                return raw.send(request).map(r -> {
                    if (r.status() != 200) {
                        return Driver.Outcome.failed("HTTP " + r.status() + " " + r.text());
                    }
                    long approved = approvedCount(r.text());
                    return new Driver.Outcome(approved, size - approved, null);
                });
            };
            Driver.closed(http, m, concurrency, args.decimal("warmup", 5), args.decimal("duration", 20), shot);
        }
        m.write(Path.of(args.require("out")), args.decimal("duration", 20));
        return 0;
    }

    /** The batch answer's top-level "approved" count, read without parsing its 1,000 results. */
    static long approvedCount(String body) {
        int at = body.indexOf("\"approved\":");
        if (at < 0) {
            return 0;
        }
        int from = at + "\"approved\":".length();
        int to = from;
        while (to < body.length() && Character.isDigit(body.charAt(to))) {
            to++;
        }
        return to == from ? 0 : Long.parseLong(body.substring(from, to));
    }
}
