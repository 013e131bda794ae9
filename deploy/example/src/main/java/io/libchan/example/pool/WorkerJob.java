package io.libchan.example.pool;

import io.libchan.Sender;

/**
 * A job as the pool hands it to a worker, on the worker's {@code jobs} channel. The worker sends
 * {@link Progress} on {@code progress}, then {@code {"result": ...}} (or an error reply) on
 * {@code ret}, and closes both. Both channels belong to the pool, which relays what comes on them to
 * the client (see {@link WorkerPool}).
 */
public record WorkerJob(long job, String task, Sender progress, Sender ret) {
}
