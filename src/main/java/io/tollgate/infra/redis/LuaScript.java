package io.tollgate.infra.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Lua scripts under {@code src/main/resources/lua}, each loaded once and called by SHA1. */
public enum LuaScript {
    WALLET_CREATE("wallet_create.lua"),
    WALLET_UPDATE("wallet_update.lua"),
    WALLET_CREDIT("wallet_credit.lua"),
    DEBIT("debit.lua"),
    REVERSE("reverse.lua"),
    WALLET_REBUILD("wallet_rebuild.lua"),
    RELAY_LEASE("relay_lease.lua"),
    KEY_ADMIT("key_admit.lua");

    private final String file;
    private final String source;
    private final String sha1;

    LuaScript(String file) {
        this.file = file;
        // lib.lua is prepended so every script shares one copy of the checks and the event append.
        this.source = read("lua/lib.lua") + "\n" + read("lua/" + file);
        this.sha1 = sha1(source);
    }

    public String file() {
        return file;
    }

    public String source() {
        return source;
    }

    public String sha1() {
        return sha1;
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
