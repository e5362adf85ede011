package io.tollgate.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A lean HTTP/1.1 keep-alive client for the measured phases: {@code connections} TCP connections, one request in
 * flight on each (no pipelining, like a real pipeline's client), requests pre-encoded by the caller, responses read
 * as status + body with no header objects. Why not Vert.x' HttpClient: on the 2-core machine it cost about 57 µs of
 * CPU per request (0.46 cores at 8,000 debits/s), taken from the Tollgate and Redis under test, while
 * redis-benchmark, the ceiling (a) is measured with, is lean C. Requests beyond the free connections wait in FIFO
 * order (the open loop's queue). Runs on the generator's one event loop; not thread-safe by design.
 */
final class RawHttp implements AutoCloseable {
    /** A response too large for a benchmark reply is a failure, not an allocation. */
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    /** Tollgate's response heads are about 150 bytes; a longer one is a failure. */
    private static final int MAX_HEAD_BYTES = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

    private final Vertx vertx;
    private final NetClient client;
    private final String hostHeader;
    private final int port;
    private final List<Connection> all = new ArrayList<>();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    record Reply(int status, Buffer body) {
        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        /** Whether the body holds these bytes: a check per reply without decoding the body to a String. */
        boolean contains(byte[] needle) {
            byte[] bytes = body.getBytes();
            return indexOf(bytes, 0, bytes.length, needle, false) >= 0;
        }
    }

    private record Pending(byte[] request, Promise<Reply> promise) {
    }

    RawHttp(Vertx vertx, int port, int connections) throws Exception {
        this.vertx = vertx;
        this.port = port;
        this.hostHeader = Http.HOST + ":" + port;
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5000));
        List<Future<NetSocket>> opening = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            opening.add(client.connect(port, Http.HOST));
        }
        Future.all(opening).toCompletionStage().toCompletableFuture().get();
        Promise<Void> registered = Promise.promise();
        vertx.runOnContext(v -> {
            for (Future<NetSocket> f : opening) {
                Connection c = new Connection(f.result());
                all.add(c);
                idle.add(c);
            }
            registered.complete();
        });
        registered.future().toCompletionStage().toCompletableFuture().get();
    }

    /** {@code POST path} with the given extra header lines (each ending in CRLF) and a JSON body, pre-encoded. */
    byte[] post(String path, String headerLines, byte[] body) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json\r\n" + headerLines + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    /** Sends a pre-encoded request on a free connection, or queues it until one is free. Event loop only. */
    Future<Reply> send(byte[] request) {
        Promise<Reply> promise = Promise.promise();
        Connection c = idle.poll();
        if (c == null) {
            waiting.add(new Pending(request, promise));
        } else {
            c.start(request, promise);
        }
        return promise.future();
    }

    private void released(Connection c) {
        Pending next = waiting.poll();
        if (next == null) {
            idle.add(c);
        } else {
            c.start(next.request(), next.promise());
        }
    }

    @Override
    public void close() {
        try {
            client.close().toCompletionStage().toCompletableFuture().get();
        } catch (Exception ignored) {
            // closing after a bounded run; nothing to save
        }
    }

    /** One keep-alive connection and the parser of its current response. */
    private final class Connection {
        private final NetSocket socket;
        private Promise<Reply> current;
        private Buffer pending = Buffer.buffer();
        private int status;
        private int headerEnd = -1;
        private int contentLength = -1;
        private boolean chunked;

        Connection(NetSocket socket) {
            this.socket = socket;
            socket.handler(this::received);
            socket.exceptionHandler(this::failed);
            socket.closeHandler(v -> failed(new IllegalStateException("connection closed by the server")));
        }

        void start(byte[] request, Promise<Reply> promise) {
            current = promise;
            socket.write(Buffer.buffer(request));
        }

        private void failed(Throwable failure) {
            Promise<Reply> p = current;
            current = null;
            if (p != null) {
                p.tryFail(failure);
            }
        }

        private void received(Buffer data) {
            pending = pending.length() == 0 ? data : pending.appendBuffer(data);
            if (pending.length() > MAX_RESPONSE_BYTES) {
                failed(new IllegalStateException("response over " + MAX_RESPONSE_BYTES + " bytes"));
                return;
            }
            if (headerEnd < 0 && !parseHead()) {
                return;
            }
            Buffer body = chunked ? dechunk() : contentLength >= 0 && pending.length() - headerEnd >= contentLength
                    ? pending.getBuffer(headerEnd, headerEnd + contentLength) : null;
            if (body == null) {
                return;
            }
            Promise<Reply> p = current;
            current = null;
            pending = Buffer.buffer();
            headerEnd = -1;
            contentLength = -1;
            chunked = false;
            released(this);
            if (p != null) {
                p.tryComplete(new Reply(status, body));
            }
        }

        /**
         * Reads the status line and the two headers that frame the body; false while the head is incomplete. Byte
         * scans over a copy of the head only, no regex or String per line: the generator's CPU is taken from the
         * Tollgate and Redis it measures (a split per reply compiled a regex each time: 2026-12-01 profile).
         */
        private boolean parseHead() {
            int scanned = Math.min(pending.length(), MAX_HEAD_BYTES);
            byte[] head = pending.getBytes(0, scanned);
            int end = indexOf(head, 0, scanned, CRLFCRLF, false);
            if (end < 0) {
                if (scanned == MAX_HEAD_BYTES) {
                    failed(new IllegalStateException("response head over " + MAX_HEAD_BYTES + " bytes"));
                }
                return false;
            }
            status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
            int line = indexOf(head, 0, end, CRLF, false) + 2; // after the status line
            while (line > 1 && line < end) {
                int lineEnd = indexOf(head, line, end, CRLF, false);
                lineEnd = lineEnd < 0 ? end : lineEnd;
                if (startsWith(head, line, lineEnd, CONTENT_LENGTH)) {
                    contentLength = Integer.parseInt(new String(head, line + CONTENT_LENGTH.length, lineEnd - line - CONTENT_LENGTH.length,
                            StandardCharsets.US_ASCII).trim());
                } else if (startsWith(head, line, lineEnd, TRANSFER_ENCODING) && indexOf(head, line, lineEnd, CHUNKED, true) >= 0) {
                    chunked = true;
                }
                line = lineEnd + 2;
            }
            headerEnd = end + 4;
            if (!chunked && contentLength < 0) {
                contentLength = 0;
            }
            return true;
        }

        /** The whole body of a chunked response, or null while its last chunk has not arrived. */
        private Buffer dechunk() {
            Buffer body = Buffer.buffer();
            int at = headerEnd;
            while (true) {
                int lineEnd = indexOf(pending, at, "\r\n");
                if (lineEnd < 0) {
                    return null;
                }
                String sizeText = pending.getString(at, lineEnd, "ISO-8859-1");
                int semi = sizeText.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).trim(), 16);
                int dataStart = lineEnd + 2;
                if (size == 0) {
                    return indexOf(pending, dataStart, "\r\n") < 0 ? null : body;
                }
                if (pending.length() < dataStart + size + 2) {
                    return null;
                }
                body.appendBuffer(pending.getBuffer(dataStart, dataStart + size));
                at = dataStart + size + 2;
            }
        }
    }

    private static int indexOf(Buffer b, int from, String needle) {
        int n = needle.length();
        outer:
        for (int i = from; i <= b.length() - n; i++) {
            for (int j = 0; j < n; j++) {
                if (b.getByte(i + j) != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** First index of {@code needle} in {@code b[from, to)}, ASCII case-insensitive if asked; -1 if absent. */
    private static int indexOf(byte[] b, int from, int to, byte[] needle, boolean ignoreCase) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                byte c = b[i + j];
                if (c != needle[j] && !(ignoreCase && (c | 0x20) == needle[j])) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether the header line {@code b[from, to)} starts with the lower-case {@code name}, in any case. */
    private static boolean startsWith(byte[] b, int from, int to, byte[] name) {
        return to - from >= name.length && indexOf(b, from, from + name.length, name, true) == from;
    }
}
