package io.libchan.example.pool;

/** What a client gets on its {@code ret}: the job's number, the worker that did it, and the worker's result. */
public record JobResult(long job, String worker, Object result) {
}
