package io.libchan.example.hello;

/** The {@code hello} endpoint's answer: {@code {"greeting": "hello, <name>"}}. */
public record Greeting(String greeting) {
}
