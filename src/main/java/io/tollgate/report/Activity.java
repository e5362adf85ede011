package io.tollgate.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shapes of the activity log and the debit look-up (docs/reference/api.md#activity-and-look-up). Amounts are signed
 * from the wallet's point of view: what a movement did to the balance ({@code balanceAfterMicros − amountMicros} is the
 * balance before it).
 */
public final class Activity {
    static final String AS_OF = "The time of the newest movement in the ledger for this wallet or tenant when the answer was read; "
            + "absent when there is none. The ledger trails the live balance by up to about a second.";
    static final String LOCAL_TIME = "`occurredAt` in the tenant's time zone, RFC 3339 with its offset and three fraction digits.";

    private Activity() {
    }

    /** One money movement of a wallet, as the ledger recorded it. Fields without a value are absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ActivityRow", description = "One money movement of a wallet, from the ledger. Fields without a value are absent.")
    public record Row(
            @Schema(description = "When the movement happened (Redis' clock), RFC 3339 UTC.") Instant occurredAt,
            @Schema(description = LOCAL_TIME, examples = "2026-11-22T23:47:54.967+05:45") String localTime,
            @Schema(description = "`debit.approved`, `debit.reversed`, `wallet.credited` or `topup.applied`.",
                    examples = "debit.approved") String type,
            @Schema(description = "The wallet.") String walletId,
            @Schema(description = "The movement's place in its wallet's sequence of events (`seq` of the event).") long seq,
            @Schema(description = "The wallet's currency: the unit of both amounts.", examples = "USD") String currency,
            @Schema(description = "What the movement did to the balance, in micros: negative for a debit, positive for a reversal, "
                    + "a credit or a top-up (0 for free usage).", examples = "-158000") long amountMicros,
            @Schema(description = "The balance after the movement, in micros; may be negative.") long balanceAfterMicros,
            @Schema(description = "The item priced (debits by item, and their reversals).", examples = "sms") String item,
            @Schema(description = "Units of the item (debits by item).") Long quantity,
            @Schema(description = "The unit price applied (debits by item): `−amountMicros = quantity × unitPriceMicros`.") Long unitPriceMicros,
            @Schema(description = "The channel the debit named (debits, and their reversals).") String channel,
            @Schema(description = "The `user` the debit named.") String user,
            @Schema(description = "The `reference` entries the debit carried.") Map<String, String> reference,
            @Schema(description = "The debit (`debit.approved`), or the debit reversed (`debit.reversed`).") String debitId,
            @Schema(description = "The reversal (`debit.reversed`).") String reversalId,
            @Schema(description = "The credit (`wallet.credited`).") String creditId,
            @Schema(description = "The top-up (`topup.applied`).") String topUpId,
            @Schema(description = "The reason given with a reversal or a credit.") String reason,
            @Schema(description = "The API key that acted (debits, reversals, credits).") String keyId,
            @Schema(description = "The event's id (`evt_…`), unique.") String eventId) {
    }

    /** A page of the activity log, newest first. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ActivityPage", description = "A page of the activity log, newest first.")
    public record Page(
            @Schema(description = "The movements of this page, newest first: a tenant's by time (then wallet and seq), a wallet's by "
                    + "seq. At most `limit`; fewer, even none, when the page read its most ledger rows before it found `limit` "
                    + "(with `nextCursor` to go on).") List<Row> items,
            @Schema(description = "Pass it as `cursor`, with the same filters, for the next page; absent when there is nothing more.")
            String nextCursor,
            @Schema(description = "The tenant's IANA time zone, in which `localTime` is given.", examples = "Asia/Kathmandu") String timeZone,
            @Schema(description = AS_OF) Instant asOf) {
    }

    /** A reversal of a debit, as the ledger recorded it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DebitReversal", description = "A reversal of the debit, from the ledger.")
    public record Reversal(
            @Schema(description = "The reversal (`rv_…`).") String reversalId,
            @Schema(description = "What it gave back, in micros.") long amountMicros,
            @Schema(description = "The balance after it, in micros.") long balanceAfterMicros,
            @Schema(description = "Its place in the wallet's sequence.") long seq,
            @Schema(description = "When it happened, RFC 3339 UTC.") Instant occurredAt,
            @Schema(description = LOCAL_TIME) String localTime,
            @Schema(description = "The reason given with it.") String reason,
            @Schema(description = "The API key that reversed.") String keyId) {
    }

    /** Where the debit is in the ledger: always {@code recorded} (a debit not in the ledger is not found). */
    @Schema(name = "DebitLedgerState", description = "The debit's place in the ledger.")
    public record LedgerState(
            @Schema(description = "`recorded`: the ledger holds the debit (one not in the ledger is answered 404 `debit-not-found`).",
                    examples = "recorded") String state,
            @Schema(description = "The debit's place in its wallet's sequence of events.") long seq) {
    }

    /** An approved debit, with what its reversals gave back so far. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DebitView", description = "An approved debit as the ledger holds it, with its reversals. Fields without a value are absent.")
    public record Debit(
            @Schema(description = "The debit (`db_…`).") String debitId,
            @Schema(description = "The wallet debited.") String walletId,
            @Schema(description = "The wallet's currency.", examples = "USD") String currency,
            @Schema(description = "The amount taken, in micros (0 for free usage).") long amountMicros,
            @Schema(description = "What its reversals gave back so far, in micros (the sum of `reversals`).") long reversedMicros,
            @Schema(description = "`amountMicros − reversedMicros`: what the debit still costs.") long netMicros,
            @Schema(description = "The balance right after the debit, in micros.") long balanceAfterMicros,
            @Schema(description = "The item priced (debits by item).", examples = "sms") String item,
            @Schema(description = "Units of the item.") Long quantity,
            @Schema(description = "The unit price applied.") Long unitPriceMicros,
            @Schema(description = "Which price of the rate card applied: `item`, `destination` or `inbound`.") String priceBasis,
            @Schema(description = "The destination sent with the debit (ISO 3166-1 alpha-2).") String destinationCountry,
            @Schema(description = "`automated` or `manual`.") String origin,
            @Schema(description = "`outbound` or `inbound`.") String direction,
            @Schema(description = "Recorded with `force` (or inbound): usage that had already happened.") Boolean forced,
            @Schema(description = "The channel the debit named.") String channel,
            @Schema(description = "The `user` the debit named.") String user,
            @Schema(description = "The `reference` entries the debit carried.") Map<String, String> reference,
            @Schema(description = "The API key that debited.") String keyId,
            @Schema(description = "When the debit was approved, RFC 3339 UTC.") Instant occurredAt,
            @Schema(description = LOCAL_TIME) String localTime,
            @Schema(description = "The debit's reversals in the ledger, oldest first.") List<Reversal> reversals,
            @Schema(description = "The debit's place in the ledger.") LedgerState ledger,
            @Schema(description = AS_OF + " Absent on the items of a search, which carries its own.") Instant asOf) {

        Debit withAsOf(Instant at) {
            return new Debit(debitId, walletId, currency, amountMicros, reversedMicros, netMicros, balanceAfterMicros, item, quantity,
                    unitPriceMicros, priceBasis, destinationCountry, origin, direction, forced, channel, user, reference, keyId,
                    occurredAt, localTime, reversals, ledger, at);
        }
    }

    /** The debits that carry a reference entry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DebitSearch", description = "The debits of the last 24 months that carry a reference entry, newest first.")
    public record Search(
            @Schema(description = "The debits, newest first, at most `limit`.") List<Debit> items,
            @Schema(description = "True when more debits carry the entry than `limit` allowed to show.") boolean more,
            @Schema(description = AS_OF) Instant asOf) {
    }
}
