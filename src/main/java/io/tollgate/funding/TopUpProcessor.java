package io.tollgate.funding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tollgate.alert.Alert;
import io.tollgate.alert.AlertService;
import io.tollgate.alert.AlertType;
import io.tollgate.funding.PaymentProvider.ChargeStatus;
import io.tollgate.funding.PaymentProvider.ProviderCharge;
import io.tollgate.funding.PaymentProvider.ProviderUnavailableException;
import io.tollgate.infra.Ids;
import io.tollgate.infra.Times;
import io.tollgate.infra.Unis;
import io.tollgate.wallet.WalletService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Drives pending top-ups to an end, in every pod: a pod leases a due top-up (so one pod at a time drives it), takes
 * one step and writes where it stands.
 *
 * <p>A step: start a charge (create, store its id, confirm) or, when a charge exists, look it up first. Succeeded →
 * the funds are applied once (idempotent on the top-up id) and the top-up succeeds. Processing → looked up again after
 * settlementPoll, or at once when the provider's webhook nudges it. Declined → the backup method is tried next, else
 * the default again after declineRetryDelay; after maxConsecutiveFailures declines the top-up fails and, for
 * auto-recharge, auto-recharge is turned off and marked failing. A timeout or 5xx never counts as a decline and never
 * starts a second charge: the same charge is looked up and confirmed again under the same idempotency key, with
 * backoff. A pod that dies mid-step loses its lease and another pod resumes from the stored charge id.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class TopUpProcessor {
    private static final Logger LOG = Logger.getLogger(TopUpProcessor.class);
    static final int CONCURRENCY = 4;
    static final int KEY_RETRIES = 3;
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);

    private final PaymentProvider provider;
    private final PaymentMethodService methods;
    private final WalletService wallets;
    private final AlertService alerts;
    private final FundingConfig config;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private volatile boolean ready;

    /** Another step of the same top-up started after this one lost its lease: stop without writing. */
    static final class LostLease extends RuntimeException {
        LostLease() {
            super("lease lost", null, false, false);
        }
    }

    public TopUpProcessor(PaymentProvider provider, PaymentMethodService methods, WalletService wallets, AlertService alerts,
            FundingConfig config, Vertx vertx, MeterRegistry metrics) {
        this.provider = provider;
        this.methods = methods;
        this.wallets = wallets;
        this.alerts = alerts;
        this.config = config;
        this.vertx = vertx;
        this.metrics = metrics;
        FundingConfig.Worker w = config.worker();
        if (w.batchSize() < 1 || w.batchSize() > 1000 || w.lease().compareTo(Duration.ofSeconds(1)) < 0
                || config.automatic().maxConsecutiveFailures() < 1 || config.automatic().maxConsecutiveFailures() > 100
                || config.automatic().dailyMaxCharges() < 1 || config.stripe().timeout().compareTo(w.lease()) >= 0) {
            throw new IllegalArgumentException("tollgate.funding: worker batch 1..1000, lease >= 1s and above stripe.timeout, max failures 1..100, daily max >= 1");
        }
    }

    /** After the migrations (which observe the same event at the default priority): the scheduler starts earlier. */
    void started(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000)
            io.quarkus.runtime.StartupEvent event) {
        ready = true;
    }

    void stopping(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        ready = false;
    }

    @Scheduled(every = "${tollgate.funding.worker.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!ready) {
            return Uni.createFrom().voidItem();
        }
        String token = Ids.newId("lease_");
        return claim(token).ifNoItem().after(CLAIM_TIMEOUT).fail().chain(ids -> Multi.createFrom().iterable(ids)
                .onItem().transformToUni(id -> onOwnContext(() -> drive(id, token))).merge(CONCURRENCY)
                .collect().last()).replaceWithVoid();
    }

    /** Leases up to batchSize due top-ups for this tick. */
    Uni<List<String>> claim(String token) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                update top_up set lease_until = now() + (?1 * interval '1 millisecond'), lease_token = ?2
                where id in (select id from top_up where state = 'pending' and next_attempt_at <= now()
                             and (lease_until is null or lease_until < now())
                             order by next_attempt_at limit ?3 for update skip locked)
                returning id""", String.class)
                .setParameter(1, config.worker().lease().toMillis()).setParameter(2, token)
                .setParameter(3, config.worker().batchSize()).getResultList()));
    }

    /**
     * Each top-up runs on its own duplicated Vert.x context: Hibernate Reactive keeps one session per context, and the
     * answers of Redis and the provider are brought back to it before the next database step.
     */
    private <T> Uni<T> onOwnContext(java.util.function.Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        // deferred: a step that throws instead of failing must fail this Uni, not leave it (and the tick, which the
        // scheduler skips while it runs) waiting for ever
        return Uni.createFrom().<Uni<T>>emitter(e -> context.runOnContext(x -> e.complete(Uni.createFrom().<T>deferred(() -> work.get()))))
                .chain(u -> u)
                // A step never holds the tick longer than its lease: after that another pod may take the top-up anyway.
                .ifNoItem().after(config.worker().lease()).failWith(() -> new java.util.concurrent.TimeoutException(
                        "a top-up step took longer than its lease " + config.worker().lease()))
                .onFailure().invoke(f -> LOG.warnf("top-up step failed: %s", f.toString()))
                .onFailure().recoverWithNull();
    }

    Uni<Void> drive(String id, String token) {
        return Panache.withSession(() -> TopUp.<TopUp>findById(id)).chain(t -> {
            if (t == null || !t.is(TopUp.State.PENDING) || !token.equals(t.leaseToken)) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> step = t.providerPaymentId == null ? startCharge(t, token)
                    : Unis.onCallersContext(provider.retrieve(t.providerPaymentId)).chain(c -> c.status() == ChargeStatus.REQUIRES_CONFIRMATION
                            ? confirm(t, token) : settle(t, token, c));
            return step.onFailure(f -> !(f instanceof LostLease)).recoverWithUni(f -> retryLater(t, token, f));
        }).onFailure(LostLease.class).recoverWithNull();
    }

    private Uni<Void> startCharge(TopUp t, String token) {
        return method(t).chain(found -> {
            if (found.isEmpty()) {
                return declined(t, token, new ProviderCharge(null, ChargeStatus.DECLINED, "no_payment_method",
                        "no usable payment method for slot " + t.methodSlot));
            }
            PaymentMethod method = found.get();
            int attempt = t.attempt + 1;
            String key = "tg_" + t.id + "_" + attempt + generation(t);
            long minor = Money.toMinor(t.amountMicros + t.feeMicros, t.currency);
            var request = new PaymentProvider.ChargeRequest(key, minor, t.currency, method.providerRef, method.customerRef, t.id);
            return Unis.onCallersContext(provider.create(request)).chain(charge -> {
                if (charge.status() == ChargeStatus.DECLINED) {
                    return declined(t, token, charge);
                }
                return save(t.id, token, row -> {
                    row.attempt = attempt;
                    row.providerPaymentId = charge.paymentId();
                    row.providerStatus = charge.status().name().toLowerCase();
                }).call(row -> recordCharge(row, method.id, key, minor, charge)).chain(row -> confirm(row, token));
            });
        });
    }

    private Uni<Void> confirm(TopUp t, String token) {
        return Unis.onCallersContext(provider.confirm(t.providerPaymentId, "tg_" + t.id + "_" + t.attempt + "_confirm" + generation(t)))
                .chain(charge -> charge.status() == ChargeStatus.REQUIRES_CONFIRMATION
                        ? retryLater(t, token, new ProviderUnavailableException("charge still needs confirmation"))
                        : settle(t, token, charge));
    }

    private Uni<Void> settle(TopUp t, String token, ProviderCharge charge) {
        return switch (charge.status()) {
            case SUCCEEDED -> succeeded(t, token);
            case PROCESSING -> save(t.id, token, row -> {
                row.providerStatus = "processing";
                row.transientErrors = 0;
                release(row, config.worker().settlementPoll());
            }).replaceWithVoid();
            case DECLINED -> declined(t, token, charge);
            case REQUIRES_CONFIRMATION -> confirm(t, token);
        };
    }

    private Uni<Void> succeeded(TopUp t, String token) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("kind", t.kind);
        detail.put("feeMicros", t.feeMicros);
        detail.put("providerPaymentId", t.providerPaymentId);
        return Unis.onCallersContext(wallets.applyTopUp(t.tenantId, t.walletId, t.id, t.amountMicros, detail))
                .chain(credit -> save(t.id, token, row -> {
                    row.state = "succeeded";
                    row.providerStatus = "succeeded";
                    row.failures = 0;
                    row.settledAt = now();
                    release(row, Duration.ZERO);
                }).call(row -> updateCharge(row.providerPaymentId, "succeeded", null)).invoke(row -> {
                    topUps(row.kind, "succeeded").increment();
                    LOG.infof("top-up %s (%s) of wallet %s succeeded: +%d micros, balance %d", row.id, row.kind, row.walletId,
                            row.amountMicros, credit.balanceAfterMicros());
                }).chain(row -> alert(row, AlertType.TOPUP_SUCCEEDED, "topup-succeeded:" + row.id, Map.of(
                        "topUpId", row.id, "kind", row.kind, "amountMicros", row.amountMicros, "currency", row.currency,
                        "balanceAfterMicros", credit.balanceAfterMicros()))));
    }

    private Uni<Void> declined(TopUp t, String token, ProviderCharge charge) {
        int failures = t.failures + 1;
        String reason = charge.declineCode() + (charge.message() == null ? "" : ": " + charge.message());
        boolean giveUp = t.kind() == TopUp.Kind.MANUAL || failures >= config.automatic().maxConsecutiveFailures();
        Uni<Optional<PaymentMethod>> backup = t.methodSlot.equals("default")
                ? methods.withRole(t.tenantId, PaymentMethod.Role.BACKUP) : Uni.createFrom().item(Optional.empty());
        return backup.chain(b -> save(t.id, token, row -> {
            row.failures = failures;
            row.failureReason = truncate(reason);
            row.providerStatus = "declined";
            row.providerPaymentId = null;
            if (giveUp) {
                row.state = "failed";
                row.settledAt = now();
                release(row, Duration.ZERO);
            } else if (b.isPresent() && !b.get().id.equals(row.paymentMethodId)) {
                row.methodSlot = "backup"; // a hard decline tries the backup method at once
                release(row, Duration.ZERO);
            } else {
                row.methodSlot = "default";
                release(row, config.automatic().declineRetryDelay());
            }
        })).call(row -> charge.paymentId() == null ? Uni.createFrom().voidItem() : updateCharge(charge.paymentId(), "declined", charge.declineCode()))
                .chain(row -> {
                    Counter.builder("tollgate.funding.charges.declined").description("Top-up charges the payment provider declined, by kind")
                            .tag("kind", row.kind).register(metrics).increment();
                    LOG.warnf("top-up %s (%s) of wallet %s: charge declined (%s), %d in a row%s", row.id, row.kind, row.walletId,
                            reason, failures, giveUp ? "; giving up" : "");
                    return giveUp ? failed(row) : Uni.createFrom().voidItem();
                });
    }

    private Counter topUps(String kind, String outcome) {
        return Counter.builder("tollgate.funding.topups").description("Top-ups settled, by kind and outcome (succeeded, failed)")
                .tags("kind", kind, "outcome", outcome).register(metrics);
    }

    /** The top-up gave up: auto-recharge is turned off and the owner told once; other kinds tell the top-up failed. */
    private Uni<Void> failed(TopUp row) {
        topUps(row.kind, "failed").increment();
        Map<String, Object> details = Map.of("topUpId", row.id, "kind", row.kind, "amountMicros", row.amountMicros,
                "currency", row.currency, "failures", row.failures, "reason", String.valueOf(row.failureReason));
        if (row.kind() == TopUp.Kind.AUTO) {
            return Unis.onCallersContext(wallets.markAutoRechargeFailing(row.tenantId, row.walletId, "top-up " + row.id + " failed " + row.failures + " times"))
                    .chain(() -> alert(row, AlertType.AUTO_RECHARGE_DISABLED, "auto-recharge-disabled:" + row.id, details));
        }
        return alert(row, AlertType.TOPUP_FAILED, "topup-failed:" + row.id, details);
    }

    /** Outcome unknown (timeout, 5xx, wallet unreachable): try the same step again later, with backoff. */
    private Uni<Void> retryLater(TopUp t, String token, Throwable failure) {
        int errors = t.transientErrors + 1;
        long firstMillis = config.worker().transientRetryFirst().toMillis();
        long waitMillis = Math.min(config.worker().transientRetryMax().toMillis(), firstMillis << Math.min(errors - 1, 20));
        LOG.warnf("top-up %s: %s; retrying in %d ms (the same charge, the same idempotency key)", t.id, failure.toString(), waitMillis);
        Counter.builder("tollgate.funding.provider.unavailable")
                .description("Top-up steps whose outcome was unknown (provider timeout or 5xx), retried with the same idempotency key")
                .register(metrics).increment();
        return save(t.id, token, row -> {
            row.transientErrors = errors;
            release(row, Duration.ofMillis(waitMillis));
        }).replaceWithVoid();
    }

    /**
     * Retries reuse the same idempotency key; but a provider replays a stored 5xx for a key forever (Stripe does), so
     * after every KEY_RETRIES transient errors a new key is used. That can never charge twice: a new create only makes
     * another unconfirmed charge, and a charge that is confirmed again succeeds at most once.
     */
    static String generation(TopUp t) {
        int generation = t.transientErrors / KEY_RETRIES;
        return generation == 0 ? "" : "_r" + generation;
    }

    private Uni<Optional<PaymentMethod>> method(TopUp t) {
        if (t.methodSlot.equals("backup")) {
            return methods.withRole(t.tenantId, PaymentMethod.Role.BACKUP);
        }
        if (t.paymentMethodId != null) {
            Uni<Optional<PaymentMethod>> chosen = methods.usable(t.tenantId, t.paymentMethodId).map(Optional::of);
            // A deleted chosen method: a manual top-up has no other; an automatic one falls back to the default.
            return chosen.onFailure().recoverWithUni(f -> t.methodSlot.equals("chosen") ? Uni.createFrom().item(Optional.empty())
                    : methods.withRole(t.tenantId, PaymentMethod.Role.DEFAULT));
        }
        return methods.withRole(t.tenantId, PaymentMethod.Role.DEFAULT);
    }

    private Uni<Void> alert(TopUp row, AlertType type, String dedupeKey, Map<String, Object> details) {
        return Unis.onCallersContext(alerts.raise(new Alert(row.tenantId, row.walletId, type, dedupeKey, details)))
                .onFailure().invoke(f -> LOG.errorf("could not raise %s for top-up %s: %s", type, row.id, f.toString()))
                .onFailure().recoverWithNull();
    }

    /** Writes a change if this step still holds the lease; otherwise stops the step (LostLease). */
    private Uni<TopUp> save(String id, String token, Consumer<TopUp> change) {
        return Panache.withTransaction(() -> TopUp.<TopUp>findById(id).map(row -> {
            if (row == null || !token.equals(row.leaseToken) || !row.is(TopUp.State.PENDING)) {
                throw new LostLease();
            }
            change.accept(row);
            row.updatedAt = now();
            return row;
        }));
    }

    private static void release(TopUp row, Duration wait) {
        row.nextAttemptAt = now().plus(wait);
        row.leaseUntil = null;
        row.leaseToken = null;
    }

    private Uni<Void> recordCharge(TopUp row, String methodId, String key, long minor, ProviderCharge charge) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                insert into top_up_charge (provider_payment_id, top_up_id, attempt, payment_method_id, idempotency_key, amount_minor, status)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict (provider_payment_id) do nothing""")
                .setParameter(1, charge.paymentId()).setParameter(2, row.id).setParameter(3, row.attempt).setParameter(4, methodId)
                .setParameter(5, key).setParameter(6, minor).setParameter(7, charge.status().name().toLowerCase())
                .executeUpdate())).replaceWithVoid();
    }

    private Uni<Void> updateCharge(String paymentId, String status, String declineCode) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "update top_up_charge set status = ?1, decline_code = ?2, updated_at = now() where provider_payment_id = ?3")
                .setParameter(1, status).setParameter(2, declineCode).setParameter(3, paymentId).executeUpdate())).replaceWithVoid();
    }

    private static String truncate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300);
    }

    private static OffsetDateTime now() {
        return Times.nowUtc();
    }
}
