package io.tollgate.debit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.LuaScript;
import io.tollgate.infra.redis.ScriptRunner;
import io.tollgate.support.RedisInspector;
import io.tollgate.support.TestApi;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each script, called directly on real Redis with valid and invalid arguments. Invalid: error, nothing written. */
@QuarkusTest
class LuaScriptsIT {
    static final String HASH = "a".repeat(64);
    /** A debit's request fingerprint: 26 base32 characters (Ids.sha256Key). */
    static final String DEBIT_HASH = "a".repeat(26);
    static final String MAX = "9007199254740991";

    @Inject
    ScriptRunner scripts;
    @Inject
    RedisDataSource redis;
    @Inject
    Keys keys;

    Response run(LuaScript script, List<String> keys, List<String> args) {
        return scripts.run(script, keys, args).await().atMost(Duration.ofSeconds(5));
    }

    /** Runs an invalid call and checks it fails with TG_INVALID and writes nothing. */
    void rejectsWithoutWriting(LuaScript script, List<String> keys, List<String> args, String... wallets) {
        RedisInspector inspect = new RedisInspector(redis, this.keys);
        String before = inspect.snapshot(wallets);
        Exception e = assertThrows(Exception.class, () -> run(script, keys, args));
        assertTrue(String.valueOf(e.getMessage()).contains("TG_INVALID"), e.getMessage());
        assertEquals(before, inspect.snapshot(wallets), "no write");
    }

    record Wallet(String tenant, String id) {
    }

    Wallet walletWith(long micros) {
        String tenant = TestApi.newTenant();
        return new Wallet(tenant, TestApi.fundedWallet(tenant, micros, 0, 0));
    }

    /**
     * A wallet's record for request key {@code name}. Records live per bucket, not per wallet (production key hashes
     * name the tenant), so the test's short names are made unique by the wallet: two tests' wallets can share a bucket.
     */
    String idem(Wallet w, String name) {
        return keys.idempotency(w.id(), w.id() + "." + name);
    }

    /** KEYS of a one-item debit: outbox, wallet, the debit's record (its idempotency record). */
    List<String> debitKeys(Wallet w, String idem) {
        return List.of(keys.outboxOf(w.id()), keys.wallet(w.id()), idem(w, idem));
    }

    static String spec(String walletId, String hash, String debitId, String amount, String origin, String direction, String force,
            String currency, String channel) {
        return spec(walletId, hash, debitId, amount, origin, direction, force, currency, channel, "");
    }

    static String spec(String walletId, String hash, String debitId, String amount, String origin, String direction, String force,
            String currency, String channel, String basis) {
        return String.join("|", walletId, hash, debitId, amount, origin, direction, force, currency, channel, basis, "");
    }

    List<String> debitArgs(Wallet w, String debitId, String amount) {
        return new ArrayList<>(List.of("86400", "1", w.tenant(), spec(w.id(), DEBIT_HASH, debitId, amount, "manual", "outbound", "0", "", ""), "{}"));
    }

    /** The item's outcome; "A|balance|seq" is debit.lua's short form of a fresh approval. */
    static String outcome(Response reply, int item) {
        String first = reply.get(item).toString().split("\\|", -1)[0];
        return first.equals("A") ? "approved" : first;
    }

    @Test
    void debitApprovesAndAppendsItsEvent() {
        Wallet w = walletWith(10);
        Response reply = run(LuaScript.DEBIT, debitKeys(w, "i1"), debitArgs(w, "db_1", "4"));
        assertEquals("A|6|3|USD", reply.get(0).toString(), "approved now: balance after, seq (created 1, credited 2), currency");
        Response replay = run(LuaScript.DEBIT, debitKeys(w, "i1"), debitArgs(w, "db_1", "4"));
        assertEquals("approved||db_1|4|6|3|1|USD||", replay.get(0).toString(), "a replay answers in full, from the record");
        assertEquals("debit.approved", new RedisInspector(redis, keys).events(w.id()).get(2).get("type"));
    }

    @Test
    void aDebitByItemKeepsItsPriceBasisForReplaysAndDeclinesNameTheFloorChecked() {
        Wallet w = walletWith(10);
        List<String> args = debitArgs(w, "db_1", "4");
        args.set(3, spec(w.id(), DEBIT_HASH, "db_1", "4", "manual", "outbound", "0", "", "sms", "c").replaceFirst("\\|$", "|sms.de"));
        assertEquals("A|6|3|USD", run(LuaScript.DEBIT, debitKeys(w, "i1"), args).get(0).toString());
        assertTrue(redis.value(String.class).get(idem(w, "i1")).endsWith("|c|sms.de|sms"),
                "the record keeps the basis, the item and the channel");
        assertEquals("approved||db_1|4|6|3|1|USD||c", run(LuaScript.DEBIT, debitKeys(w, "i1"), args).get(0).toString());
        // a reversal rewrites the record and keeps the basis
        run(LuaScript.REVERSE, List.of(keys.wallet(w.id()), keys.outboxOf(w.id()), idem(w, "r1"),
                idem(w, "i1")), List.of(w.tenant(), w.id(), HASH, "rv_1", "db_1", "1", "86400", "{}", "172800"));
        assertEquals("approved||db_1|4|6|3|1|USD||c", run(LuaScript.DEBIT, debitKeys(w, "i1"), args).get(0).toString());
        io.vertx.core.json.JsonObject reversed = new io.vertx.core.json.JsonObject(new RedisInspector(redis, keys).events(w.id()).stream()
                .filter(e -> "debit.reversed".equals(e.get("type"))).findFirst().orElseThrow().get("data"));
        assertEquals("sms.de", reversed.getString("item"), "the reversal names its debit's item and channel");
        assertEquals("sms", reversed.getString("channel"));
        String approvedAtMs = redis.value(String.class).get(idem(w, "i1")).split("\\|")[7];
        assertEquals(io.tollgate.infra.Times.formatMillis(Long.parseLong(approvedAtMs)), reversed.getString("debitOccurredAt"),
                "Lua's RFC 3339 is Java's, to the millisecond");

        List<String> tooMuch = debitArgs(w, "db_2", "8");
        tooMuch.set(3, spec(w.id(), DEBIT_HASH, "db_2", "8", "manual", "outbound", "0", "", "", "i"));
        assertEquals("declined|insufficient_funds||8|7||0|USD|0|i", run(LuaScript.DEBIT, debitKeys(w, "i2"), tooMuch).get(0).toString(),
                "the balance (7 after the reversal) and the floor checked");
        List<String> automated = debitArgs(w, "db_3", "7");
        automated.set(3, spec(w.id(), DEBIT_HASH, "db_3", "7", "automated", "outbound", "0", "", ""));
        redis.hash(String.class).hset(keys.wallet(w.id()), "afloor", "2");
        assertEquals("declined|automation_floor||7|7||0|USD|2|", run(LuaScript.DEBIT, debitKeys(w, "i3"), automated).get(0).toString());
    }

    @Test
    void debitRejectsInvalidArgumentsWithoutWriting() {
        Wallet w = walletWith(10);
        String id = w.id();
        List<UnaryOperator<List<String>>> breakages = List.of(
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "0", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "-1", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "1.5", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "abc", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "9007199254740992", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "robot", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "manual", "sideways", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "manual", "outbound", "2", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "manual", "outbound", "0", "usd", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "manual", "outbound", "0", "", "a|b")),
                a -> set(a, 3, spec(id, HASH, "db_2", "4", "manual", "outbound", "0", "", "")), // a hex sha256, not base32
                a -> set(a, 3, spec(id, "nothex", "db_2", "4", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH.toUpperCase(), "db_2", "4", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec("w_other", DEBIT_HASH, "db_2", "4", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_" + "x".repeat(62), "4", "manual", "outbound", "0", "", "")),
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "manual", "outbound", "0", "", "", "x")), // no such basis
                a -> set(a, 3, spec(id, DEBIT_HASH, "db_2", "4", "manual", "outbound", "0", "", "").replaceFirst("\\|$", "")),
                a -> set(a, 2, ""), a -> set(a, 0, "0"), a -> set(a, 1, "2"), a -> set(a, 4, "x".repeat(8193)),
                a -> set(a, 4, "{\"a\":1}\n{}"), // a raw line break would split the event in its packed outbox entry
                a -> a.subList(0, 4));
        for (UnaryOperator<List<String>> breakage : breakages) {
            rejectsWithoutWriting(LuaScript.DEBIT, debitKeys(w, "i2"), breakage.apply(debitArgs(w, "db_2", "4")), w.id());
        }
    }

    @Test
    void debitBatchValidatesEveryItemBeforeTheFirstWrite() {
        Wallet w = walletWith(10);
        List<String> keysOfTwo = new ArrayList<>(debitKeys(w, "i3"));
        keysOfTwo.addAll(List.of(keys.wallet(w.id()), idem(w, "i4")));
        List<String> args = debitArgs(w, "db_3", "4");
        args.set(1, "2");
        args.addAll(List.of(spec(w.id(), DEBIT_HASH, "db_4", "-5", "manual", "outbound", "0", "", ""), "{}"));
        rejectsWithoutWriting(LuaScript.DEBIT, keysOfTwo, args, w.id());
    }

    @Test
    void creditAndItsInvalidArguments() {
        Wallet w = walletWith(0);
        List<String> creditKeys = List.of(keys.wallet(w.id()), keys.outboxOf(w.id()), idem(w, "c1"));
        List<String> args = List.of(w.tenant(), w.id(), HASH, "cr_1", "25", "", "86400", "wallet.credited", "{}");
        for (int field : new int[] {2, 4, 5, 6, 7}) {
            List<String> bad = new ArrayList<>(args);
            bad.set(field, field == 6 ? "0" : "x!");
            rejectsWithoutWriting(LuaScript.WALLET_CREDIT, creditKeys, bad, w.id());
        }
        List<String> badType = new ArrayList<>(args);
        badType.set(7, "debit.approved");
        rejectsWithoutWriting(LuaScript.WALLET_CREDIT, creditKeys, badType, w.id());
        Response ok = run(LuaScript.WALLET_CREDIT, creditKeys, args);
        assertEquals("applied", ok.get(0).toString());
        assertEquals("25", ok.get(4).toString());
        List<String> tooMuch = new ArrayList<>(args);
        tooMuch.set(4, MAX);
        Response limit = run(LuaScript.WALLET_CREDIT, List.of(keys.wallet(w.id()), keys.outboxOf(w.id()), idem(w, "c2")), tooMuch);
        assertEquals("balance_limit", limit.get(1).toString(), "a balance above 2^53-1 is refused");
    }

    @Test
    void reverseAndItsInvalidArguments() {
        Wallet w = walletWith(10);
        run(LuaScript.DEBIT, debitKeys(w, "i5"), debitArgs(w, "db_5", "4"));
        String record = idem(w, "i5");
        List<String> revKeys = List.of(keys.wallet(w.id()), keys.outboxOf(w.id()), idem(w, "r1"), record);
        List<String> args = List.of(w.tenant(), w.id(), HASH, "rv_1", "db_5", "3", "86400", "{}", "3600");
        for (int field : new int[] {2, 4, 5, 6, 8}) {
            List<String> bad = new ArrayList<>(args);
            bad.set(field, field == 5 || field == 8 ? "0" : "x!");
            rejectsWithoutWriting(LuaScript.REVERSE, revKeys, bad, w.id());
        }
        List<String> otherId = new ArrayList<>(args);
        otherId.set(4, "db_6"); // the record under this key belongs to another debit (a key reused after expiry)
        assertEquals("debit_not_found", run(LuaScript.REVERSE, revKeys, otherId).get(1).toString());
        assertEquals("reversed", run(LuaScript.REVERSE, revKeys, args).get(0).toString());
        assertEquals("3", redis.value(String.class).get(record).split("\\|")[6], "the debit record counts 3 reversed");
        assertTrue(redis.key().ttl(record) > 3000, "the record keeps its TTL");
        List<String> again = new ArrayList<>(args);
        again.set(2, "b".repeat(64));
        Response exceeds = run(LuaScript.REVERSE, List.of(keys.wallet(w.id()), keys.outboxOf(w.id()), idem(w, "r2"),
                record), again);
        assertEquals("reversal_exceeds_debit", exceeds.get(1).toString(), "3 of 4 returned; 3 more exceed it");
    }

    @Test
    void aReversalAfterTheWindowFindsNoDebitThoughTheRecordLivesOn() {
        Wallet w = walletWith(10);
        run(LuaScript.DEBIT, debitKeys(w, "i7"), debitArgs(w, "db_7", "4"));
        String record = idem(w, "i7");
        // approved 2 minutes ago (the record's eighth part, approvedAtMs), with a 60 s window: too late, and nothing changes
        String[] parts = redis.value(String.class).get(record).split("\\|", -1);
        parts[7] = String.valueOf(System.currentTimeMillis() - 120_000);
        String earlier = String.join("|", parts);
        redis.execute("SET", record, earlier, "KEEPTTL");
        List<String> revKeys = List.of(keys.wallet(w.id()), keys.outboxOf(w.id()), idem(w, "r7"), record);
        List<String> args = List.of(w.tenant(), w.id(), HASH, "rv_7", "db_7", "", "86400", "{}", "60");
        String before = new RedisInspector(redis, keys).snapshot(w.id());
        assertEquals("debit_not_found", run(LuaScript.REVERSE, revKeys, args).get(1).toString());
        assertEquals(before, new RedisInspector(redis, keys).snapshot(w.id()));
        List<String> wider = new ArrayList<>(args);
        wider.set(8, "300");
        assertEquals("reversed", run(LuaScript.REVERSE, revKeys, wider).get(0).toString(), "inside a 5 minute window");
    }

    @Test
    void walletCreateAndUpdateRejectInvalidArguments() {
        String tenant = TestApi.newTenant();
        String id = "w_lua" + System.nanoTime();
        List<String> createKeys = List.of(keys.wallet(id), keys.outboxOf(id));
        List<String> args = List.of(tenant, id, "USD", "0", "5000000", "", "0", "", "", "name", "{}");
        for (int field : new int[] {1, 2, 3, 4, 5, 6, 7, 8}) {
            List<String> bad = new ArrayList<>(args);
            bad.set(field, "x!");
            rejectsWithoutWriting(LuaScript.WALLET_CREATE, createKeys, bad, id);
        }
        assertEquals("created", run(LuaScript.WALLET_CREATE, createKeys, args).get(0).toString());
        assertEquals("wallet_exists", run(LuaScript.WALLET_CREATE, createKeys, args).get(1).toString());
        rejectsWithoutWriting(LuaScript.WALLET_UPDATE, createKeys, List.of(tenant, id, "{}", "status", "frozen"), id);
        rejectsWithoutWriting(LuaScript.WALLET_UPDATE, createKeys, List.of(tenant, id, "{}", "bal", "100"), id);
        rejectsWithoutWriting(LuaScript.WALLET_UPDATE, createKeys, List.of(tenant, id, "{}", "floor", "0", "ar", "yes"), id);
        assertEquals("updated", run(LuaScript.WALLET_UPDATE, createKeys, List.of(tenant, id, "{}", "status", "suspended")).get(0).toString());
        assertEquals("wallet_not_found", run(LuaScript.WALLET_UPDATE, createKeys, List.of("t_other", id, "{}", "status", "active")).get(1).toString());
    }

    @Test
    void walletCreateWithAFingerprintReplaysOrConflicts() {
        String tenant = TestApi.newTenant();
        String id = "w_luaidem" + System.nanoTime();
        List<String> createKeys = List.of(keys.wallet(id), keys.outboxOf(id));
        List<String> args = new ArrayList<>(List.of(tenant, id, "USD", "0", "5000000", "", "0", "", "", "name", "{}", HASH));
        rejectsWithoutWriting(LuaScript.WALLET_CREATE, createKeys, set(args, 11, "not-hex"), id);
        assertEquals("created", run(LuaScript.WALLET_CREATE, createKeys, args).get(0).toString());
        String after = new RedisInspector(redis, keys).snapshot(id);
        Response replay = run(LuaScript.WALLET_CREATE, createKeys, args);
        assertEquals("replayed", replay.get(0).toString());
        assertEquals("1", replay.get(1).toString(), "the wallet's seq: wallet.created only");
        assertEquals("idempotency_conflict", run(LuaScript.WALLET_CREATE, createKeys, set(args, 11, "b".repeat(64))).get(1).toString());
        assertEquals("wallet_exists", run(LuaScript.WALLET_CREATE, createKeys, set(args, 0, "t_other")).get(1).toString(),
                "another tenant's fingerprint never replays");
        assertEquals("wallet_exists", run(LuaScript.WALLET_CREATE, createKeys, args.subList(0, 11)).get(1).toString(),
                "without a fingerprint an existing wallet is an error");
        assertEquals(after, new RedisInspector(redis, keys).snapshot(id), "replays and conflicts write nothing");
    }

    @Test
    void relayLeaseIsHeldByOnePodAtATime() {
        List<String> lease = List.of(keys.relayLease(63) + ":test" + System.nanoTime());
        assertEquals(1L, run(LuaScript.RELAY_LEASE, lease, List.of("pod-a", "5000", "take")).toLong());
        assertEquals(0L, run(LuaScript.RELAY_LEASE, lease, List.of("pod-b", "5000", "take")).toLong(), "held by a");
        assertEquals(1L, run(LuaScript.RELAY_LEASE, lease, List.of("pod-a", "5000", "take")).toLong(), "renewed by a");
        run(LuaScript.RELAY_LEASE, lease, List.of("pod-b", "5000", "release"));
        assertEquals(0L, run(LuaScript.RELAY_LEASE, lease, List.of("pod-b", "5000", "take")).toLong(), "b cannot release a's lease");
        run(LuaScript.RELAY_LEASE, lease, List.of("pod-a", "5000", "release"));
        assertEquals(1L, run(LuaScript.RELAY_LEASE, lease, List.of("pod-b", "5000", "take")).toLong(), "free after a released it");
        for (List<String> bad : List.of(List.of("", "5000", "take"), List.of("pod-a", "50", "take"), List.of("pod-a", "5000", "steal"),
                List.of("pod-a", "x", "take"))) {
            Exception e = assertThrows(Exception.class, () -> run(LuaScript.RELAY_LEASE, lease, bad));
            assertTrue(String.valueOf(e.getMessage()).contains("TG_INVALID"));
        }
        assertEquals("pod-b", redis.value(String.class).get(lease.get(0)), "invalid calls change nothing");
    }

    @Test
    void keyAdmitHoldsTheLimit() {
        List<String> active = List.of(keys.tenantKeys("t_admit" + System.nanoTime()));
        for (String id : List.of("key_a", "key_b", "key_c")) {
            assertEquals(1L, run(LuaScript.KEY_ADMIT, active, List.of(id, "3")).toLong(), id + " admitted below the limit");
        }
        assertEquals(0L, run(LuaScript.KEY_ADMIT, active, List.of("key_d", "3")).toLong(), "refused at the limit");
        assertEquals(1L, run(LuaScript.KEY_ADMIT, active, List.of("key_a", "3")).toLong(), "a member stays admitted");
        assertEquals(1L, run(LuaScript.KEY_ADMIT, active, List.of("key_d", "4")).toLong(), "admitted below a higher limit");
        for (List<String> bad : List.of(List.of("", "5"), List.of("key_e", "0"), List.of("key_e", "x"), List.of("key e", "5"),
                List.of("key_e", "10001"), List.of("key_e"))) {
            Exception e = assertThrows(Exception.class, () -> run(LuaScript.KEY_ADMIT, active, bad));
            assertTrue(String.valueOf(e.getMessage()).contains("TG_INVALID"), bad + ": " + e.getMessage());
        }
        assertEquals(java.util.Set.of("key_a", "key_b", "key_c", "key_d"), redis.set(String.class).smembers(active.get(0)),
                "refused and invalid calls change nothing");
    }

    @Test
    void scriptsReloadAfterRedisForgetsThem() {
        Wallet w = walletWith(10);
        redis.execute("SCRIPT", "FLUSH");
        Response reply = run(LuaScript.DEBIT, debitKeys(w, "i9"), debitArgs(w, "db_9", "1"));
        assertEquals("approved", outcome(reply, 0), "NOSCRIPT falls back to EVAL");
    }

    static List<String> set(List<String> args, int index, String value) {
        List<String> copy = new ArrayList<>(args);
        copy.set(index, value);
        return copy;
    }
}
