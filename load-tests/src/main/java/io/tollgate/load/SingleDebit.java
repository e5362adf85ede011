package io.tollgate.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * POST /v1/wallets/{id}/debits with the pipeline key: amountMicros 1, origin manual, one unique Idempotency-Key per
 * debit ({@code <run id>-<phase>-<n>}), wallets taken round-robin. A debit counts only on 200 with decision approved.
 */
final class SingleDebit {
    private static final byte[] BODY = "{\"amountMicros\":1,\"origin\":\"manual\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] APPROVED = "\"decision\":\"approved\"".getBytes(StandardCharsets.UTF_8);

    private SingleDebit() {
    }

    static int closed(Main.Args args) throws Exception {
        int concurrency = args.integer("concurrency", 64);
        Measure m = new Measure(args.get("phase", "b-peak"), args);
        m.put("mode", "closed").put("concurrency", concurrency);
        try (Http http = new Http(args.integer("port", 0), 1);
                RawHttp raw = new RawHttp(http.vertx, args.integer("port", 0), concurrency)) {
            Driver.Shot shot = shot(raw, args, "s");
            Driver.closed(http, m, concurrency, args.decimal("warmup", 5), args.decimal("duration", 20), shot);
        }
        m.write(Path.of(args.require("out")), args.decimal("duration", 20));
        return 0;
    }

    static int open(Main.Args args) throws Exception {
        double rate = args.decimal("rate", 0);
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be > 0");
        }
        int connections = args.integer("concurrency", 64);
        Measure m = new Measure(args.get("phase", "b-half"), args);
        m.put("mode", "open").put("targetRate", rate).put("connections", connections);
        try (Http http = new Http(args.integer("port", 0), 1);
                RawHttp raw = new RawHttp(http.vertx, args.integer("port", 0), connections)) {
            Driver.Shot shot = shot(raw, args, "o");
            Driver.open(http, m, rate, args.decimal("warmup", 5), args.decimal("duration", 20), shot);
        }
        m.write(Path.of(args.require("out")), args.decimal("duration", 20));
        return 0;
    }

    private static Driver.Shot shot(RawHttp http, Main.Args args, String tag) throws Exception {
        List<String> wallets = Files.readAllLines(Path.of(args.require("wallets-file")));
        String[] uris = wallets.stream().filter(w -> !w.isBlank()).map(w -> "/v1/wallets/" + w.trim() + "/debits").toArray(String[]::new);
        String auth = "Authorization: Bearer " + args.require("pipeline-key") + "\r\n";
        String keyPrefix = args.require("run-id") + "-" + tag + "-";
        return n -> {
            byte[] request = http.post(uris[(int) (n % uris.length)], auth + "Idempotency-Key: " + keyPrefix + n + "\r\n", BODY);
            return http.send(request).map(r -> {
                if (r.status() != 200) {
                    return Driver.Outcome.failed("HTTP " + r.status() + " " + r.text());
                }
                return r.contains(APPROVED) ? Driver.Outcome.ok(1) : Driver.Outcome.failed("200 but not approved: " + r.text());
            });
        };
    }
}
