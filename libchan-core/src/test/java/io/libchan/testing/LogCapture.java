package io.libchan.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures every record under the {@code io.libchan} loggers while open: what System.Logger writes
 * through java.util.logging, its default backend.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger libchan = Logger.getLogger("io.libchan");
    private final Level levelBefore;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture() {
        levelBefore = libchan.getLevel();
        setLevel(Level.ALL);
        libchan.setLevel(Level.ALL);
        libchan.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    /** The records at WARNING or above. */
    public List<LogRecord> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    /** The records below INFO (FINE, DEBUG...). */
    public List<LogRecord> fine() {
        return records.stream().filter(r -> r.getLevel().intValue() < Level.INFO.intValue()).toList();
    }

    public static List<String> text(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        libchan.removeHandler(this);
        libchan.setLevel(levelBefore);
    }
}
