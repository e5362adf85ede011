package io.tollgate.debit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tollgate.pricing.Price;
import io.tollgate.wallet.Wallet;
import io.tollgate.wallet.WalletStatus;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * "Can I afford this?" answered without taking money: the decision debit.lua would make now for the same request,
 * with the price, and for a debit by item how many units of it the wallet could pay for now. Advisory: nothing is
 * reserved, so a debit sent afterwards is decided on the balance it then finds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "The decision a debit with this body would get now; nothing was taken.")
public record DebitCheck(
        @Schema(description = "The wallet checked.") String walletId,
        @Schema(description = "The wallet's currency (ISO 4217), in which every amount of the answer is.", examples = "USD") String currency,
        @Schema(description = "`approved` or `declined`: what a debit would get now.", enumeration = {"approved", "declined"}) String decision,
        @Schema(description = "The amount the debit would take, in micros (priced from the rate card for an item).") long amountMicros,
        @Schema(description = "The balance the check was made on.") long balanceMicros,
        @Schema(description = "Approved: the balance the debit would leave; declined: the unchanged balance.") long balanceAfterMicros,
        @Schema(description = "Debits by item: how the amount was priced.") Price price,
        @Schema(description = "Debits by item that a floor limits: how many units at this unit price the wallet could pay for "
                + "now with the same origin (at most 1,000,000; 0 when suspended).") Long affordableQuantity,
        @Schema(description = "Declined: why.") DeclineReason reason,
        @Schema(description = "Declined: a sentence that says what was checked, with the numbers.") String message,
        @Schema(description = "Declined by a floor: the floor the balance after the debit would fall below.") Long floorMicros,
        @Schema(description = "Declined by a floor: how much more the balance needs for this debit to pass.") Long shortfallMicros,
        @Schema(description = "When the wallet was read.") Instant asOf) {

    /**
     * debit.lua's rules (docs/concepts/money.md#how-a-debit-is-decided) applied to a wallet as read: forced and
     * inbound debits always pass; otherwise a suspended wallet declines, then the floor, then (automated, auto-recharge
     * off) the automation floor.
     */
    static DebitCheck of(Wallet w, DebitRequest request, long amountMicros, Price price, Instant asOf) {
        boolean free = request.forced() || request.directionOrDefault() == DebitRequest.Direction.inbound;
        boolean automated = request.originOrDefault() == DebitRequest.Origin.automated;
        long floor = limit(w, automated);
        long balance = w.balanceMicros();
        DeclineReason reason = null;
        Long checked = null;
        if (!free && w.status() != WalletStatus.ACTIVE) {
            reason = DeclineReason.WALLET_SUSPENDED;
        } else if (!free && balance - amountMicros < w.floorMicros()) {
            reason = DeclineReason.INSUFFICIENT_FUNDS;
            checked = w.floorMicros();
        } else if (!free && floor > w.floorMicros() && balance - amountMicros < floor) {
            reason = DeclineReason.AUTOMATION_FLOOR;
            checked = floor;
        }
        Long affordable = price == null || free ? null : affordableQuantity(w, price.unitPriceMicros(), floor);
        if (reason == null) {
            return new DebitCheck(w.id(), w.currency(), "approved", amountMicros, balance, balance - amountMicros, price,
                    affordable, null, null, null, null, asOf);
        }
        Long shortfall = checked == null ? null : checked - (balance - amountMicros);
        return new DebitCheck(w.id(), w.currency(), "declined", amountMicros, balance, balance, price, affordable, reason,
                reason.explain(amountMicros, balance, checked, w.currency()), checked, shortfall, asOf);
    }

    /** The floor this traffic stops at: the automation floor binds automated traffic unless auto-recharge is on. */
    private static long limit(Wallet w, boolean automated) {
        return automated && !w.autoRecharge().enabled() ? Math.max(w.floorMicros(), w.automationFloorMicros()) : w.floorMicros();
    }

    /** Units at this unit price that fit above the floor, at most a debit's largest quantity; 0 when suspended. */
    private static long affordableQuantity(Wallet w, long unitPriceMicros, long floorMicros) {
        if (w.status() != WalletStatus.ACTIVE) {
            return 0;
        }
        long room = w.balanceMicros() - floorMicros;
        if (unitPriceMicros == 0) {
            return room >= 0 ? DebitRequest.QUANTITY_MAX : 0;
        }
        return Math.max(0, Math.min(DebitRequest.QUANTITY_MAX, Math.floorDiv(room, unitPriceMicros)));
    }
}
