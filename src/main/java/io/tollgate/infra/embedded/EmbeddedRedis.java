package io.tollgate.infra.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real redis-server process owned by this JVM: the {@code redis-server} on PATH when there is one, else the
 * 6.2 binary bundled in the embedded-redis jar. Append-only persistence goes to {@code dataDir}.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;
    private static final String[] BUNDLED = {"redis-server-6.2.6-v5-linux-amd64", "redis-server-6.2.7-linux-arm64"};

    private final Process process;
    private final int port;
    private final Path dataDir;

    private EmbeddedRedis(Process process, int port, Path dataDir) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static EmbeddedRedis start(Path dataDir, int requestedPort) throws IOException {
        return start(dataDir, requestedPort, List.of());
    }

    /** Starts redis-server with extra arguments (e.g. cluster mode for tests) after the defaults. */
    public static EmbeddedRedis start(Path dataDir, int requestedPort, List<String> extraArgs) throws IOException {
        Files.createDirectories(dataDir);
        int port = requestedPort > 0 ? requestedPort : freePort();
        Path binary = binary(dataDir);
        List<String> command = new ArrayList<>(ownSession());
        command.addAll(List.of(binary.toString(),
                "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dataDir.toAbsolutePath().toString(),
                "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning"));
        command.addAll(extraArgs);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("redis.log").toFile())
                .start();
        EmbeddedRedis redis = new EmbeddedRedis(process, port, dataDir);
        redis.awaitReady();
        LOG.infof("Embedded Redis (%s) on 127.0.0.1:%d, append-only data in %s", binary, port, dataDir.toAbsolutePath());
        return redis;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: redis flushes the append-only file and exits
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + "; see " + dataDir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        close();
        throw new IOException("redis-server did not answer within " + START_TIMEOUT_MILLIS + " ms");
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code setsid} where there is one (Linux): Ctrl-C in a terminal signals the whole foreground process group, and
     * redis-server, a child of this JVM, would stop at once, before the application that still uses it (every Redis
     * client then logged the lost connection). In a session of its own it is stopped by EmbeddedServices' shutdown
     * hook, after the application. setsid execs redis-server in place (a child is never a group leader), so
     * {@link #close()} still signals redis-server itself.
     */
    private static List<String> ownSession() {
        return onPath("setsid").map(setsid -> List.of(setsid.toString())).orElse(List.of());
    }

    private static java.util.Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate);
            }
        }
        return java.util.Optional.empty();
    }

    /** redis-server from PATH, else the bundled binary copied out of the jar. */
    static Path binary(Path dataDir) throws IOException {
        java.util.Optional<Path> installed = onPath("redis-server");
        if (installed.isPresent()) {
            return installed.get();
        }
        String resource = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).contains("aarch64") ? BUNDLED[1] : BUNDLED[0];
        Path target = dataDir.resolve("bin").resolve(resource);
        if (!Files.isExecutable(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = EmbeddedRedis.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no redis-server on PATH and no bundled " + resource);
                }
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return target;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
