package io.tollgate.alert;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Tunables of the alert feature, each with its limit (checked at start by {@link AlertDispatcher}). */
@ConfigMapping(prefix = "tollgate.alerts")
public interface AlertsConfig {

    /** Whether this pod reads the wallet events for low-balance and depleted alerts (group tollgate-alerts). */
    @WithDefault("true")
    boolean consumerEnabled();

    /** How often the dispatcher looks for due deliveries besides being signalled (a scheduler interval, at least 1s; retries also wake it when they fall due). */
    @WithDefault("1s")
    String dispatchEvery();

    /** Deliveries claimed per database round trip, 1..1000. */
    @WithDefault("100")
    int batchSize();

    /** Deliveries being sent at once per pod, 1..1024: bounds sockets and memory whatever endpoints do. */
    @WithDefault("64")
    int maxInFlight();

    /** Deliveries being sent at once per pod to one target, 1..64: a slow endpoint holds at most this many slots. */
    @WithDefault("2")
    int maxInFlightPerTarget();

    /** The longest a webhook request may take, connect included; 1 s .. 60 s. */
    @WithDefault("5S")
    Duration webhookTimeout();

    /**
     * Networks (CIDR, at most 32) whose internal addresses webhooks may be sent to all the same, for a receiver inside
     * your own network. By default none: a webhook goes only to public unicast addresses (see WebhookTargets).
     */
    Optional<List<String>> webhookAllowedNetworks();

    /** The longest an email handover to the SMTP server may take; 1 s .. 120 s. */
    @WithDefault("30S")
    Duration emailTimeout();

    /** Attempts per delivery before it is marked failed, 1..50. */
    @WithDefault("8")
    int maxAttempts();

    /** The wait before the second attempt; doubled after every failure up to backoffMax. */
    @WithDefault("10S")
    Duration backoffFirst();

    @WithDefault("1H")
    Duration backoffMax();

    /** The sender of alert emails. */
    @WithDefault("Tollgate alerts <alerts@tollgate.invalid>")
    String emailFrom();

    /** How long the event consumer trusts the low-balance levels it read for a wallet; a change is seen after at most this. */
    @WithDefault("5S")
    Duration levelsCacheTtl();

    /** (wallet, level, day) triples remembered as already raised, per pod; a full set starts over (the database still dedupes). */
    @WithDefault("100000")
    int rememberedMax();

    /** Events older than this raise no alert: a consumer catching up on old history should not page anyone. */
    @WithDefault("1H")
    Duration eventMaxAge();
}
