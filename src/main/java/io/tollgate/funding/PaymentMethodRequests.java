package io.tollgate.funding;

import io.tollgate.infra.http.ProblemException;
import io.tollgate.infra.http.ProblemType;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies for payment methods, checked before anything is written. */
public final class PaymentMethodRequests {
    static final Pattern PROVIDER_REF = Pattern.compile("[A-Za-z][A-Za-z0-9_]{2,254}");
    static final Pattern DIGIT_RUN = Pattern.compile("\\d{12,19}");
    static final Set<String> BRANDS = Set.of("visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay", "unknown");

    private PaymentMethodRequests() {
    }

    /** {@code providerRef} is the provider's token (pm_...), {@code customerRef} the provider's customer (cus_...). */
    @Schema(name = "PaymentMethodCreate", description = "A card to save, as the provider's reference; never a card number.")
    public record Create(
            @Schema(description = "The provider's token for the card, `[A-Za-z][A-Za-z0-9_]{2,254}`.", required = true,
                    examples = "pm_1QExample") String providerRef,
            @Schema(description = "The provider's customer (`cus_…`), same rule as `providerRef`.") String customerRef,
            @Schema(description = "Card brand.", required = true,
                    enumeration = {"visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay", "unknown"}) String brand,
            @Schema(description = "The card number's last four digits.", required = true, examples = "4242") String last4,
            @Schema(description = "Expiry month, 1–12.", required = true) Integer expMonth,
            @Schema(description = "Expiry year, four digits; the card must not have expired.", required = true) Integer expYear,
            @Schema(description = "`default`, `backup` or `none` (default `none`); a new default or backup demotes the old one.",
                    enumeration = {"default", "backup", "none"}) String role) {
        void validate() {
            requireRef("providerRef", providerRef);
            if (customerRef != null) {
                requireRef("customerRef", customerRef);
            }
            if (brand == null || !BRANDS.contains(brand)) {
                throw invalid("brand must be one of " + BRANDS.stream().sorted().toList());
            }
            if (last4 == null || !last4.matches("\\d{4}")) {
                throw invalid("last4 must be the card's last four digits");
            }
            if (expMonth == null || expMonth < 1 || expMonth > 12 || expYear == null || expYear < 2000 || expYear > 2200) {
                throw invalid("expMonth must be 1..12 and expYear a four-digit year");
            }
            if (YearMonth.of(expYear, expMonth).isBefore(YearMonth.now(ZoneOffset.UTC))) {
                throw invalid("the card expired in " + YearMonth.of(expYear, expMonth));
            }
            PaymentMethodRequests.role(role);
        }
    }

    /** Makes a method the default or the backup (the previous one becomes none), or neither. */
    @Schema(name = "PaymentMethodPatch", description = "A new role for a saved card.")
    public record Patch(
            @Schema(description = "`default`, `backup` or `none`; the method holding that role before becomes `none`.", required = true,
                    enumeration = {"default", "backup", "none"}) String role) {
        void validate() {
            if (role == null) {
                throw invalid("role is required: default, backup or none");
            }
            PaymentMethodRequests.role(role);
        }
    }

    static PaymentMethod.Role role(String role) {
        if (role == null) {
            return PaymentMethod.Role.NONE;
        }
        return switch (role) {
            case "default" -> PaymentMethod.Role.DEFAULT;
            case "backup" -> PaymentMethod.Role.BACKUP;
            case "none" -> PaymentMethod.Role.NONE;
            default -> throw invalid("role must be default, backup or none");
        };
    }

    private static void requireRef(String field, String ref) {
        if (ref == null || looksLikeCardNumber(ref) || !PROVIDER_REF.matcher(ref).matches()) {
            throw invalid(field + " must be the provider's reference (such as pm_... or cus_...), never a card number");
        }
    }

    /** A run of 12 to 19 digits (separators ignored) that passes the Luhn check: a card number pasted by mistake. */
    static boolean looksLikeCardNumber(String text) {
        var runs = DIGIT_RUN.matcher(text.replaceAll("[ -]", ""));
        while (runs.find()) {
            if (luhn(runs.group())) {
                return true;
            }
        }
        return false;
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
        }
        return sum % 10 == 0;
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }
}
