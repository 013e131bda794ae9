package io.libchan.bench;

/** The reply of the round-trip benchmarks: the request's 64-byte string echoed back. */
public record Reply(String body) {
}
