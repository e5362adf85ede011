package io.tollgate.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tollgate.infra.embedded.EmbeddedRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real 3-master Redis Cluster on loopback, built with CLUSTER ADDSLOTS / MEET (no redis-cli needed), so the
 * same test runs with the bundled redis-server. Tollgate is pointed at it in cluster mode.
 */
public class RedisClusterResource implements QuarkusTestResourceLifecycleManager {
    static final int MASTERS = 3;
    static final int SLOTS = 16384;
    static final long READY_TIMEOUT_MILLIS = 15_000;

    private final List<EmbeddedRedis> nodes = new ArrayList<>();
    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("tollgate-cluster");
            for (int i = 0; i < MASTERS; i++) {
                nodes.add(EmbeddedRedis.start(root.resolve("n" + i), 0, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", root.resolve("n" + i + ".conf").toString(), "--appendonly", "no")));
            }
            for (int i = 0; i < MASTERS; i++) {
                List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = i * SLOTS / MASTERS; slot < (i + 1) * SLOTS / MASTERS; slot++) {
                    addSlots.add(String.valueOf(slot));
                }
                command(nodes.get(i).port(), addSlots);
            }
            for (int i = 1; i < MASTERS; i++) {
                command(nodes.get(0).port(), List.of("CLUSTER", "MEET", "127.0.0.1", String.valueOf(nodes.get(i).port())));
            }
            awaitClusterOk();
            String urls = nodes.stream().map(EmbeddedRedis::url).collect(Collectors.joining(","));
            return Map.of("tollgate.redis.url", urls, "quarkus.redis.client-type", "cluster");
        } catch (IOException | InterruptedException e) {
            stop();
            throw new IllegalStateException("could not start a Redis Cluster", e);
        }
    }

    @Override
    public void stop() {
        nodes.forEach(EmbeddedRedis::close);
        nodes.clear();
        deleteTree(root); // the nodes' configuration and append-only files: nothing a later run needs
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not delete " + dir, e);
        }
    }

    private void awaitClusterOk() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            boolean ok = true;
            for (EmbeddedRedis node : nodes) {
                ok &= command(node.port(), List.of("CLUSTER", "INFO")).contains("cluster_state:ok");
            }
            if (ok) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("cluster not ok within " + READY_TIMEOUT_MILLIS + " ms");
    }

    /** Sends one RESP command and returns the first reply line (or the bulk string body). */
    static String command(int port, List<String> args) throws IOException {
        StringBuilder resp = new StringBuilder("*").append(args.size()).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first.startsWith("-")) {
                throw new IOException(args.get(0) + " " + args.get(1) + ": " + first);
            }
            if (first.startsWith("$")) {
                char[] body = new char[Integer.parseInt(first.substring(1))];
                int read = 0;
                while (read < body.length) {
                    read += in.read(body, read, body.length - read);
                }
                return new String(body);
            }
            return first;
        }
    }
}
