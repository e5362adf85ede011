package io.tollgate.wallet;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.Unis;
import io.tollgate.infra.Ids;
import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.http.IdempotencyKey;
import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.RequestHash;
import io.tollgate.infra.redis.Keys;
import io.tollgate.infra.redis.LuaScript;
import io.tollgate.infra.redis.ScriptOutcome;
import io.tollgate.infra.redis.Replies;
import io.tollgate.infra.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Wallet administration and balance views. Every change runs one Lua script that also appends its event to the
 * wallet's bucket outbox. Errors: {@code invalid-request}, {@code wallet-not-found} (also for another tenant's
 * wallet), {@code currency-mismatch}, {@code idempotency-conflict}, {@code invalid-idempotency-key},
 * {@code balance-limit}.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class WalletService {
    public static final long DEFAULT_AUTOMATION_FLOOR_MICROS = 5_000_000L; // 5 units of the wallet's currency
    static final int LIST_MAX = 1000;
    static final int DIRECTORY_MAX_ENTRIES = 100_000;

    private final ScriptRunner scripts;
    private final ReactiveSetCommands<String, String> sets;
    private final Keys keys;
    private final String idempotencyTtlSeconds;
    /** walletId → owner and currency; both never change, so entries never go stale. */
    private final Map<String, WalletRef> directory = new ConcurrentHashMap<>();

    /** The immutable facts of a wallet that the hot path needs before its script runs. */
    public record WalletRef(String walletId, String tenantId, String currency) {
    }

    @Schema(name = "CreditResult", description = "A credit applied to a wallet.")
    public record CreditResult(
            @Schema(description = "The credit's id (`cr_…`).", examples = "cr_q6l4khumasjstqyvrpca") String creditId,
            @Schema(description = "The wallet credited.") String walletId,
            @Schema(description = "The wallet's currency (ISO 4217).", examples = "USD") String currency,
            @Schema(description = "The amount added, in micros.") long amountMicros,
            @Schema(description = "The balance right after the credit, in micros.") long balanceAfterMicros,
            @Schema(description = "The `wallet.credited` event's sequence number.") long seq,
            @com.fasterxml.jackson.annotation.JsonIgnore boolean replayed) {
    }

    public WalletService(ScriptRunner scripts, ReactiveRedisDataSource redis, Keys keys, TollgateConfig config) {
        this.scripts = scripts;
        this.sets = redis.set(String.class);
        this.keys = keys;
        this.idempotencyTtlSeconds = String.valueOf(IdempotencyKey.ttlSeconds(config));
    }

    /** A created wallet, and whether it was created by an earlier request with the same Idempotency-Key. */
    public record Created(Wallet wallet, boolean replayed) {
    }

    /**
     * Creates a wallet. With an Idempotency-Key the wallet id is derived from the tenant and the key, so a retry
     * names the same wallet and wallet_create.lua answers it without creating a second one; the key then stands for
     * that wallet for as long as it exists. Errors: {@code invalid-request}, {@code invalid-idempotency-key},
     * {@code idempotency-conflict} (the key created a wallet with other settings), {@code wallet-exists}.
     */
    public Uni<Created> create(String tenantId, String idempotencyKey, WalletRequests.Create request) {
        String keyHash = idempotencyKey == null ? null : IdempotencyKey.require(tenantId, idempotencyKey);
        if (request == null) {
            throw WalletRequests.invalid("a body is required");
        }
        request.validate();
        String walletId = keyHash == null ? Ids.newId("w_") : idFor(keyHash);
        WalletRequests.AutoRechargeSettings ar = request.autoRecharge();
        long floor = request.floorMicros() == null ? 0 : request.floorMicros();
        long automationFloor = request.automationFloorMicros() == null ? DEFAULT_AUTOMATION_FLOOR_MICROS : request.automationFloorMicros();
        boolean arEnabled = ar != null && Boolean.TRUE.equals(ar.enabled());
        Long arThreshold = ar == null ? null : ar.thresholdMicros();
        Long arAmount = ar == null ? null : ar.amountMicros();
        // The event carries the settings in effect, defaults applied, not the request as sent.
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", request.name() == null ? "" : request.name());
        data.put("floorMicros", floor);
        data.put("automationFloorMicros", automationFloor);
        data.put("channels", request.channels() == null ? List.of() : request.channels());
        data.put("autoRecharge", new WalletRequests.AutoRechargeSettings(arEnabled, arThreshold, arAmount, null));
        List<String> args = new ArrayList<>(List.of(tenantId, walletId, request.currency(), String.valueOf(floor),
                String.valueOf(automationFloor), Wallet.encodeChannels(request.channels()), arEnabled ? "1" : "0", text(arThreshold),
                text(arAmount), request.name() == null ? "" : request.name(), RequestHash.json(data)));
        if (keyHash != null) {
            // the settings in effect, so a retry that spells a default out is the same request
            args.add(RequestHash.of("wallet.create", walletId, java.util.Arrays.asList(request.currency(), data)));
        }
        return scripts.run(LuaScript.WALLET_CREATE, List.of(keys.wallet(walletId), keys.outboxOf(walletId)), args)
                .chain(reply -> {
                    String outcome = reply.get(0).toString();
                    if (!"created".equals(outcome) && !"replayed".equals(outcome)) {
                        String reason = reply.get(1).toString();
                        ProblemType type = ScriptOutcome.problemType(reason);
                        throw type == ProblemType.WALLET_EXISTS ? new ProblemException(type, walletId)
                                : type == ProblemType.IDEMPOTENCY_CONFLICT ? ScriptOutcome.problem(reason)
                                : new IllegalStateException(reply.toString());
                    }
                    // also on a replay: completes a creation whose listing a failure interrupted
                    return sets.sadd(keys.tenantWallets(tenantId), walletId).replaceWith("replayed".equals(outcome));
                })
                .chain(replayed -> get(tenantId, walletId).map(w -> new Created(withWarnings(w), replayed)));
    }

    /** The wallet id an Idempotency-Key stands for: 100 bits of its tenant-scoped hash, like a random id's. */
    static String idFor(String keyHash) {
        return "w_" + Ids.sha256Key("wallet.create\n" + keyHash).substring(0, 20);
    }

    /** Settings that are allowed but that the seed products advise against. */
    static Wallet withWarnings(Wallet wallet) {
        Wallet.AutoRecharge ar = wallet.autoRecharge();
        if (ar.enabled() && ar.amountMicros() != null && ar.thresholdMicros() != null && ar.amountMicros() <= ar.thresholdMicros()) {
            return wallet.withWarnings(List.of("autoRecharge.amountMicros is not above thresholdMicros: a top-up may leave the"
                    + " balance close to the threshold and cause repeated charges"));
        }
        return wallet;
    }

    /** Error: {@code wallet-not-found} when the wallet does not exist or belongs to another tenant. */
    public Uni<Wallet> get(String tenantId, String walletId) {
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(notFound(walletId));
        }
        return scripts.send(Request.cmd(Command.HGETALL).arg(keys.wallet(walletId))).map(Replies::hash).map(fields -> {
            if (fields.isEmpty() || !tenantId.equals(fields.get("tenant"))) {
                throw notFound(walletId);
            }
            return Wallet.fromHash(walletId, fields);
        });
    }

    public Uni<List<Wallet>> list(String tenantId) {
        return sets.smembers(keys.tenantWallets(tenantId))
                .chain(ids -> Unis.all(ids.stream().sorted().limit(LIST_MAX).map(id -> get(tenantId, id)).toList()))
                .map(all -> all.stream().sorted(Comparator.comparing(Wallet::id)).toList());
    }

    /** How many wallets the tenant holds; {@link #list} answers at most {@value #LIST_MAX} of them. One SCARD. */
    public Uni<Long> count(String tenantId) {
        return sets.scard(keys.tenantWallets(tenantId));
    }

    public Uni<Wallet> update(String tenantId, String walletId, WalletRequests.Patch patch) {
        if (patch == null) {
            throw WalletRequests.invalid("a body is required");
        }
        patch.validate();
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(notFound(walletId));
        }
        List<String> args = new ArrayList<>(List.of(tenantId, walletId, RequestHash.json(patch)));
        addField(args, "name", patch.name());
        addField(args, "floor", patch.floorMicros());
        addField(args, "afloor", patch.automationFloorMicros());
        addField(args, "ch", patch.channels() == null ? null : Wallet.encodeChannels(patch.channels()));
        addField(args, "status", patch.status() == null ? null : patch.status().json());
        if (patch.autoRecharge() != null) {
            Boolean enabled = patch.autoRecharge().enabled();
            addField(args, "ar", enabled == null ? null : enabled ? "1" : "0");
            addField(args, "arth", patch.autoRecharge().thresholdMicros());
            addField(args, "aramt", patch.autoRecharge().amountMicros());
            addField(args, "arpm", patch.autoRecharge().paymentMethodId());
            if (Boolean.TRUE.equals(enabled)) {
                addField(args, "arst", ""); // the owner turned it on again: no longer failing
            }
        }
        if (patch.emergencyTopUp() != null) {
            Boolean enabled = patch.emergencyTopUp().enabled();
            addField(args, "em", enabled == null ? null : enabled ? "1" : "0");
            addField(args, "emtgt", patch.emergencyTopUp().targetMicros());
            addField(args, "emcap", patch.emergencyTopUp().capMicros());
        }
        return scripts.run(LuaScript.WALLET_UPDATE, List.of(keys.wallet(walletId), keys.outboxOf(walletId)), args)
                .chain(reply -> {
                    if ("auto_recharge_incomplete".equals(reply.get(1).toString())) {
                        throw new ProblemException(ProblemType.AUTO_RECHARGE_INCOMPLETE,
                                "set autoRecharge.thresholdMicros and autoRecharge.amountMicros before enabling it");
                    }
                    if ("emergency_incomplete".equals(reply.get(1).toString())) {
                        throw new ProblemException(ProblemType.EMERGENCY_TOPUP_INCOMPLETE,
                                "set emergencyTopUp.targetMicros and emergencyTopUp.capMicros before enabling it");
                    }
                    if (!"updated".equals(reply.get(0).toString())) {
                        throw notFound(walletId);
                    }
                    return get(tenantId, walletId);
                }).map(WalletService::withWarnings);
    }

    /**
     * Turns auto-recharge off and marks it failing (automatic top-ups failed too often in a row); the wallet shows it
     * and the owner turns it on again after updating the card. Appends wallet.updated like any settings change.
     */
    public Uni<Void> markAutoRechargeFailing(String tenantId, String walletId, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("autoRecharge", Map.of("enabled", false, "status", "failing"));
        data.put("reason", reason);
        List<String> args = List.of(tenantId, walletId, RequestHash.json(data), "ar", "0", "arst", "failing");
        return scripts.run(LuaScript.WALLET_UPDATE, List.of(keys.wallet(walletId), keys.outboxOf(walletId)), args)
                .invoke(reply -> {
                    if (!"updated".equals(reply.get(0).toString())) {
                        throw notFound(walletId);
                    }
                }).replaceWithVoid();
    }

    /**
     * Applies a settled top-up: adds its amount and appends {@code topup.applied}, once per top-up id however often it
     * is called (the idempotency record is kept for tollgate.idempotency.ttl). Errors: {@code wallet-not-found}.
     */
    public Uni<CreditResult> applyTopUp(String tenantId, String walletId, String topUpId, long amountMicros,
            Map<String, Object> detail) {
        String keyHash = io.tollgate.infra.Ids.sha256Hex(tenantId + "\ntopup\n" + topUpId);
        Map<String, Object> data = new LinkedHashMap<>(detail);
        data.put("topUpId", topUpId);
        List<String> args = List.of(tenantId, walletId, RequestHash.of("topup", walletId, Map.of("topUpId", topUpId,
                "amountMicros", amountMicros)), topUpId, String.valueOf(amountMicros), "", idempotencyTtlSeconds,
                "topup.applied", RequestHash.json(data));
        return runCredit(tenantId, walletId, keyHash, args);
    }

    public Uni<CreditResult> credit(String tenantId, String keyId, String walletId, String idempotencyKey, WalletRequests.Credit credit) {
        String keyHash = IdempotencyKey.require(tenantId, idempotencyKey);
        if (credit == null) {
            throw WalletRequests.invalid("a body is required");
        }
        credit.validate();
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(notFound(walletId));
        }
        String creditId = Ids.newId("cr_");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("creditId", creditId);
        data.put("category", credit.category());
        data.put("reason", credit.reason());
        data.put("keyId", keyId);
        List<String> args = List.of(tenantId, walletId, RequestHash.of("credit", walletId, credit), creditId,
                String.valueOf(credit.amountMicros()), credit.currency() == null ? "" : credit.currency(),
                idempotencyTtlSeconds, "wallet.credited", RequestHash.json(data));
        return runCredit(tenantId, walletId, keyHash, args);
    }

    /** Runs wallet_credit.lua (credits and top-ups alike) and turns its outcome into a result or a problem. */
    private Uni<CreditResult> runCredit(String tenantId, String walletId, String keyHash, List<String> args) {
        List<String> scriptKeys = List.of(keys.wallet(walletId), keys.outboxOf(walletId), keys.idempotency(walletId, keyHash));
        return scripts.run(LuaScript.WALLET_CREDIT, scriptKeys, args).map(reply -> {
            ScriptOutcome outcome = ScriptOutcome.parse(reply);
            if (outcome.isError()) {
                throw outcome.problem();
            }
            return outcome;
        }).chain(outcome -> ref(tenantId, walletId).map(ref -> new CreditResult(outcome.id(), walletId, ref.currency(),
                outcome.amount(), outcome.balanceAfter(), Long.parseLong(outcome.seq()), outcome.replayed())));
    }

    /** Owner and currency of a wallet, cached per pod (they never change). Error: {@code wallet-not-found}. */
    public Uni<WalletRef> ref(String tenantId, String walletId) {
        WalletRef cached = directory.get(walletId);
        if (cached != null) {
            return ownedBy(cached, tenantId);
        }
        if (!Ids.isWellFormed(walletId)) {
            return Uni.createFrom().failure(notFound(walletId));
        }
        return scripts.send(Request.cmd(Command.HMGET).arg(keys.wallet(walletId)).arg("tenant").arg("currency")).chain(reply -> {
            String[] fields = Replies.values(reply);
            if (fields[0] == null) {
                return Uni.createFrom().failure(notFound(walletId));
            }
            WalletRef ref = new WalletRef(walletId, fields[0], fields[1]);
            if (directory.size() >= DIRECTORY_MAX_ENTRIES) {
                directory.clear();
            }
            directory.put(walletId, ref);
            return ownedBy(ref, tenantId);
        });
    }

    private static Uni<WalletRef> ownedBy(WalletRef ref, String tenantId) {
        return ref.tenantId().equals(tenantId) ? Uni.createFrom().item(ref) : Uni.createFrom().failure(notFound(ref.walletId()));
    }

    private static void addField(List<String> args, String field, Object value) {
        if (value != null) {
            args.add(field);
            args.add(String.valueOf(value));
        }
    }

    private static String text(Long value) {
        return value == null ? "" : String.valueOf(value);
    }

    public static ProblemException notFound(String walletId) {
        return new ProblemException(ProblemType.WALLET_NOT_FOUND, "no wallet " + walletId);
    }
}
