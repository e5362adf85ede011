package io.tollgate.infra.redis;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.vertx.mutiny.redis.client.Response;

/**
 * One money script result: {outcome, reason, id, amountMicros, balanceAfterMicros, seq, replayed}, and for debit.lua
 * also the wallet's currency, the floor a decline checked ({@code floorMicros}, "" if none) and a replay's stored
 * price basis ("" if none). Outcome {@code error} carries a reason that maps to a problem type; everything else is a
 * decision.
 */
public record ScriptOutcome(String outcome, String reason, String id, String amountMicros, String balanceAfterMicros,
        String seq, boolean replayed, String currency, String floorMicros, String priceBasis) {

    public static ScriptOutcome parse(Response item) {
        if (item == null || item.size() != 7) {
            throw new IllegalStateException("unexpected script reply " + item);
        }
        return new ScriptOutcome(item.get(0).toString(), item.get(1).toString(), item.get(2).toString(),
                item.get(3).toString(), item.get(4).toString(), item.get(5).toString(), "1".equals(item.get(6).toString()),
                "", "", "");
    }

    /**
     * A debit.lua answer for a debit the caller prepared with {@code debitId}, {@code amountMicros} and
     * {@code priceBasis}: the short form of a fresh approval, "A|balanceAfterMicros|seq|currency" (the id, amount and
     * basis are the caller's own), or the full form
     * "outcome|reason|id|amountMicros|balanceAfterMicros|seq|replayed|currency|floorMicros|priceBasis" for everything else.
     */
    public static ScriptOutcome parseDebit(String packed, String debitId, long amountMicros, String priceBasis) {
        if (packed.startsWith("A|")) {
            int bar = packed.indexOf('|', 2);
            int last = bar < 0 ? -1 : packed.indexOf('|', bar + 1);
            if (last < 0 || packed.indexOf('|', last + 1) >= 0) {
                throw new IllegalStateException("unexpected script reply " + packed);
            }
            return new ScriptOutcome("approved", "", debitId, String.valueOf(amountMicros), packed.substring(2, bar),
                    packed.substring(bar + 1, last), false, packed.substring(last + 1), "", priceBasis);
        }
        String[] f = packed.split("\\|", -1);
        if (f.length != 10) {
            throw new IllegalStateException("unexpected script reply " + packed);
        }
        return new ScriptOutcome(f[0], f[1], f[2], f[3], f[4], f[5], "1".equals(f[6]), f[7], f[8], f[9]);
    }

    public boolean isError() {
        return "error".equals(outcome);
    }

    public ProblemException problem() {
        return problem(reason);
    }

    /** The problem a script's error reason stands for, with the detail every caller gives for it. */
    public static ProblemException problem(String reason) {
        return new ProblemException(problemType(reason), detail(reason));
    }

    public static ProblemType problemType(String reason) {
        return switch (reason) {
            case "wallet_not_found" -> ProblemType.WALLET_NOT_FOUND;
            case "currency_mismatch" -> ProblemType.CURRENCY_MISMATCH;
            case "unknown_channel" -> ProblemType.UNKNOWN_CHANNEL;
            case "idempotency_conflict" -> ProblemType.IDEMPOTENCY_CONFLICT;
            case "balance_limit" -> ProblemType.BALANCE_LIMIT;
            case "debit_not_found" -> ProblemType.DEBIT_NOT_FOUND;
            case "reversal_exceeds_debit" -> ProblemType.REVERSAL_EXCEEDS_DEBIT;
            case "wallet_exists" -> ProblemType.WALLET_EXISTS;
            default -> throw new IllegalStateException("unknown script reason " + reason);
        };
    }

    private static String detail(String reason) {
        return switch (reason) {
            case "idempotency_conflict" -> "this Idempotency-Key was used for a different request; use a new key";
            case "currency_mismatch" -> "the request's currency is not the wallet's currency";
            default -> null;
        };
    }

    public long amount() {
        return Long.parseLong(amountMicros);
    }

    public long balanceAfter() {
        return Long.parseLong(balanceAfterMicros);
    }

    /** The floor a decline checked, or null (a suspended wallet, or not a decline). */
    public Long floorOrNull() {
        return floorMicros.isEmpty() ? null : Long.parseLong(floorMicros);
    }

    public Long seqOrNull() {
        return seq.isEmpty() ? null : Long.parseLong(seq);
    }
}
