package io.libchan.example.pool;

/** The pool's answer to a {@link Registration}: the worker's name and how many workers there are now. */
public record Registered(String worker, int workers) {
}
