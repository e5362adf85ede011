-- Every instant Tollgate answers is RFC 3339 with exactly three fraction digits (docs/reference/api.md#conventions).
-- Columns that hold answered instants keep millisecond precision, so the stored instant and the answered one are the
-- same value: Java writes instants truncated to milliseconds (Times.now), and now() defaults are rounded to them.
alter table payment_method alter column created_at type timestamptz(3), alter column deleted_at type timestamptz(3);
alter table top_up_quote alter column expires_at type timestamptz(3), alter column created_at type timestamptz(3);
alter table top_up alter column created_at type timestamptz(3), alter column updated_at type timestamptz(3),
    alter column settled_at type timestamptz(3), alter column next_attempt_at type timestamptz(3);
alter table top_up_charge alter column created_at type timestamptz(3), alter column updated_at type timestamptz(3);
alter table webhook_endpoint alter column created_at type timestamptz(3);
alter table alert_delivery alter column created_at type timestamptz(3), alter column next_attempt_at type timestamptz(3),
    alter column delivered_at type timestamptz(3);
