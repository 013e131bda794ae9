package io.libchan.example.pool;

import io.libchan.Receiver;
import io.libchan.Sender;

/**
 * A registered worker as the pool keeps it: the channel its jobs go on and its status channel (the
 * lease, see {@link Registration}). Closing it ends both: the worker sees its jobs channel end.
 * Thread-safe.
 */
final class PoolMember {
    final String name;
    final String via;
    final Sender jobs;
    final Receiver status;
    private volatile AutoCloseable following;

    PoolMember(String name, String via, Sender jobs, Receiver status) {
        this.name = name;
        this.via = via;
        this.jobs = jobs;
        this.status = status;
    }

    void following(AutoCloseable subscription) {
        following = subscription;
    }

    void close() {
        AutoCloseable f = following;
        if (f != null) {
            try {
                f.close();
            } catch (Exception e) {
                // the subscription has ended already
            }
        }
        status.close();
        jobs.close();
    }

    @Override
    public String toString() {
        return name;
    }
}
