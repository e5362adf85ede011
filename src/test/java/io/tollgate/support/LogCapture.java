package io.tollgate.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Takes the log records a test provokes on purpose (a malformed message, a seq used twice, a drifting wallet) out of
 * the build output and keeps them for the test to assert on, so that a passing build prints no error a reader would
 * take for a failure ({@code .ci/run} fails a build that does).
 *
 * <p>Only the records of one logger at or above a level whose message contains the given text are taken; any other
 * record, of that logger or another, is logged as usual, so an unexpected error still shows. Use it in a
 * try-with-resources block around the step that provokes the records, and assert on them inside it: close restores
 * the logger, and records logged later (by a consumer still at work) are logged normally.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Filter previous;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(String category, Level atLeast, String contains) {
        this.logger = Logger.getLogger(category);
        this.previous = logger.getFilter();
        logger.setFilter(record -> {
            String message = messageOf(record);
            if (record.getLevel().intValue() >= atLeast.intValue() && message.contains(contains)) {
                messages.add(message);
                return false;
            }
            return previous == null || previous.isLoggable(record);
        });
    }

    /** Errors (JBoss Logging's ERROR is java.util.logging's SEVERE) of {@code source}'s logger containing the text. */
    public static LogCapture errors(Class<?> source, String contains) {
        return new LogCapture(source.getName(), Level.SEVERE, contains);
    }

    /** Warnings and errors of {@code source}'s logger containing the text. */
    public static LogCapture warnings(Class<?> source, String contains) {
        return warnings(source.getName(), contains);
    }

    /** Warnings and errors of a logger given by category (a library's) containing the text. */
    public static LogCapture warnings(String category, String contains) {
        return new LogCapture(category, Level.WARNING, contains);
    }

    /** The messages taken so far, formatted, with the exception's toString appended when there was one. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits until at least {@code count} records were taken, at most {@code max}; returns the messages. */
    public List<String> await(int count, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return messages();
    }

    @Override
    public void close() {
        logger.setFilter(previous);
    }

    private static String messageOf(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : new SimpleFormatter().formatMessage(record);
        return record.getThrown() == null ? String.valueOf(message) : message + ": " + record.getThrown();
    }
}
