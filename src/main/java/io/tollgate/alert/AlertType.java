package io.tollgate.alert;

/** What a tenant is told about, by email and by signed webhook. The JSON name is the webhook's {@code type}. */
public enum AlertType {
    /** The balance is at or below one of the wallet's low-balance levels (at most once per day per level). */
    LOW_BALANCE("balance.low"),
    /** The balance reached zero or below: outbound traffic is paused until funds arrive. */
    BALANCE_DEPLETED("balance.depleted"),
    TOPUP_SUCCEEDED("topup.succeeded"),
    TOPUP_FAILED("topup.failed"),
    /** Automatic top-ups failed too often in a row; the owner has to update the payment method. */
    AUTO_RECHARGE_DISABLED("auto_recharge.disabled");

    private final String json;

    AlertType(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
