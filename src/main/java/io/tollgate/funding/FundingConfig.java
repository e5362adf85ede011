package io.tollgate.funding;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Top-ups, automatic recharges and the payment provider. Limits are checked at start (FundingLimits). */
@ConfigMapping(prefix = "tollgate.funding")
public interface FundingConfig {

    /** simulated (local runs: no money moves) or stripe (a Stripe-compatible PaymentIntents API). */
    @WithDefault("simulated")
    String provider();

    Simulated simulated();

    Stripe stripe();

    TopUps topups();

    Automatic automatic();

    Worker worker();

    /** The consumer of wallet events that starts automatic and emergency top-ups. */
    @WithDefault("true")
    boolean consumerEnabled();

    interface Simulated {
        /** How long each provider call takes. */
        @WithDefault("100ms")
        Duration latency();

        /** Share of charges declined, 0.0..1.0. */
        @WithDefault("0.0")
        double declineRate();

        /** Charges stay processing this long before they succeed (seed products: adding funds can take up to 30 min). */
        @WithDefault("0s")
        Duration settlementDelay();
    }

    interface Stripe {
        @WithDefault("https://api.stripe.com")
        String baseUrl();

        /** The secret API key (sk_...). */
        Optional<String> apiKey();

        /** The webhook endpoint's signing secret (whsec_...); without it provider webhooks are refused. */
        Optional<String> webhookSecret();

        /** Each provider call is abandoned after this; the charge is then looked up, never repeated blindly. */
        @WithDefault("10s")
        Duration timeout();

        /** A webhook whose signed timestamp is further than this from now is refused (replay protection). */
        @WithDefault("5m")
        Duration webhookTolerance();
    }

    interface TopUps {
        /** Smallest manual top-up, in micros of the wallet's currency (5 units). */
        @WithDefault("5000000")
        long minMicros();

        /** Largest manual top-up (10,000 units). */
        @WithDefault("10000000000")
        long maxMicros();

        /** Fee on a manual top-up in basis points of the amount (100 = 1 %), added to what the card is charged. */
        @WithDefault("0")
        int feeBasisPoints();

        /** Fixed fee per manual top-up, in micros. */
        @WithDefault("0")
        long feeFixedMicros();

        /** How long a quote can be confirmed. */
        @WithDefault("15m")
        Duration quoteTtl();
    }

    interface Automatic {
        /** Automatic and emergency charges per wallet per UTC day at most; further crossings are skipped. */
        @WithDefault("5")
        int dailyMaxCharges();

        /** Declined charges in a row after which an automatic top-up gives up and auto-recharge is disabled. */
        @WithDefault("3")
        int maxConsecutiveFailures();

        /** Wait before charging the default method again after every method declined. */
        @WithDefault("30m")
        Duration declineRetryDelay();
    }

    interface Worker {
        /** How often pending top-ups are looked for (the scheduler's shortest interval is 1 s). */
        @WithDefault("1s")
        Duration every();

        /** Top-ups one pod drives at once. */
        @WithDefault("16")
        int batchSize();

        /** A pod that died mid-charge hands its top-up to another pod after this. Longer than the provider timeout. */
        @WithDefault("60s")
        Duration lease();

        /** First wait after a provider timeout or 5xx; doubles up to transientRetryMax. */
        @WithDefault("1s")
        Duration transientRetryFirst();

        @WithDefault("5m")
        Duration transientRetryMax();

        /** How often a charge that is still processing is looked up (webhooks usually settle it first). */
        @WithDefault("1m")
        Duration settlementPoll();
    }
}
