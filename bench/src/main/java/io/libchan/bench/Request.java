package io.libchan.bench;

import io.libchan.Sender;

/** The request of the round-trip benchmarks: a command and the nested reply channel, as in Go's libchan examples. */
public record Request(String cmd, Sender ret) {
}
