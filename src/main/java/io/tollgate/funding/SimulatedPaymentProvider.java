package io.tollgate.funding;

import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A card processor inside the pod for local runs: no money moves. Latency, decline rate and slow settlement
 * (tollgate.funding.simulated.*) let a developer see every top-up state. Keeps at most CHARGES_MAX charges in memory.
 */
final class SimulatedPaymentProvider implements PaymentProvider {
    static final int CHARGES_MAX = 100_000;

    private record Charge(String id, String key, long settlesAtMillis, ChargeStatus status) {
    }

    private final Vertx vertx;
    private final FundingConfig.Simulated config;
    private final Map<String, Charge> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByKey = new ConcurrentHashMap<>();

    SimulatedPaymentProvider(Vertx vertx, FundingConfig.Simulated config) {
        if (config.declineRate() < 0 || config.declineRate() > 1) {
            throw new IllegalArgumentException("tollgate.funding.simulated.decline-rate must be within 0..1");
        }
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public Uni<ProviderCharge> create(ChargeRequest request) {
        return later(() -> {
            if (byId.size() >= CHARGES_MAX) {
                byId.clear();
                idByKey.clear();
            }
            String id = idByKey.computeIfAbsent(request.idempotencyKey(), k -> Ids.newId("sim_pi_"));
            byId.putIfAbsent(id, new Charge(id, request.idempotencyKey(), 0, ChargeStatus.REQUIRES_CONFIRMATION));
            return view(byId.get(id));
        });
    }

    @Override
    public Uni<ProviderCharge> confirm(String paymentId, String idempotencyKey) {
        return later(() -> {
            Charge charge = byId.computeIfPresent(paymentId, (id, c) -> c.status() != ChargeStatus.REQUIRES_CONFIRMATION ? c
                    : ThreadLocalRandom.current().nextDouble() < config.declineRate()
                            ? new Charge(id, c.key(), 0, ChargeStatus.DECLINED)
                            : new Charge(id, c.key(), System.currentTimeMillis() + config.settlementDelay().toMillis(), ChargeStatus.SUCCEEDED));
            return view(charge);
        });
    }

    @Override
    public Uni<ProviderCharge> retrieve(String paymentId) {
        return later(() -> view(byId.get(paymentId)));
    }

    private ProviderCharge view(Charge charge) {
        if (charge == null) {
            return new ProviderCharge("", ChargeStatus.DECLINED, "no_such_charge", "unknown charge");
        }
        if (charge.status() == ChargeStatus.SUCCEEDED && System.currentTimeMillis() < charge.settlesAtMillis()) {
            return new ProviderCharge(charge.id(), ChargeStatus.PROCESSING, null, null);
        }
        return charge.status() == ChargeStatus.DECLINED
                ? new ProviderCharge(charge.id(), ChargeStatus.DECLINED, "card_declined", "simulated decline")
                : new ProviderCharge(charge.id(), charge.status(), null, null);
    }

    /** Answers after the configured latency on the caller's Vert.x context (a timer, never a sleep). */
    private Uni<ProviderCharge> later(java.util.function.Supplier<ProviderCharge> answer) {
        Duration latency = config.latency();
        if (latency.isZero()) {
            return Uni.createFrom().item(answer);
        }
        return Uni.createFrom().emitter(e -> vertx.setTimer(latency.toMillis(), id -> e.complete(answer.get())));
    }
}
