package io.tollgate.report;

import static io.tollgate.wallet.WalletResource.WALLET_ID;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tollgate.infra.http.ProblemType;
import io.tollgate.infra.http.Problems;
import io.tollgate.tenant.Allowed;
import io.tollgate.tenant.CurrentCaller;
import io.tollgate.tenant.Role;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

/** Where the money went, movement by movement: the activity log, its CSV export, and debits by id or reference. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Activity", description = "Every money movement of a wallet or the tenant, newest first, filtered and paged; CSV exports; "
        + "a debit by id or by reference.")
public class ActivityResource {
    static final String CSV = ActivityCsv.MEDIA_TYPE + ";charset=utf-8";
    private static final String LIMIT = "Movements per page, 1..500 (default 100).";
    private static final String ORDER = " Newest first: the tenant's by time, then wallet and seq; a wallet's by seq (its own order, "
            + "which follows time). A page reads at most a bounded number of ledger rows: when its filters match rarely it may hold "
            + "fewer than `limit` movements, even none, with a `nextCursor` to go on; only a page without `nextCursor` is the end. "
            + "Movements recorded while paging never appear twice.";
    private static final String CSV_TEXT = "RFC 4180, UTF-8: a header line, then one line per movement, newest first, with the "
            + "columns of docs/reference/csv.md. Text cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return start with "
            + "`'`. At most 1,000,000 lines per export; a longer one ends with a line starting `#truncated:` that holds the cursor "
            + "to export the rest.";
    private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "cursor");
    private static final Set<String> CSV_PARAMETERS = Set.of("cursor");
    /** Rows per query of an export. */
    static final int CSV_CHUNK_ROWS = 1000;

    private final ActivityService activity;
    private final ActivityConfig config;
    private final ActivityCursors cursors;
    private final CurrentCaller current;

    public ActivityResource(ActivityService activity, ActivityConfig config, ActivityCursors cursors, CurrentCaller current) {
        this.activity = activity;
        this.config = config;
        this.cursors = cursors;
        this.current = current;
    }

    @GET
    @Path("/activity")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "The tenant's money movements, newest first", description = "Debits, reversals, credits and top-ups of every "
            + "wallet of the tenant, filtered, paged by cursor." + ORDER)
    public Uni<Activity.Page> tenantActivity(@Context UriInfo uri, @BeanParam ActivityFilterParams filters,
            @Parameter(description = LIMIT) @QueryParam("limit") String limit) {
        return page(null, uri);
    }

    @GET
    @Path("/wallets/{walletId}/activity")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "A wallet's money movements, newest first", description = "Debits, reversals, credits and top-ups of the "
            + "wallet, filtered, paged by cursor." + ORDER)
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Uni<Activity.Page> walletActivity(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId, @Context UriInfo uri,
            @BeanParam ActivityFilterParams filters, @Parameter(description = LIMIT) @QueryParam("limit") String limit) {
        return page(walletId, uri);
    }

    @GET
    @Path("/activity.csv")
    @Produces(CSV)
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Export the tenant's money movements as CSV", description = "The movements of the filters, as the pages of "
            + "`GET /v1/activity` with the same filters show them, row for row, streamed.")
    @APIResponse(responseCode = "200", description = CSV_TEXT, content = @Content(mediaType = ActivityCsv.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.STRING, description = "CSV text (docs/reference/csv.md).")))
    public Multi<String> tenantCsv(@Context UriInfo uri, @BeanParam ActivityFilterParams filters) {
        return csv(null, uri);
    }

    @GET
    @Path("/wallets/{walletId}/activity.csv")
    @Produces(CSV)
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Export a wallet's money movements as CSV", description = "The movements of the filters, as the pages of "
            + "`GET /v1/wallets/{walletId}/activity` with the same filters show them, row for row, streamed.")
    @APIResponse(responseCode = "200", description = CSV_TEXT, content = @Content(mediaType = ActivityCsv.MEDIA_TYPE,
            schema = @Schema(type = SchemaType.STRING, description = "CSV text (docs/reference/csv.md).")))
    @Problems(ProblemType.WALLET_NOT_FOUND)
    public Multi<String> walletCsv(@Parameter(description = WALLET_ID) @PathParam("walletId") String walletId, @Context UriInfo uri,
            @BeanParam ActivityFilterParams filters) {
        return csv(walletId, uri);
    }

    @GET
    @Path("/debits/{debitId}")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "A debit by id, with its reversals", description = "From the ledger: what was debited, for what, what its "
            + "reversals gave back so far. Declined debits are never stored; an approved one appears within about a second.")
    @Problems(ProblemType.DEBIT_NOT_FOUND)
    public Uni<Activity.Debit> debit(@Parameter(description = "The debit's id (`db_…`); another tenant's debit is not found.")
            @PathParam("debitId") String debitId) {
        return activity.debit(current.tenantId(), debitId);
    }

    @GET
    @Path("/debits")
    @Allowed({Role.VIEWER, Role.OWNER})
    @Operation(summary = "Debits by reference", description = "The debits of the last 24 months whose `reference` holds the entry, "
            + "newest first, each with its reversals.")
    public Uni<Activity.Search> debitsByReference(@Context UriInfo uri,
            @Parameter(description = "Required: the entry, `key:value` (`messageId:m-1001`).") @QueryParam("reference") String reference,
            @Parameter(description = "Debits at most, 1..100 (default 20).") @QueryParam("limit") String limit) {
        String tenantId = current.tenantId();
        Map<String, List<String>> parameters = uri.getQueryParameters();
        java.util.TreeSet<String> unknown = new java.util.TreeSet<>(parameters.keySet());
        unknown.removeAll(Set.of("reference", "limit"));
        if (!unknown.isEmpty() || parameters.values().stream().anyMatch(v -> v.size() > 1)) {
            throw ActivityQuery.invalid("the parameters are reference (required, once) and limit (once)");
        }
        int count = 20;
        if (limit != null) {
            if (!limit.matches("[0-9]{1,3}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > 100) {
                throw ActivityQuery.invalid("limit must be 1..100");
            }
            count = Integer.parseInt(limit);
        }
        return activity.debitsByReference(tenantId, reference, count);
    }

    private Uni<Activity.Page> page(String walletId, UriInfo uri) {
        Map<String, List<String>> parameters = uri.getQueryParameters();
        ActivityQuery query = ActivityQuery.parse(current.tenantId(), walletId, parameters, PAGE_PARAMETERS);
        int limit = ActivityQuery.limit(parameters);
        return activity.page(query, limit, ActivityQuery.one(parameters, "cursor"));
    }

    /**
     * Streams the export: the header at once, then one chunk per query of {@value #CSV_CHUNK_ROWS} rows, read as the client
     * takes them (nothing is buffered beyond a chunk). Everything that can fail with a problem is checked before the first
     * byte: the filters here, the cursor and the wallet in {@link ActivityService#prepare}.
     */
    private Multi<String> csv(String walletId, UriInfo uri) {
        Map<String, List<String>> parameters = uri.getQueryParameters();
        ActivityQuery query = ActivityQuery.parse(current.tenantId(), walletId, parameters, CSV_PARAMETERS);
        String cursor = ActivityQuery.one(parameters, "cursor");
        String file = "activity-" + (walletId != null ? walletId : query.tenantId()) + ".csv";
        return RestMulti.fromUniResponse(activity.prepare(query, cursor), prepared -> export(prepared, config.csvMaxRows()),
                prepared -> Map.of("Content-Disposition", List.of("attachment; filename=\"" + file + "\""),
                        "Tollgate-Export-Max-Rows", List.of(String.valueOf(config.csvMaxRows()))));
    }

    /** The export's text: header, chunks of lines, and a last line with the cursor when it stops at {@code maxRows}. */
    Multi<String> export(ActivityService.Prepared prepared, int maxRows) {
        ExportState state = new ExportState(prepared.start());
        Multi<String> chunks = Multi.createBy().repeating()
                .uni(() -> state, s -> activity.read(prepared, s.at, Math.min(CSV_CHUNK_ROWS, maxRows - s.written)).map(chunk -> {
                    s.written += chunk.rows().size();
                    s.at = chunk.next();
                    String text = ActivityCsv.lines(chunk.rows());
                    if (s.at != null && s.written >= maxRows) {
                        s.done = true;
                        return text + ActivityCsv.truncated(maxRows, cursors.encode(prepared.query().hash(), s.at));
                    }
                    s.done = s.at == null;
                    return text;
                }))
                .whilst(text -> !state.done);
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(ActivityCsv.header()), chunks)
                .filter(text -> !text.isEmpty());
    }

    private static final class ExportState {
        ActivityCursors.Position at;
        int written;
        boolean done;

        ExportState(ActivityCursors.Position start) {
            this.at = start;
        }
    }
}
