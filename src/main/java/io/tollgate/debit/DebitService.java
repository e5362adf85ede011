package io.tollgate.debit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Times;
import io.tollgate.infra.Unis;
import io.tollgate.infra.Ids;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.JsonText;
import io.tollgate.infra.http.Problem;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.RequestHash;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.LuaScript;
import io.tollgate.infra.redis.ScriptOutcome;
import io.tollgate.infra.redis.ScriptRunner;
import io.tollgate.pricing.Price;
import io.tollgate.pricing.Pricing;
import io.tollgate.pricing.RateCardService;
import io.tollgate.wallet.WalletService;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Authorises debits: prices them, then one Lua script per bucket checks idempotency, status and floors, takes the
 * money and appends the events. Single debits that arrive together share script calls ({@link DebitLanes}).
 * Errors: {@code invalid-request}, {@code invalid-idempotency-key}, {@code wallet-not-found}, {@code unknown-item},
 * {@code currency-mismatch}, {@code unknown-channel}, {@code idempotency-conflict}, {@code balance-limit},
 * {@code debit-not-found}, {@code reversal-exceeds-debit}, {@code unavailable}.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class DebitService {
    static final int EVENT_DATA_MAX_BYTES = 8192;

    private final ScriptRunner scripts;
    private final Keys keys;
    private final WalletService wallets;
    private final RateCardService rateCards;
    private final MeterRegistry metrics;
    private final String idempotencyTtlSeconds;
    private final String recordTtlSeconds;
    private final String reversalWindowSeconds;
    private final int batchMaxItems;
    private final DebitLanes lanes;

    /** Decision counters by outcome and replay, created once: a tagged lookup per debit costs more than the count. */
    private final Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    private Counter counter(String outcome, boolean replayed) {
        return counters.computeIfAbsent(outcome + replayed, k -> Counter.builder("tollgate.debit.decisions")
                .description("Debits answered, by outcome (approved or the decline reason); replayed: answered again from the idempotency record")
                .tags("outcome", outcome, "replayed", String.valueOf(replayed)).register(metrics));
    }

    /** A debit priced and checked, ready for its bucket's script call. */
    record Prepared(int index, String walletId, String keyHash, String requestHash, String debitId, long amountMicros,
            DebitRequest request, String data, Price price) {

        /** The price basis code debit.lua keeps in the debit record; "" for a debit by amount. */
        String basisCode() {
            return price == null ? "" : price.basis().code();
        }
    }

    /** A decision and whether it was replayed from the idempotency record. */
    public record Result(Decision decision, boolean replayed) {
    }

    public DebitService(ScriptRunner scripts, Keys keys, WalletService wallets, RateCardService rateCards,
            MeterRegistry metrics, TollgateConfig config) {
        this.scripts = scripts;
        this.keys = keys;
        this.wallets = wallets;
        this.rateCards = rateCards;
        this.metrics = metrics;
        long idempotencyTtl = IdempotencyKey.ttlSeconds(config);
        this.idempotencyTtlSeconds = String.valueOf(idempotencyTtl);
        long windowSeconds = config.debit().reversalWindow().toSeconds();
        if (windowSeconds < 60 || windowSeconds > 31_536_000) {
            throw new IllegalArgumentException("tollgate.debit.reversal-window must be 1m..365d");
        }
        this.reversalWindowSeconds = String.valueOf(windowSeconds);
        // one record per debit serves retries and reversals, so it lives as long as the longer of the two needs
        this.recordTtlSeconds = String.valueOf(Math.max(windowSeconds, idempotencyTtl));
        this.batchMaxItems = config.debit().batchMaxItems();
        if (batchMaxItems < 1 || batchMaxItems > 1000) {
            throw new IllegalArgumentException("tollgate.debit.batch-max-items must be 1..1000 (debit.lua's limit)");
        }
        this.lanes = new DebitLanes(this::execute, keys::bucket,
                config.debit().coalesce().enabled(), config.debit().coalesce().maxItems());
    }

    public Uni<Result> authorise(String tenantId, String keyId, String walletId, String idempotencyKey, DebitRequest request) {
        String keyHash = IdempotencyKey.require(tenantId, idempotencyKey);
        if (request == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "a body is required");
        }
        request.validate("");
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(WalletService.notFound(walletId));
        }
        if (request.amountMicros() != null) { // the common case needs no lookup before its script call
            return lanes.submit(tenantId, prepared(0, walletId, keyHash, keyId, request, request.amountMicros(), null),
                    outcome -> toResult(walletId, request, outcome));
        }
        return prepare(tenantId, keyId, 0, walletId, keyHash, request)
                .chain(prepared -> lanes.submit(tenantId, prepared, outcome -> toResult(walletId, request, outcome)));
    }

    /**
     * "Can I afford this?": the decision a debit with this body would get now, its price, and (by item) how many units
     * the wallet could pay for; takes nothing, writes nothing. Errors: {@code invalid-request}, {@code wallet-not-found},
     * {@code currency-mismatch}, {@code unknown-channel}, {@code unknown-item}, {@code balance-limit}, {@code unavailable}.
     */
    public Uni<DebitCheck> check(String tenantId, String walletId, DebitRequest request) {
        if (request == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "a body is required");
        }
        request.validate("");
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(WalletService.notFound(walletId));
        }
        return wallets.get(tenantId, walletId).chain(wallet -> {
            if (request.currency() != null && !request.currency().equals(wallet.currency())) {
                throw new ProblemException(ProblemType.CURRENCY_MISMATCH, "the wallet holds " + wallet.currency());
            }
            if (request.channel() != null && !wallet.channels().isEmpty() && !wallet.channels().contains(request.channel())) {
                throw new ProblemException(ProblemType.UNKNOWN_CHANNEL, "the wallet allows " + String.join(", ", wallet.channels()));
            }
            Uni<Price> price = request.item() == null ? Uni.createFrom().nullItem()
                    : rateCards.find(tenantId, wallet.currency()).map(card -> Pricing.quote(card, request.item(),
                            request.destinationCountry(), request.directionOrDefault() == DebitRequest.Direction.inbound,
                            request.quantityOrDefault()));
            return price.map(p -> {
                long amount = p == null ? request.amountMicros() : p.amountMicros();
                if (wallet.balanceMicros() - amount < -Pricing.MAX_MICROS) {
                    throw ScriptOutcome.problem("balance_limit");
                }
                return DebitCheck.of(wallet, request, amount, p, Times.now());
            });
        });
    }

    public Uni<BatchResponse> batch(String tenantId, String keyId, BatchRequest batch) {
        if (batch == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "a body is required");
        }
        batch.validate(batchMaxItems);
        List<BatchRequest.Item> items = batch.items();
        List<String> keyHashes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!IdempotencyKey.isValid(items.get(i).idempotencyKey())) {
                throw new ProblemException(ProblemType.INVALID_IDEMPOTENCY_KEY, "items[" + i + "].idempotencyKey must be 1.."
                        + IdempotencyKey.MAX_CHARS + " printable ASCII characters");
            }
            keyHashes.add(IdempotencyKey.require(tenantId, items.get(i).idempotencyKey()));
        }
        // Debits by amount are prepared here and now; only debits priced by item wait for a wallet or rate card lookup.
        Object[] prepared = new Object[items.size()];
        List<Uni<Void>> lookups = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BatchRequest.Item item = items.get(i);
            int index = i;
            if (!Ids.isWellFormed(item.walletId())) {
                prepared[i] = WalletService.notFound(item.walletId()).problem();
            } else if (item.amountMicros() != null) {
                prepared[i] = prepareOrProblem(index, item, keyHashes.get(i), keyId, item.amountMicros());
            } else {
                lookups.add(prepare(tenantId, keyId, i, item.walletId(), keyHashes.get(i), item.debit())
                        .map(p -> (Object) p)
                        .onFailure(ProblemException.class).recoverWithItem(e -> ((ProblemException) e).problem())
                        .invoke(p -> prepared[index] = p).replaceWithVoid());
            }
        }
        Uni<?> ready = Unis.all(lookups);
        return ready.chain(() -> executeByBucket(tenantId, items, java.util.Arrays.asList(prepared)));
    }

    public Uni<Reversal.Result> reverse(String tenantId, String keyId, String walletId, String debitId, String idempotencyKey,
            Reversal.Request request) {
        String keyHash = IdempotencyKey.require(tenantId, idempotencyKey);
        if (request == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "a body is required ({} reverses the whole remaining amount)");
        }
        request.validate();
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(WalletService.notFound(walletId));
        }
        String debitKeyHash = DebitIds.keyHashOf(debitId);
        if (debitKeyHash == null) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.DEBIT_NOT_FOUND, "no debit " + debitId));
        }
        String reversalId = Ids.newId("rv_");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reversalId", reversalId);
        data.put("debitId", debitId);
        data.put("keyId", keyId);
        if (request.reason() != null) {
            data.put("reason", request.reason());
        }
        List<String> scriptKeys = List.of(keys.wallet(walletId), keys.outboxOf(walletId), keys.idempotency(walletId, keyHash),
                keys.idempotency(walletId, debitKeyHash));
        List<String> args = List.of(tenantId, walletId, RequestHash.of("reverse:" + debitId, walletId, request), reversalId,
                debitId, request.amountMicros() == null ? "" : String.valueOf(request.amountMicros()), idempotencyTtlSeconds,
                RequestHash.json(data), reversalWindowSeconds);
        return scripts.run(LuaScript.REVERSE, scriptKeys, args).map(reply -> {
            ScriptOutcome outcome = ScriptOutcome.parse(reply);
            if (outcome.isError()) {
                throw outcome.problem();
            }
            Counter.builder("tollgate.debit.reversals").description("Debit reversals applied; replayed: answered again from the idempotency record")
                    .tag("replayed", String.valueOf(outcome.replayed())).register(metrics).increment();
            return outcome;
        }).chain(outcome -> wallets.ref(tenantId, walletId).map(ref -> new Reversal.Result(outcome.id(), debitId, walletId,
                ref.currency(), outcome.amount(), outcome.balanceAfter(), Long.parseLong(outcome.seq()), outcome.replayed())));
    }

    private Uni<Prepared> prepare(String tenantId, String keyId, int index, String walletId, String keyHash, DebitRequest request) {
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(WalletService.notFound(walletId));
        }
        return priceOf(tenantId, walletId, request)
                .map(price -> prepared(index, walletId, keyHash, keyId, request, price.amountMicros(), price));
    }

    private Object prepareOrProblem(int index, BatchRequest.Item item, String keyHash, String keyId, long amountMicros) {
        try {
            return prepared(index, item.walletId(), keyHash, keyId, item.debit(), amountMicros, null);
        } catch (ProblemException e) {
            return e.problem();
        }
    }

    private static Prepared prepared(int index, String walletId, String keyHash, String keyId, DebitRequest request, long amountMicros,
            Price price) {
        String debitId = DebitIds.newId(keyHash);
        String data = eventData(debitId, request, price, keyId);
        // 130 bits, like the key hash: 38 characters less per script argument and per stored record than hex sha256
        String fingerprint = Ids.sha256Key("debit\n" + walletId + "\n" + fingerprint(request));
        return new Prepared(index, walletId, keyHash, fingerprint, debitId, amountMicros, request, data, price);
    }

    /**
     * A debit by item priced from the rate card of the wallet's currency. Errors: {@code wallet-not-found},
     * {@code currency-mismatch}, {@code unknown-item}, {@code invalid-request} (a total above 2^53−1).
     */
    Uni<Price> priceOf(String tenantId, String walletId, DebitRequest request) {
        return wallets.ref(tenantId, walletId).chain(ref -> {
            if (request.currency() != null && !request.currency().equals(ref.currency())) {
                throw new ProblemException(ProblemType.CURRENCY_MISMATCH, "the wallet holds " + ref.currency());
            }
            return rateCards.find(tenantId, ref.currency()).map(card -> Pricing.quote(card, request.item(),
                    request.destinationCountry(), request.directionOrDefault() == DebitRequest.Direction.inbound,
                    request.quantityOrDefault()));
        });
    }

    /** One script call for debits of one bucket; their outcomes in item order. */
    private Uni<List<ScriptOutcome>> execute(String tenantId, List<Prepared> sameBucket) {
        String walletOfFirst = sameBucket.get(0).walletId();
        List<String> scriptKeys = new ArrayList<>(1 + 2 * sameBucket.size());
        List<String> args = new ArrayList<>(3 + 2 * sameBucket.size());
        scriptKeys.add(keys.outboxOf(walletOfFirst));
        args.add(recordTtlSeconds);
        args.add(String.valueOf(sameBucket.size()));
        args.add(tenantId);
        for (Prepared p : sameBucket) {
            DebitRequest r = p.request();
            scriptKeys.add(keys.wallet(p.walletId()));
            scriptKeys.add(keys.idempotency(p.walletId(), p.keyHash()));
            // One spec string per item (see debit.lua): ids, hashes, numbers and codes never contain '|'.
            args.add(p.walletId() + '|' + p.requestHash() + '|' + p.debitId() + '|' + p.amountMicros() + '|'
                    + r.originOrDefault().name() + '|' + r.directionOrDefault().name() + '|' + (r.forced() ? '1' : '0') + '|'
                    + (r.currency() == null ? "" : r.currency()) + '|' + (r.channel() == null ? "" : r.channel()) + '|'
                    + p.basisCode() + '|' + (r.item() == null ? "" : r.item()));
            args.add(p.data());
        }
        return scripts.run(LuaScript.DEBIT, scriptKeys, args).map(reply -> {
            if (reply.size() != sameBucket.size()) {
                throw new IllegalStateException("debit.lua answered " + reply.size() + " items for " + sameBucket.size());
            }
            List<ScriptOutcome> outcomes = new ArrayList<>(reply.size());
            for (int i = 0; i < reply.size(); i++) {
                Prepared p = sameBucket.get(i);
                outcomes.add(ScriptOutcome.parseDebit(reply.get(i).toString(), p.debitId(), p.amountMicros(), p.basisCode()));
            }
            return outcomes;
        });
    }

    private Uni<BatchResponse> executeByBucket(String tenantId, List<BatchRequest.Item> items, List<Object> prepared) {
        Map<Integer, List<Prepared>> byBucket = new TreeMap<>();
        for (Object p : prepared) {
            if (p instanceof Prepared ready) {
                byBucket.computeIfAbsent(keys.bucket(ready.walletId()), b -> new ArrayList<>()).add(ready);
            }
        }
        Object[] outcomes = prepared.toArray();
        List<Uni<Void>> calls = new ArrayList<>();
        for (List<Prepared> bucket : byBucket.values()) {
            calls.add(execute(tenantId, bucket).invoke(results -> {
                for (int i = 0; i < bucket.size(); i++) {
                    outcomes[bucket.get(i).index()] = results.get(i);
                }
            }).replaceWithVoid());
        }
        return Unis.all(calls).map(done -> assemble(items, outcomes));
    }

    private BatchResponse assemble(List<BatchRequest.Item> items, Object[] outcomes) {
        List<BatchResponse.Result> results = new ArrayList<>(items.size());
        int approved = 0;
        int declined = 0;
        int failed = 0;
        for (int i = 0; i < outcomes.length; i++) {
            String key = items.get(i).idempotencyKey();
            if (outcomes[i] instanceof ScriptOutcome outcome && !outcome.isError()) {
                Result result = toResult(items.get(i).walletId(), items.get(i).debit(), outcome);
                if (result.decision() instanceof Decision.Approved) {
                    approved++;
                } else {
                    declined++;
                }
                results.add(new BatchResponse.Result(i, key, result.replayed(), DebitResponse.of(result.decision()), null));
            } else {
                failed++;
                Problem problem = outcomes[i] instanceof ScriptOutcome outcome ? outcome.problem().problem() : (Problem) outcomes[i];
                results.add(new BatchResponse.Result(i, key, false, null, problem));
            }
        }
        Counter.builder("tollgate.debit.batches").description("Debit batches answered (POST /v1/debit-batches)").register(metrics).increment();
        return new BatchResponse(approved, declined, failed, results);
    }

    private Result toResult(String walletId, DebitRequest request, ScriptOutcome outcome) {
        if (outcome.isError()) {
            throw outcome.problem();
        }
        // From the request and the script's answer only, so a replay answers the same price as the first answer.
        Price price = request.item() == null ? null : Price.recorded(request.item(), request.quantityOrDefault(),
                request.destinationCountry(), Price.Basis.ofCode(outcome.priceBasis()), outcome.amount());
        Decision decision = "approved".equals(outcome.outcome())
                ? new Decision.Approved(walletId, outcome.id().isEmpty() ? null : outcome.id(), outcome.currency(),
                        outcome.amount(), outcome.balanceAfter(), outcome.seqOrNull(), price)
                : new Decision.Declined(walletId, DeclineReason.fromScript(outcome.reason()), outcome.currency(),
                        outcome.amount(), outcome.balanceAfter(), outcome.floorOrNull(), price);
        counter(decision instanceof Decision.Declined d ? d.reason().code() : "approved", outcome.replayed()).increment();
        return new Result(decision, outcome.replayed());
    }

    /** What identifies a debit request for idempotency: every field the caller sent, defaults applied, canonical. */
    static String fingerprint(DebitRequest r) {
        return new JsonText().number("amountMicros", r.amountMicros()).string("item", r.item())
                .number("quantity", r.item() == null ? null : r.quantityOrDefault())
                .string("destinationCountry", r.destinationCountry()).string("currency", r.currency())
                .string("origin", r.originOrDefault().name()).string("direction", r.directionOrDefault().name())
                .string("channel", r.channel()).string("user", r.user())
                .strings("reference", r.reference() == null ? null : new TreeMap<>(r.reference()))
                .bool("force", r.forced()).end();
    }

    static String eventData(String debitId, DebitRequest r, Price price, String keyId) {
        String json = new JsonText().string("debitId", debitId).string("item", r.item())
                .number("quantity", r.item() == null ? null : r.quantityOrDefault())
                .number("unitPriceMicros", price == null ? null : price.unitPriceMicros())
                .string("priceBasis", price == null ? null : price.basis().json())
                .string("destinationCountry", r.destinationCountry()).string("origin", r.originOrDefault().name())
                .string("direction", r.directionOrDefault().name())
                .bool("forced", r.forced() || r.directionOrDefault() == DebitRequest.Direction.inbound)
                .string("channel", r.channel()).string("user", r.user())
                .strings("reference", r.reference() == null ? null : new TreeMap<>(r.reference())).string("keyId", keyId).end();
        if (json.length() * 3 > EVENT_DATA_MAX_BYTES && json.getBytes(StandardCharsets.UTF_8).length > EVENT_DATA_MAX_BYTES) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "user and reference together exceed " + EVENT_DATA_MAX_BYTES + " bytes");
        }
        return json;
    }
}
