package io.libchan.example.pool;

/** A job's progress, 0 to 100, as the worker reports it and as the client receives it. */
public record Progress(long job, int percent) {
}
