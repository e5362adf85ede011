package io.tollgate.load;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Seeds through the public API only: a tenant, a pipeline key, {@code --wallets} wallets for the HTTP phases and one
 * extra wallet for redis-benchmark, each credited with {@link #CREDIT_MICROS} so no debit of 1 micro is ever declined.
 * Writes {@code seed.env} (shell assignments), {@code wallets.txt} (one wallet id a line) and {@code wallet-keys.txt}
 * (their Redis hash keys, same order) to {@code --out}.
 */
final class Seed {
    /** Just under the per-amount maximum 2^53-1; about 9e9 debits of 1 micro per wallet. */
    static final long CREDIT_MICROS = 9_000_000_000_000_000L;

    private Seed() {
    }

    static int run(Main.Args args) throws Exception {
        int port = args.integer("port", 0);
        String admin = args.require("admin-key");
        int walletCount = args.integer("wallets", 200);
        int buckets = args.integer("buckets", 64);
        Path out = Path.of(args.require("out"));
        Files.createDirectories(out);

        try (Http http = new Http(port, 16)) {
            MultiMap adminHeaders = Http.headers(admin);
            String tenantId = http.expect(201, HttpMethod.POST, "/v1/tenants", adminHeaders, new JsonObject().put("name", "bench"))
                    .map(j -> j.getString("id")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            MultiMap tenantHeaders = Http.headers(admin).set("Tollgate-Tenant", tenantId);
            String pipelineKey = http.expect(201, HttpMethod.POST, "/v1/api-keys", tenantHeaders, new JsonObject().put("role", "pipeline"))
                    .map(j -> j.getString("secret")).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            // walletCount + 1 wallets, 16 at a time; the last one is redis-benchmark's.
            int total = walletCount + 1;
            String[] ids = new String[total];
            Promise<Void> done = Promise.promise();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            http.vertx.runOnContext(v -> {
                for (int w = 0; w < 16; w++) {
                    createNext(http, tenantHeaders, ids, next, finished, done);
                }
            });
            done.future().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);

            List<String> wallets = new ArrayList<>(List.of(ids).subList(0, walletCount));
            String benchWallet = ids[walletCount];
            int benchBucket = bucket(benchWallet, buckets);
            String tag = "tg:{b" + benchBucket + "}:";
            String benchDebitId = "db_redisbench";
            TreeSet<Integer> covered = new TreeSet<>();
            wallets.forEach(w -> covered.add(bucket(w, buckets)));

            Files.write(out.resolve("wallets.txt"), wallets, StandardCharsets.UTF_8);
            // Their wallet hashes in Redis, in the same order (phase (d) sums their seq).
            Files.write(out.resolve("wallet-keys.txt"), wallets.stream().map(w -> "tg:{b" + bucket(w, buckets) + "}:w:" + w).toList(),
                    StandardCharsets.UTF_8);
            List<String> env = List.of(
                    "TENANT_ID='" + tenantId + "'",
                    "PIPELINE_KEY='" + pipelineKey + "'",
                    "WALLET_COUNT=" + walletCount,
                    "WALLET_BUCKETS_COVERED=" + covered.size(),
                    "BENCH_WALLET='" + benchWallet + "'",
                    "BENCH_BUCKET=" + benchBucket,
                    "BENCH_WALLET_KEY='" + tag + "w:" + benchWallet + "'",
                    "BENCH_OUTBOX_KEY='" + tag + "outbox'",
                    "BENCH_IDEM_PREFIX='" + tag + "idem:'",
                    "BENCH_DEBIT_ID='" + benchDebitId + "'");
            Files.write(out.resolve("seed.env"), env, StandardCharsets.UTF_8);
            System.out.printf("seeded tenant %s, pipeline key, %d wallets over %d of %d buckets (+1 for redis-benchmark: %s, bucket %d)%n",
                    tenantId, walletCount, covered.size(), buckets, benchWallet, benchBucket);
        }
        return 0;
    }

    private static void createNext(Http http, MultiMap headers, String[] ids, AtomicInteger next, AtomicInteger finished,
            Promise<Void> done) {
        int i = next.getAndIncrement();
        if (i >= ids.length) {
            return;
        }
        http.expect(201, HttpMethod.POST, "/v1/wallets", headers, new JsonObject().put("currency", "USD"))
                .compose(w -> {
                    String id = w.getString("id");
                    ids[i] = id;
                    MultiMap credit = Http.headers(null).addAll(headers).set("Idempotency-Key", "seed-credit-" + id);
                    return http.expect(200, HttpMethod.POST, "/v1/wallets/" + id + "/credits", credit,
                            new JsonObject().put("amountMicros", CREDIT_MICROS).put("reason", "bench").put("category", "adjustment"));
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        done.tryFail(ar.cause());
                        return;
                    }
                    if (finished.incrementAndGet() == ids.length) {
                        done.tryComplete();
                    } else {
                        createNext(http, headers, ids, next, finished, done);
                    }
                });
    }

    /** Tollgate's bucket: CRC32 of the wallet id (UTF-8) mod B, as in io.tollgate.infra.redis.Keys. */
    static int bucket(String walletId, int buckets) {
        CRC32 crc = new CRC32();
        crc.update(walletId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % buckets);
    }
}
