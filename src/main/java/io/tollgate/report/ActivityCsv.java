package io.tollgate.report;

import io.tollgate.infra.Times;
import java.util.List;
import java.util.Map;

/**
 * The CSV form of the activity log (docs/reference/csv.md): RFC 4180, UTF-8, CRLF line ends, a header line, one line
 * per movement with a fixed set of columns. Cells that are text are neutralised against formula injection: one that
 * starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is written with a leading
 * {@code '}. Numbers are written as numbers (an amount may be negative; its column holds only integers, never text).
 * The {@code reference} cell holds one {@code key:value} line per entry, keys sorted, each value neutralised as well (a
 * spreadsheet that splits the cell at {@code :} must not get a formula either).
 */
public final class ActivityCsv {
    /** The columns, in order; the header line. A column is only ever added at the end. */
    public static final List<String> COLUMNS = List.of("occurredAt", "localTime", "type", "walletId", "seq", "currency", "amountMicros",
            "balanceAfterMicros", "item", "quantity", "unitPriceMicros", "channel", "user", "reference", "debitId", "reversalId",
            "creditId", "topUpId", "reason", "keyId", "eventId");
    public static final String MEDIA_TYPE = "text/csv";
    static final String LINE_END = "\r\n";

    private ActivityCsv() {
    }

    public static String header() {
        return String.join(",", COLUMNS) + LINE_END;
    }

    /** The lines of some rows, in order. */
    public static String lines(List<Activity.Row> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 200);
        for (Activity.Row row : rows) {
            line(out, row);
        }
        return out.toString();
    }

    static void line(StringBuilder out, Activity.Row r) {
        text(out, Times.format(r.occurredAt()), true);
        text(out, r.localTime(), false);
        text(out, r.type(), false);
        text(out, r.walletId(), false);
        number(out, r.seq());
        text(out, r.currency(), false);
        number(out, r.amountMicros());
        number(out, r.balanceAfterMicros());
        text(out, r.item(), false);
        number(out, r.quantity());
        number(out, r.unitPriceMicros());
        text(out, r.channel(), false);
        text(out, r.user(), false);
        text(out, reference(r.reference()), false);
        text(out, r.debitId(), false);
        text(out, r.reversalId(), false);
        text(out, r.creditId(), false);
        text(out, r.topUpId(), false);
        text(out, r.reason(), false);
        text(out, r.keyId(), false);
        text(out, r.eventId(), false);
        out.append(LINE_END);
    }

    /** The last line of an export that stopped at its row limit: how to go on. One cell, no comma. */
    static String truncated(int rows, String cursor) {
        return "#truncated: this export stops after " + rows + " rows; more match. Export the rest with the same filters and cursor="
                + cursor + LINE_END;
    }

    /** {@code key:value} per entry, one per line, keys sorted; each value neutralised. */
    static String reference(Map<String, String> reference) {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        StringBuilder cell = new StringBuilder();
        new java.util.TreeMap<>(reference).forEach((key, value) -> cell.append(cell.length() == 0 ? "" : "\n").append(key).append(':')
                .append(neutralised(value)));
        return cell.toString();
    }

    private static void number(StringBuilder out, Long value) {
        out.append(',');
        if (value != null) {
            out.append(value.longValue());
        }
    }

    private static void number(StringBuilder out, long value) {
        out.append(',').append(value);
    }

    private static void text(StringBuilder out, String value, boolean first) {
        if (!first) {
            out.append(',');
        }
        if (value == null || value.isEmpty()) {
            return;
        }
        String cell = neutralised(value);
        if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
            out.append('"').append(cell.replace("\"", "\"\"")).append('"');
        } else {
            out.append(cell);
        }
    }

    /** Text that a spreadsheet would read as a formula gets a leading {@code '}; anything else is unchanged. */
    public static String neutralised(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }
}
