package io.libchan.example.pool;

import io.libchan.Sender;
import java.util.function.Consumer;

/**
 * One client watching the {@link Board}: every snapshot goes to its reply channel, at most one send
 * in flight. Snapshots that arrive meanwhile replace each other, so a slow watcher gets the newest
 * state, never a growing backlog. A failed send (the client went away) or {@link #close()} ends it.
 * Thread-safe; {@code pending}, {@code sending}, {@code lastVersion} and {@code closed} are guarded
 * by {@code this}.
 */
final class BoardWatcher {
    private final Sender ret;
    private final Consumer<BoardWatcher> onEnd;
    private BoardSnapshot pending;
    private boolean sending;
    private long lastVersion = -1;
    private boolean closed;

    BoardWatcher(Sender ret, Consumer<BoardWatcher> onEnd) {
        this.ret = ret;
        this.onEnd = onEnd;
    }

    /** Sends {@code snapshot} unless a newer one was sent or is waiting; never blocks. */
    void offer(BoardSnapshot snapshot) {
        synchronized (this) {
            if (closed || snapshot.version() <= lastVersion
                    || (pending != null && snapshot.version() <= pending.version())) {
                return;
            }
            if (sending) {
                pending = snapshot;
                return;
            }
            sending = true;
            lastVersion = snapshot.version();
        }
        send(snapshot);
    }

    private void send(BoardSnapshot snapshot) {
        ret.sendAsync(snapshot).whenComplete((sent, failure) -> {
            if (failure != null) {
                close();
                return;
            }
            BoardSnapshot next;
            synchronized (this) {
                next = pending;
                pending = null;
                sending = next != null && !closed;
                if (!sending) {
                    return;
                }
                lastVersion = next.version();
            }
            send(next);
        });
    }

    /** Ends the watch: the client sees its reply channel end. Idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ret.close();
        onEnd.accept(this);
    }
}
