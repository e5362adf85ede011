package io.tollgate.funding;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Ids;
import io.tollgate.infra.Times;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.wallet.WalletRequests;
import io.tollgate.wallet.WalletService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Manual top-ups: the owner asks for a quote (amount, fee, total), then confirms it; the top-up is then pending until
 * the provider settles the charge (TopUpProcessor) and the funds are applied once.
 *
 * <p>Errors: {@code invalid-request}, {@code amount-out-of-range}, {@code wallet-not-found},
 * {@code payment-method-not-found}, {@code no-payment-method}, {@code quote-not-found}, {@code quote-expired},
 * {@code quote-used}, {@code invalid-idempotency-key}, {@code idempotency-conflict}, {@code top-up-not-found}.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class TopUpService {
    static final int LIST_MAX = 100;

    private final WalletService wallets;
    private final PaymentMethodService methods;
    private final FundingConfig.TopUps config;

    public record Confirmed(TopUp.View topUp, boolean replayed) {
    }

    public TopUpService(WalletService wallets, PaymentMethodService methods, FundingConfig config) {
        this.wallets = wallets;
        this.methods = methods;
        this.config = config.topups();
        if (this.config.minMicros() < 1 || this.config.maxMicros() < this.config.minMicros()
                || this.config.maxMicros() > io.tollgate.pricing.Pricing.MAX_MICROS || this.config.feeBasisPoints() < 0 || this.config.feeBasisPoints() > 10_000 || this.config.feeFixedMicros() < 0) {
            throw new IllegalArgumentException("tollgate.funding.topups: need 1 <= min <= max, fee basis points 0..10000, fixed fee >= 0");
        }
    }

    public Uni<TopUpQuote.View> quote(String tenantId, String walletId, TopUpRequests.Quote request) {
        if (request == null) {
            throw invalid("a body is required");
        }
        WalletRequests.requireAmount("amountMicros", request.amountMicros());
        long amount = request.amountMicros();
        if (amount < config.minMicros() || amount > config.maxMicros()) {
            throw new ProblemException(ProblemType.AMOUNT_OUT_OF_RANGE,
                    "a manual top-up is " + config.minMicros() + ".." + config.maxMicros() + " micros");
        }
        if (request.paymentMethodId() != null && !Ids.isWellFormed(request.paymentMethodId())) {
            throw PaymentMethodService.notFound(request.paymentMethodId());
        }
        return wallets.ref(tenantId, walletId).chain(wallet -> {
            if (amount % Money.microsPerMinor(wallet.currency()) != 0) {
                throw invalid("amountMicros must be a whole number of " + wallet.currency() + " minor units ("
                        + Money.microsPerMinor(wallet.currency()) + " micros)");
            }
            return method(tenantId, request.paymentMethodId()).chain(method -> {
                TopUpQuote quote = new TopUpQuote();
                quote.id = Ids.newId("q_");
                quote.tenantId = tenantId;
                quote.walletId = walletId;
                quote.currency = wallet.currency();
                quote.amountMicros = amount;
                quote.feeMicros = fee(amount, wallet.currency());
                quote.paymentMethodId = method.id;
                quote.expiresAt = Times.nowUtc().plus(config.quoteTtl());
                return Panache.withTransaction(quote::<TopUpQuote>persist);
            });
        }).map(TopUpQuote::view);
    }

    /** Fee in basis points of the amount plus a fixed part, rounded up to the currency's minor unit. */
    long fee(long amountMicros, String currency) {
        long proportional = Math.multiplyExact(amountMicros, config.feeBasisPoints()) / 10_000; // amount <= max (2^53)
        return Money.ceilToMinor(proportional + config.feeFixedMicros(), currency);
    }

    private Uni<PaymentMethod> method(String tenantId, String methodId) {
        if (methodId != null) {
            return methods.usable(tenantId, methodId);
        }
        return methods.withRole(tenantId, PaymentMethod.Role.DEFAULT).map(found -> found.orElseThrow(() ->
                new ProblemException(ProblemType.NO_PAYMENT_METHOD, "add a payment method and make it the default, or name one")));
    }

    /** Confirms a quote once per Idempotency-Key: the same key and quote answer the same top-up again. */
    public Uni<Confirmed> confirm(String tenantId, String walletId, String idempotencyKey, TopUpRequests.Confirm request) {
        String requestKey = IdempotencyKey.require(tenantId, idempotencyKey);
        if (request == null || request.quoteId() == null || !Ids.isWellFormed(request.quoteId())) {
            throw invalid("quoteId is required");
        }
        return wallets.ref(tenantId, walletId).chain(wallet -> Panache.withTransaction(() ->
                TopUp.<TopUp>find("requestKey", requestKey).firstResult().chain(existing -> existing != null
                        ? Uni.createFrom().item(replay(existing, walletId, request.quoteId()))
                        : create(tenantId, walletId, requestKey, request.quoteId()))));
    }

    private static Confirmed replay(TopUp existing, String walletId, String quoteId) {
        if (!quoteId.equals(existing.quoteId) || !walletId.equals(existing.walletId)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_CONFLICT, "this Idempotency-Key confirmed another quote");
        }
        return new Confirmed(existing.view(), true);
    }

    private Uni<Confirmed> create(String tenantId, String walletId, String requestKey, String quoteId) {
        return TopUpQuote.<TopUpQuote>findById(quoteId).chain(quote -> {
            if (quote == null || !tenantId.equals(quote.tenantId) || !walletId.equals(quote.walletId)) {
                throw new ProblemException(ProblemType.QUOTE_NOT_FOUND, "no quote " + quoteId + " for wallet " + walletId);
            }
            if (quote.expiresAt.isBefore(OffsetDateTime.now())) {
                throw new ProblemException(ProblemType.QUOTE_EXPIRED, "quote " + quoteId + " expired at " + quote.expiresAt);
            }
            return TopUp.count("quoteId", quoteId).chain(used -> {
                if (used > 0) {
                    throw new ProblemException(ProblemType.QUOTE_USED, "quote " + quoteId + " was confirmed already");
                }
                TopUp topUp = newTopUp(tenantId, walletId, TopUp.Kind.MANUAL, quote.currency, quote.amountMicros);
                topUp.feeMicros = quote.feeMicros;
                topUp.paymentMethodId = quote.paymentMethodId;
                topUp.methodSlot = "chosen";
                topUp.quoteId = quoteId;
                topUp.requestKey = requestKey;
                return topUp.<TopUp>persistAndFlush().map(saved -> new Confirmed(saved.view(), false));
            });
        }).onFailure(io.tollgate.infra.db.SqlErrors::isUniqueViolation).transform(f ->
                new ProblemException(ProblemType.QUOTE_USED, "quote " + quoteId + " was confirmed at the same time by another request"));
    }

    static TopUp newTopUp(String tenantId, String walletId, TopUp.Kind kind, String currency, long amountMicros) {
        TopUp topUp = new TopUp();
        topUp.id = Ids.newId("tu_");
        topUp.tenantId = tenantId;
        topUp.walletId = walletId;
        topUp.kind = kind.name().toLowerCase(java.util.Locale.ROOT);
        topUp.state = "pending";
        topUp.currency = currency;
        topUp.amountMicros = amountMicros;
        topUp.methodSlot = "default";
        topUp.nextAttemptAt = Times.nowUtc();
        topUp.updatedAt = topUp.nextAttemptAt;
        topUp.createdAt = topUp.nextAttemptAt;
        return topUp;
    }

    public Uni<TopUp.View> get(String tenantId, String walletId, String topUpId) {
        return wallets.ref(tenantId, walletId).chain(w -> Panache.withSession(() -> TopUp.<TopUp>findById(topUpId)))
                .map(topUp -> Optional.ofNullable(topUp).filter(t -> walletId.equals(t.walletId) && tenantId.equals(t.tenantId))
                        .orElseThrow(() -> new ProblemException(ProblemType.TOPUP_NOT_FOUND, "no top-up " + topUpId)).view());
    }

    /** The wallet's latest top-ups, newest first, at most LIST_MAX. */
    public Uni<List<TopUp.View>> list(String tenantId, String walletId) {
        return wallets.ref(tenantId, walletId).chain(w -> Panache.withSession(() -> TopUp.<TopUp>find(
                        "walletId = ?1 and tenantId = ?2 order by createdAt desc, id desc", walletId, tenantId).page(0, LIST_MAX).list()))
                .map(all -> all.stream().map(TopUp::view).toList());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
