package io.tollgate.alert;

import java.util.Map;

/**
 * One thing to tell a tenant. {@code dedupeKey} makes raising idempotent: the same key raised twice (a redelivered
 * event, a retried worker) is delivered once per channel. {@code details} are JSON-serialisable values (amounts in
 * micros, ids, reasons) that go into the webhook body and the email text.
 */
public record Alert(String tenantId, String walletId, AlertType type, String dedupeKey, Map<String, Object> details) {
}
