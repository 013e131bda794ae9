package io.libchan.example.pool;

import static org.junit.jupiter.api.Assertions.fail;

import io.libchan.ChannelTimeoutException;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** A client watching the pool's board: {@link #until} waits for a snapshot that shows what a check expects. */
public final class BoardWatch implements AutoCloseable {
    private final Sender channel;
    private final Pipe snapshots = Pipe.create();
    private BoardSnapshot last;

    private BoardWatch(Transport session) {
        channel = session.newSendChannel("board");
        channel.send(new PoolEndpoints.Watch(snapshots.sender()), PoolChecks.WAIT);
    }

    public static BoardWatch open(Transport session) {
        return new BoardWatch(session);
    }

    /** Takes snapshots until one matches; fails, showing the last one, if none does within {@link PoolChecks#WAIT}. */
    public BoardSnapshot until(String what, Predicate<BoardSnapshot> matching) {
        long deadline = System.nanoTime() + PoolChecks.WAIT.toNanos();
        if (last != null && matching.test(last)) {
            return last;
        }
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("the board never showed " + what + "; last: " + last);
            }
            try {
                last = snapshots.receiver().receive(BoardSnapshot.class, Duration.ofNanos(left));
            } catch (ChannelTimeoutException e) {
                fail("the board never showed " + what + "; last: " + last);
            }
            if (matching.test(last)) {
                return last;
            }
        }
    }

    /** The names of the workers on a snapshot. */
    public static List<String> workers(BoardSnapshot snapshot) {
        return snapshot.workers().stream().map(BoardSnapshot.WorkerView::name).toList();
    }

    @Override
    public void close() {
        snapshots.receiver().close();
        channel.close();
    }
}
