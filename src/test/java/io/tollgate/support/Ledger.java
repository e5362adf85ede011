package io.tollgate.support;

import io.tollgate.infra.config.TollgateConfig;
import io.tollgate.infra.db.DatabaseTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the ledger over JDBC, from the test thread, to check what the pipeline wrote. */
public final class Ledger {
    private final DatabaseTarget db;

    public Ledger(TollgateConfig config) {
        this.db = DatabaseTarget.resolve(config);
    }

    public record Row(long seq, String type, long amountMicros, long balanceAfterMicros, String data) {
    }

    public List<Row> rows(String walletId) {
        List<Row> rows = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(
                "select seq, type, amount_micros, balance_after_micros, data::text from ledger_entry where wallet_id = ? order by seq")) {
            s.setString(1, walletId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    public long count(String sql, Object... args) {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of a query, each as its column values in order (for tests that compare a report with the ledger). */
    public List<List<Object>> query(String sql, Object... args) {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Runs one statement (tests that stage a state directly, such as a pod that died mid-charge). */
    public int execute(String sql, Object... args) {
        try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the wallet's ledger holds {@code seq} events, at most 60 s; returns the rows. */
    public List<Row> awaitSeq(String walletId, long seq) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Row> rows = rows(walletId);
        while (System.nanoTime() < deadline && (rows.isEmpty() || rows.get(rows.size() - 1).seq() < seq || rows.size() < seq)) {
            Thread.sleep(100);
            rows = rows(walletId);
        }
        return rows;
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
