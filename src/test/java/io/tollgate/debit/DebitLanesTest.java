package io.tollgate.debit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.redis.ScriptOutcome;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How single debits are grouped into script calls, on a real Vert.x event loop. The script call itself is a
 * recording function here (debit.lua's own behaviour is LuaScriptsIT's, and DebitConcurrencyIT drives the whole
 * path against Redis); what is checked is which debits travel together and that each gets its own answer.
 */
class DebitLanesTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A recorded script call: its tenant and the wallets of its items, in order. */
    record Call(String tenantId, List<String> wallets) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Approves every item with its position in the call as the balance; a wallet w_bad* makes its call rejected, w_down* fails it. */
    private Uni<List<ScriptOutcome>> record(String tenantId, List<DebitService.Prepared> items) {
        List<String> wallets = items.stream().map(DebitService.Prepared::walletId).toList();
        calls.add(new Call(tenantId, wallets));
        if (wallets.stream().anyMatch(w -> w.startsWith("w_bad"))) {
            return Uni.createFrom().failure(new RuntimeException("TG_INVALID wallet of item 2"));
        }
        if (wallets.stream().anyMatch(w -> w.startsWith("w_down"))) {
            return Uni.createFrom().failure(new IllegalStateException("connection closed"));
        }
        List<ScriptOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            outcomes.add(ScriptOutcome.parseDebit("A|" + i + "|" + (i + 1) + "|USD", items.get(i).debitId(),
                    items.get(i).amountMicros(), ""));
        }
        return Uni.createFrom().item(outcomes);
    }

    /** Buckets: the wallet's last character, so tests choose them. */
    private DebitLanes lanes(boolean enabled, int maxItems) {
        return new DebitLanes(this::record, walletId -> walletId.charAt(walletId.length() - 1), enabled, maxItems);
    }

    private static DebitService.Prepared debit(String walletId) {
        return new DebitService.Prepared(0, walletId, "k", "h", "d_" + walletId, 1, null, "{}", null);
    }

    /** Submits every debit from one event-loop task (one turn), then waits for all answers (or their failures). */
    private List<Object> inOneTurn(DebitLanes lanes, List<String[]> tenantAndWallet) throws Exception {
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < tenantAndWallet.size(); i++) {
            answers.add(new CompletableFuture<>());
        }
        vertx.runOnContext(v -> {
            for (int i = 0; i < tenantAndWallet.size(); i++) {
                CompletableFuture<Object> answer = answers.get(i);
                lanes.submit(tenantAndWallet.get(i)[0], debit(tenantAndWallet.get(i)[1]), ScriptOutcome::balanceAfter)
                        .subscribe().with(answer::complete, answer::complete);
            }
        });
        List<Object> out = new ArrayList<>();
        for (CompletableFuture<Object> a : answers) {
            out.add(a.get(5, TimeUnit.SECONDS));
        }
        return out;
    }

    private static List<String[]> debits(String... tenantSlashWallet) {
        List<String[]> out = new ArrayList<>();
        for (String s : tenantSlashWallet) {
            out.add(s.split("/"));
        }
        return out;
    }

    @Test
    void debitsReadInOneTurnShareOneCallPerTenantAndBucketInArrivalOrder() throws Exception {
        List<Object> answers = inOneTurn(lanes(true, 64), debits("t1/w_a1", "t1/w_b1", "t1/w_c2", "t2/w_a1", "t1/w_d1"));

        assertEquals(3, calls.size(), "calls: " + calls);
        assertTrue(calls.contains(new Call("t1", List.of("w_a1", "w_b1", "w_d1"))), "one call for t1's bucket 1: " + calls);
        assertTrue(calls.contains(new Call("t1", List.of("w_c2"))), "t1's bucket 2 on its own: " + calls);
        assertTrue(calls.contains(new Call("t2", List.of("w_a1"))), "another tenant never shares a call: " + calls);
        // each debit gets the answer of its own item: positions 0, 1, 0, 0, 2
        assertEquals(List.of(0L, 1L, 0L, 0L, 2L), answers);
    }

    @Test
    void aFullLaneGoesAtOnceAndTheRestAtTheEndOfTheTurn() throws Exception {
        List<String[]> five = debits("t/w_a1", "t/w_b1", "t/w_c1", "t/w_d1", "t/w_e1");
        List<Object> answers = inOneTurn(lanes(true, 2), five);

        assertEquals(List.of(new Call("t", List.of("w_a1", "w_b1")), new Call("t", List.of("w_c1", "w_d1")),
                new Call("t", List.of("w_e1"))), calls);
        assertEquals(List.of(0L, 1L, 0L, 1L, 0L), answers);
    }

    @Test
    void offTurnsOrSwitchedOffEveryDebitHasItsOwnCall() throws Exception {
        inOneTurn(lanes(false, 64), debits("t/w_1", "t/w_1", "t/w_1"));
        assertEquals(3, calls.size(), "switched off: " + calls);

        calls.clear();
        Supplier<Object> fromThisThread = () -> lanes(true, 64).submit("t", debit("w_1"), ScriptOutcome::balanceAfter)
                .await().atMost(java.time.Duration.ofSeconds(5));
        assertEquals(0L, fromThisThread.get());
        assertEquals(0L, fromThisThread.get());
        assertEquals(2, calls.size(), "not on an event loop: " + calls);
    }

    @Test
    void aRejectedCallIsRetriedItemByItemSoOnlyTheBadItemFails() throws Exception {
        List<Object> answers = inOneTurn(lanes(true, 64), debits("t/w_a1", "t/w_bad1", "t/w_c1"));

        assertEquals(4, calls.size(), "one rejected call, then one per item: " + calls);
        assertEquals(0L, answers.get(0));
        assertTrue(answers.get(1) instanceof RuntimeException, "the bad item fails: " + answers.get(1));
        assertEquals(0L, answers.get(2));
    }

    @Test
    void aFailedCallFailsEveryDebitInItAndNoOther() throws Exception {
        List<Object> answers = inOneTurn(lanes(true, 64), debits("t/w_a1", "t/w_down1", "u/w_a1"));

        assertTrue(answers.get(0) instanceof IllegalStateException, "same call: " + answers.get(0));
        assertTrue(answers.get(1) instanceof IllegalStateException, "same call: " + answers.get(1));
        assertEquals(0L, answers.get(2), "another lane's call is unaffected");
        assertEquals(2, calls.size(), "a failure that is not a rejection is not retried: " + calls);
    }
}
