package io.tollgate.report;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The filters of the activity log and its CSV export, as the OpenAPI document describes them. The values are read (and
 * checked strictly: unknown or repeated parameters too) from the whole query string by {@link ActivityQuery#parse}; these
 * fields only declare the parameters.
 */
public class ActivityFilterParams {
    @QueryParam("from")
    @Parameter(description = "Movements at or after this instant, RFC 3339 with an offset (`2026-11-01T00:00:00Z`, "
            + "`2026-11-01T00:00:00%2B05:45`). Default: 24 months before `to` (or before now). The range may span at most 24 months.")
    public String from;

    @QueryParam("to")
    @Parameter(description = "Movements before this instant (exclusive), RFC 3339. Default: no end. Must be after `from`.")
    public String to;

    @QueryParam("type")
    @Parameter(description = "Only this kind of movement: `debit.approved`, `debit.reversed`, `wallet.credited` or `topup.applied`.")
    public String type;

    @QueryParam("item")
    @Parameter(description = "Only debits by this item, and their reversals: `[a-z][a-z0-9_.-]{0,63}`.")
    public String item;

    @QueryParam("channel")
    @Parameter(description = "Only debits that named this channel, and their reversals: `[A-Za-z0-9+._:@-]{1,64}`.")
    public String channel;

    @QueryParam("user")
    @Parameter(description = "Only debits that named this `user` (1–128 characters).")
    public String user;

    @QueryParam("reference")
    @Parameter(description = "Only debits whose `reference` holds this entry, written `key:value` (`messageId:m-1001`); the key "
            + "`[A-Za-z0-9_.-]{1,40}`, the value up to 256 characters.")
    public String reference;

    @QueryParam("minAmountMicros")
    @Parameter(description = "Only movements of at least this many micros (the amount moved, whatever its sign), 0 … 2^53−1.")
    public String minAmountMicros;

    @QueryParam("maxAmountMicros")
    @Parameter(description = "Only movements of at most this many micros (the amount moved, whatever its sign), 0 … 2^53−1.")
    public String maxAmountMicros;

    @QueryParam("cursor")
    @Parameter(description = "Where to go on: the `nextCursor` of the previous page (or the cursor in an export's last line), sent "
            + "with the same filters. Signed: a changed cursor, or one made for other filters or another wallet, is 400 `invalid-request`.")
    public String cursor;
}
