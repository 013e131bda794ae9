package io.libchan.internal.queue;

import java.util.concurrent.Executor;

/**
 * Thrown by a decode on a thread that must not block (a connection's I/O thread, delivering to a
 * direct-executor subscriber) when the message names a stream whose opening has not arrived yet
 * (peers such as jschan on node 0.10 open a message's streams after its data). Waiting there would
 * stop the very thread that reads that opening; the delivery is made again on {@link #executor()},
 * where the decode may wait. Internal: never reaches an application.
 */
public final class WouldBlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Executor executor;

    public WouldBlockException(Executor executor) {
        super("the message refers to a stream not opened yet; decoding it must wait", null, false, false);
        this.executor = executor;
    }

    /** Where the delivery may be made again. */
    public Executor executor() {
        return executor;
    }
}
