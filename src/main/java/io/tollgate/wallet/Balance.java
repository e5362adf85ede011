package io.tollgate.wallet;

import io.tollgate.infra.Times;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A wallet's live balance from Redis, the authority for "may I spend": what a pipeline reads to route traffic.
 * {@code availableMicros} is what a manual debit may still take, {@code automatedAvailableMicros} an automated one
 * (negative when the balance is already below that floor); {@code seq} is the wallet's last event, {@code asOf} when
 * it was read.
 */
@Schema(description = "A wallet's live balance, read from Redis.")
public record Balance(
        @Schema(description = "The wallet.") String walletId,
        @Schema(description = "ISO 4217 code of the wallet's currency.", examples = "USD") String currency,
        @Schema(description = "The balance in micros; may be negative.") long balanceMicros,
        @Schema(description = "What a manual debit may still take: balance − floor.") long availableMicros,
        @Schema(description = "What an automated debit may still take (down to the automation floor unless auto-recharge is "
                + "on); negative when the balance is already below it.") long automatedAvailableMicros,
        @Schema(description = "`active`, or `suspended` (outbound debits are declined).") WalletStatus status,
        @Schema(description = "Sequence number of the wallet's last event.") long seq,
        @Schema(description = "When the balance was read.") Instant asOf) {

    static Balance of(Wallet wallet) {
        return new Balance(wallet.id(), wallet.currency(), wallet.balanceMicros(), wallet.availableMicros(),
                wallet.automatedAvailableMicros(), wallet.status(), wallet.seq(), Times.now());
    }
}
