package io.tollgate.infra.db;

/**
 * Reads what PostgreSQL said from a failure that Hibernate Reactive and the Vert.x client wrapped, possibly several
 * times: the message that names a constraint sits somewhere down the cause chain.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** True if the failure or one of its causes mentions {@code text} (a constraint name, a phrase). */
    public static boolean mentions(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** A unique constraint refused the write (SQLSTATE 23505, "duplicate key value violates unique constraint"). */
    public static boolean isUniqueViolation(Throwable failure) {
        return mentions(failure, "duplicate key");
    }
}
