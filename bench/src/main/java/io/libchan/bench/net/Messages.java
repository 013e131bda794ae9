package io.libchan.bench.net;

import io.libchan.ByteStream;
import io.libchan.Sender;

/** The messages of the libchan network benchmarks (records travel as msgpack maps keyed by field name). */
final class Messages {
    private Messages() {
    }

    /** What the server decodes every message into; absent fields are null. */
    record ServerRequest(String cmd, Sender ret, Boolean keep, ByteStream bytes) {
    }

    /** The first message of a kept reply channel: the server answers this and later messages on {@code ret}. */
    record KeepRequest(String cmd, Sender ret, boolean keep) {
    }

    /** A request without a reply channel of its own: answered on the kept one. */
    record Cmd(String cmd) {
    }

    /** Opens a byte-stream echo: the server copies what it reads on {@code bytes} back to it. */
    record StreamRequest(ByteStream bytes) {
    }

    /** The jschan echo server's request: it answers {@code {seq, body}} on {@code ret} and ends it. */
    record JsRequest(long seq, String body, Sender ret) {
    }

    /** The jschan echo server's reply. */
    record JsReply(long seq, String body) {
    }
}
