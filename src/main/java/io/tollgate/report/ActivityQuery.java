package io.tollgate.report;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.pricing.Pricing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One activity query: the scope (a tenant, or one of its wallets) and the filters, parsed strictly from the query string.
 * Every value is checked here, before anything is read: an unknown parameter, a repeated one, a malformed value, a
 * reversed range or one longer than {@value #RANGE_MONTHS_MAX} months is {@code invalid-request}.
 *
 * <p>{@code from} is inclusive and {@code to} exclusive. Without {@code from} the range starts
 * {@value #RANGE_MONTHS_MAX} months before {@code to} (or before now, resolved by the first page and kept by its
 * cursors); without {@code to} it is open (everything recorded so far).
 */
public record ActivityQuery(String tenantId, String walletId, Instant from, Instant to, String type, String item, String channel,
        String user, String referenceKey, String referenceValue, Long minAmountMicros, Long maxAmountMicros) {

    public static final int RANGE_MONTHS_MAX = 24;
    public static final long AMOUNT_MAX = 9_007_199_254_740_991L;
    public static final int LIMIT_MAX = 500;
    public static final int LIMIT_DEFAULT = 100;
    /** The movements of the activity log, in the order of the API reference. */
    public static final List<String> TYPES = List.of("debit.approved", "debit.reversed", "wallet.credited", "topup.applied");
    /** The filters, as named in the query string; with {@code limit} and {@code cursor} these are all the parameters. */
    static final List<String> FILTERS = List.of("from", "to", "type", "item", "channel", "user", "reference", "minAmountMicros",
            "maxAmountMicros");
    static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9+._:@-]{1,64}");
    static final Pattern REFERENCE_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
    static final int USER_MAX_CHARS = 128;
    static final int REFERENCE_VALUE_MAX_CHARS = 256;

    /**
     * Parses the query string of a page ({@code paged}: {@code limit} and {@code cursor} allowed) or of a CSV export
     * ({@code cursor} allowed, no {@code limit}). Error: {@code invalid-request}, naming the parameter.
     */
    public static ActivityQuery parse(String tenantId, String walletId, Map<String, List<String>> parameters, Set<String> alsoAllowed) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(FILTERS);
        unknown.removeAll(alsoAllowed);
        if (!unknown.isEmpty()) {
            throw invalid("unknown query parameter " + String.join(", ", unknown) + "; the parameters are "
                    + String.join(", ", FILTERS) + ", " + String.join(", ", new TreeSet<>(alsoAllowed)));
        }
        parameters.forEach((name, values) -> {
            if (values.size() > 1) {
                throw invalid(name + " is given more than once");
            }
        });
        Instant from = time(one(parameters, "from"), "from");
        Instant to = time(one(parameters, "to"), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw invalid("from must be before to (from is inclusive, to exclusive)");
        }
        if (from != null && from.isBefore(monthsBefore(to == null ? Instant.now() : to))) {
            throw invalid("the range from .. to may span at most " + RANGE_MONTHS_MAX + " months" + (to == null ? " (to is now)" : ""));
        }
        String type = one(parameters, "type");
        if (type != null && !TYPES.contains(type)) {
            throw invalid("type must be one of " + String.join(", ", TYPES));
        }
        String item = one(parameters, "item");
        if (item != null && !Pricing.ITEM_CODE.matcher(item).matches()) {
            throw invalid("item must match " + Pricing.ITEM_CODE.pattern());
        }
        String channel = one(parameters, "channel");
        if (channel != null && !CHANNEL.matcher(channel).matches()) {
            throw invalid("channel must match " + CHANNEL.pattern());
        }
        String user = one(parameters, "user");
        if (user != null && (user.isEmpty() || user.length() > USER_MAX_CHARS || hasControl(user))) {
            throw invalid("user must be 1.." + USER_MAX_CHARS + " characters without control characters");
        }
        String[] reference = reference(one(parameters, "reference"));
        Long min = amount(one(parameters, "minAmountMicros"), "minAmountMicros");
        Long max = amount(one(parameters, "maxAmountMicros"), "maxAmountMicros");
        if (min != null && max != null && min > max) {
            throw invalid("minAmountMicros must not exceed maxAmountMicros");
        }
        return new ActivityQuery(tenantId, walletId, from, to, type, item, channel, user, reference == null ? null : reference[0],
                reference == null ? null : reference[1], min, max);
    }

    /** {@code limit}: 1..500, default 100. Error: {@code invalid-request}. */
    public static int limit(Map<String, List<String>> parameters) {
        String text = one(parameters, "limit");
        if (text == null) {
            return LIMIT_DEFAULT;
        }
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > LIMIT_MAX) {
            throw invalid("limit must be 1.." + LIMIT_MAX);
        }
        return Integer.parseInt(text);
    }

    static String one(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** {@code key:value}, as a debit's {@code reference} entry: the key as for debits, then the value (0..256 characters). */
    static String[] reference(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        String key = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? null : text.substring(colon + 1);
        if (value == null || !REFERENCE_KEY.matcher(key).matches() || value.length() > REFERENCE_VALUE_MAX_CHARS || hasControl(value)) {
            throw invalid("reference must be key:value, the key matching " + REFERENCE_KEY.pattern() + " and the value at most "
                    + REFERENCE_VALUE_MAX_CHARS + " characters without control characters, e.g. reference=messageId:m-1001");
        }
        return new String[] {key, value};
    }

    /** An RFC 3339 date-time with an offset ({@code Z} or {@code ±hh:mm}; a {@code +} sent unencoded arrives as a space). */
    static Instant time(String text, String name) {
        if (text == null) {
            return null;
        }
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text.replace(' ', '+'));
            Instant instant = parsed.toInstant().truncatedTo(ChronoUnit.MICROS);
            if (instant.isBefore(Instant.parse("1970-01-01T00:00:00Z")) || instant.isAfter(Instant.parse("9999-01-01T00:00:00Z"))) {
                throw invalid(name + " is out of range");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an RFC 3339 date-time such as 2026-11-22T18:02:55.401Z or 2026-11-22T19:02:55+01:00");
        }
    }

    static Long amount(String text, String name) {
        if (text == null) {
            return null;
        }
        if (!text.matches("[0-9]{1,16}") || Long.parseLong(text) > AMOUNT_MAX) {
            throw invalid(name + " must be a whole number of micros, 0.." + AMOUNT_MAX);
        }
        return Long.parseLong(text);
    }

    /** 24 months (calendar months, UTC) before the instant: the earliest {@code from} a range may start at. */
    static Instant monthsBefore(Instant to) {
        return to.atOffset(ZoneOffset.UTC).minusMonths(RANGE_MONTHS_MAX).toInstant();
    }

    /** The lower bound in effect: {@code from}, or 24 months before {@code to} (or before now). */
    Instant fromOr(Instant now) {
        return from != null ? from : monthsBefore(to != null ? to : now);
    }

    boolean isWallet() {
        return walletId != null;
    }

    /**
     * Identifies the query for its cursors: the tenant, the wallet and every filter as given (instants normalised, defaults
     * not applied), so a cursor is accepted only with the same filters, tenant and wallet.
     */
    byte[] hash() {
        String canonical = String.join("\n", "activity/1", tenantId, String.valueOf(walletId), micros(from), micros(to),
                String.valueOf(type), String.valueOf(item), String.valueOf(channel), String.valueOf(user), String.valueOf(referenceKey),
                String.valueOf(referenceValue), String.valueOf(minAmountMicros), String.valueOf(maxAmountMicros));
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String micros(Instant instant) {
        return instant == null ? "-" : Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
    }

    static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
