package io.tollgate.debit;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tollgate.infra.redis.ScriptOutcome;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Coalesces single debits that one event loop receives in the same turn: per tenant and bucket, they go to Redis
 * in one debit.lua call at the end of the turn (after the loop has handled every socket that was ready), instead
 * of one call each. Idle, a turn holds one debit and nothing changes; under load, one script call, one socket
 * write and one wake-up of Redis serve every debit of a wallet, or of a bucket, that arrived together, which is
 * what a campaign sending through single debits looks like.
 *
 * <p>Nothing waits for a reply: a debit waits at most for the rest of its event-loop turn (the sockets that were
 * ready with it), never for another call's round trip. An earlier design that held debits back while a call for
 * their bucket was in flight made 64 pipelines over 64 buckets slower, because a held debit queued behind other
 * buckets' calls twice.
 *
 * <p>Why it is safe: debit.lua already decides N debits of one bucket in order, atomically, each with its own
 * idempotency record and answer (the batch endpoint's path); a key repeated within a call replays the first
 * item's answer. A debit waiting here belongs to an open request, so a crash loses nothing the client would not
 * see as a failed request.
 *
 * <p>Limits: at most {@code maxItems} debits per call (a lane that fills sends at once). Nothing outlives its turn.
 * Turns are per event-loop thread (no locks); calls from other threads, and every call when coalescing is off,
 * go to Redis one by one.
 *
 * <p>A call that fails fails every debit in it (timeout, lost connection: as when each had its own call). A
 * script that rejects its arguments (TG_INVALID, which changes nothing) is retried item by item, so one bad item
 * answers only for itself.
 */
final class DebitLanes {
    /** Runs one debit.lua call for debits of one tenant and bucket; the outcomes come in item order. */
    private final BiFunction<String, List<DebitService.Prepared>, Uni<List<ScriptOutcome>>> call;
    private final ToIntFunction<String> bucketOfWallet;
    private final boolean enabled;
    private final int maxItems;
    /** This event loop's current turn. */
    private final ThreadLocal<Turn> turns = ThreadLocal.withInitial(Turn::new);

    DebitLanes(BiFunction<String, List<DebitService.Prepared>, Uni<List<ScriptOutcome>>> call,
            ToIntFunction<String> bucketOfWallet, boolean enabled, int maxItems) {
        if (maxItems < 1 || maxItems > 1000) {
            throw new IllegalArgumentException("tollgate.debit.coalesce.max-items must be 1..1000 (debit.lua's limit)");
        }
        this.call = call;
        this.bucketOfWallet = bucketOfWallet;
        this.enabled = enabled;
        this.maxItems = maxItems;
    }

    /** The debit's outcome turned into the answer by {@code then} (which may throw a ProblemException). */
    <R> Uni<R> submit(String tenantId, DebitService.Prepared debit, Function<ScriptOutcome, R> then) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter<R> waiter = new Waiter<>(debit, then, emitter);
            Context context = enabled && Context.isOnEventLoopThread() ? Vertx.currentContext() : null;
            if (context == null) {
                send(tenantId, List.of(waiter));
            } else {
                enqueue(tenantId, waiter, context);
            }
        });
    }

    private void enqueue(String tenantId, Waiter<?> waiter, Context context) {
        Turn turn = turns.get();
        LaneKey key = new LaneKey(tenantId, bucketOfWallet.applyAsInt(waiter.debit.walletId()));
        List<Waiter<?>> lane = turn.lanes.computeIfAbsent(key, k -> new ArrayList<>());
        lane.add(waiter);
        if (lane.size() >= maxItems) {
            turn.lanes.remove(key);
            send(tenantId, lane);
        } else if (!turn.scheduled) {
            turn.scheduled = true;
            // runs after the I/O the loop is handling now: every debit read in this turn is in the lanes by then
            context.runOnContext(v -> endOfTurn(turn));
        }
    }

    private void endOfTurn(Turn turn) {
        turn.scheduled = false;
        if (turn.lanes.isEmpty()) {
            return;
        }
        List<Map.Entry<LaneKey, List<Waiter<?>>>> ready = new ArrayList<>(turn.lanes.entrySet());
        turn.lanes.clear();
        for (Map.Entry<LaneKey, List<Waiter<?>>> lane : ready) {
            send(lane.getKey().tenantId, lane.getValue());
        }
    }

    private void send(String tenantId, List<Waiter<?>> waiters) {
        List<DebitService.Prepared> items = new ArrayList<>(waiters.size());
        for (Waiter<?> w : waiters) {
            items.add(w.debit);
        }
        Uni<List<ScriptOutcome>> sent;
        try {
            sent = call.apply(tenantId, items);
        } catch (RuntimeException e) { // not expected (the items were checked); still, no debit may hang
            failAll(tenantId, waiters, e);
            return;
        }
        sent.subscribe().with(outcomes -> {
            for (int i = 0; i < waiters.size(); i++) {
                waiters.get(i).complete(outcomes.get(i));
            }
        }, failure -> failAll(tenantId, waiters, failure));
    }

    private void failAll(String tenantId, List<Waiter<?>> waiters, Throwable failure) {
        if (waiters.size() > 1 && isRejectedArguments(failure)) {
            for (Waiter<?> w : waiters) {
                send(tenantId, List.of(w));
            }
            return;
        }
        for (Waiter<?> w : waiters) {
            w.emitter.fail(failure);
        }
    }

    /** debit.lua's answer to arguments it does not accept (lib.lua invalid()); it has changed nothing. */
    static boolean isRejectedArguments(Throwable failure) {
        String message = failure.getMessage();
        return message != null && message.startsWith("TG_INVALID");
    }

    private record LaneKey(String tenantId, int bucket) {
    }

    /** The debits an event loop has read in its current turn, by lane; confined to that loop's thread. */
    private static final class Turn {
        final Map<LaneKey, List<Waiter<?>>> lanes = new HashMap<>();
        boolean scheduled;
    }

    private record Waiter<R>(DebitService.Prepared debit, Function<ScriptOutcome, R> then, UniEmitter<? super R> emitter) {
        void complete(ScriptOutcome outcome) {
            R answer;
            try {
                answer = then.apply(outcome);
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            emitter.complete(answer);
        }
    }
}
