package io.tollgate.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/** The plain-text email for an alert, written from its webhook body so both channels say the same. */
final class AlertEmails {
    private AlertEmails() {
    }

    static String subject(JsonNode body) {
        JsonNode data = body.path("data");
        String wallet = body.path("walletId").asText("");
        String currency = data.path("currency").asText("");
        return "[Tollgate] " + switch (body.path("type").asText("")) {
            case "balance.low" -> "Low balance on wallet " + wallet + ": " + amount(data.path("balanceAfterMicros"), currency)
                    + " (at or below " + amount(data.path("levelMicros"), currency) + ")";
            case "balance.depleted" -> "Balance depleted on wallet " + wallet + ": outbound traffic is paused";
            case "topup.succeeded" -> "Top-up succeeded on wallet " + wallet;
            case "topup.failed" -> "Top-up failed on wallet " + wallet;
            case "auto_recharge.disabled" -> "Auto-recharge disabled on wallet " + wallet;
            default -> "Alert " + body.path("type").asText("") + " on wallet " + wallet;
        };
    }

    static String text(JsonNode body) {
        StringBuilder text = new StringBuilder(subject(body).substring("[Tollgate] ".length())).append(".\n\n");
        text.append(advice(body.path("type").asText(""))).append("\n\n");
        text.append("Alert: ").append(body.path("type").asText()).append('\n');
        text.append("Alert id: ").append(body.path("id").asText()).append('\n');
        text.append("Tenant: ").append(body.path("tenantId").asText()).append('\n');
        if (!body.path("walletId").isNull() && !body.path("walletId").isMissingNode()) {
            text.append("Wallet: ").append(body.path("walletId").asText()).append('\n');
        }
        text.append("Time: ").append(body.path("createdAt").asText()).append('\n');
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.path("data").fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            text.append(field.getKey()).append(": ").append(field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()).append('\n');
        }
        return text.append("\nAmounts ending in Micros are millionths of the wallet's currency.\n").toString();
    }

    /** What the owner should do next, in the seed products' words where they have them. */
    static String advice(String type) {
        return switch (type) {
            case "balance.low" -> "Top up the wallet or enable auto-recharge so that messages keep flowing.";
            case "balance.depleted" -> "Messages cannot be sent because the prepaid balance has not enough funds. Top up or enable auto-recharge.";
            case "topup.succeeded" -> "The funds are in the wallet; paused traffic flows again.";
            case "topup.failed" -> "The card was declined or could not be charged. Check the payment method and try again.";
            case "auto_recharge.disabled" -> "Automatic top-ups failed several times in a row, so auto-recharge is now off. Update the"
                    + " payment method, then turn auto-recharge on again for this wallet.";
            default -> "";
        };
    }

    /** 4900000 and USD → "4.90 USD"; off the hot path, so BigDecimal is fine here. */
    static String amount(JsonNode micros, String currency) {
        if (!micros.isIntegralNumber()) {
            return "?";
        }
        BigDecimal units = BigDecimal.valueOf(micros.asLong()).movePointLeft(6).stripTrailingZeros();
        return (units.scale() < 2 ? units.setScale(2) : units).toPlainString() + (currency.isEmpty() ? "" : " " + currency);
    }
}
