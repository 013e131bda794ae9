package io.libchan.example.hello;

import io.libchan.Sender;

/**
 * A request to the {@code hello} endpoint: who to greet, and the reply channel the greeting goes
 * back on. Over a network {@code ret} is a nested channel; Go peers may call it {@code Ret}.
 */
public record HelloRequest(String name, Sender ret) {
}
