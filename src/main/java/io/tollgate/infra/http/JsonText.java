package io.tollgate.infra.http;

import java.util.Map;

/**
 * Writes small JSON objects by hand for the hot path (event data, request fingerprints), where going through an
 * ObjectMapper and a map per debit costs more than the rest of the request. Strings are escaped per RFC 8259.
 */
public final class JsonText {
    private final StringBuilder out = new StringBuilder(256).append('{');
    private boolean first = true;

    public JsonText string(String name, String value) {
        if (value != null) {
            name(name);
            quote(out, value);
        }
        return this;
    }

    public JsonText number(String name, Long value) {
        if (value != null) {
            name(name);
            out.append(value.longValue());
        }
        return this;
    }

    /** A value that is JSON already (an object written by Tollgate itself, such as an event's detail). */
    public JsonText raw(String name, String json) {
        if (json != null) {
            name(name);
            out.append(json);
        }
        return this;
    }

    public JsonText bool(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    /** A map of strings, written in the map's iteration order (pass a sorted map for a canonical form). */
    public JsonText strings(String name, Map<String, String> values) {
        if (values != null) {
            name(name);
            out.append('{');
            boolean firstEntry = true;
            for (Map.Entry<String, String> entry : values.entrySet()) {
                if (!firstEntry) {
                    out.append(',');
                }
                firstEntry = false;
                quote(out, entry.getKey());
                out.append(':');
                quote(out, entry.getValue());
            }
            out.append('}');
        }
        return this;
    }

    public String end() {
        return out.append('}').toString();
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(out, name);
        out.append(':');
    }

    static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
