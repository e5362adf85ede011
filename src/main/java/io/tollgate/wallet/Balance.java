package io.tollgate.wallet;

import io.tollgate.infra.Times;
import java.time.Instant;

/**
 * A wallet's live balance from Redis, the authority for "may I spend": what a pipeline reads to route traffic.
 * {@code availableMicros} is what a manual debit may still take, {@code automatedAvailableMicros} an automated one
 * (negative when the balance is already below that floor); {@code seq} is the wallet's last event, {@code asOf} when
 * it was read.
 */
public record Balance(String walletId, String currency, long balanceMicros, long availableMicros,
        long automatedAvailableMicros, WalletStatus status, long seq, Instant asOf) {

    static Balance of(Wallet wallet) {
        return new Balance(wallet.id(), wallet.currency(), wallet.balanceMicros(), wallet.availableMicros(),
                wallet.automatedAvailableMicros(), wallet.status(), wallet.seq(), Times.now());
    }
}
