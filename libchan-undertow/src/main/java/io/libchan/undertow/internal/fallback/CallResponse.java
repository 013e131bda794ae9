package io.libchan.undertow.internal.fallback;

import java.io.IOException;

/**
 * Where a call's answer goes: either one whole response, or a stream of chunks. Implementations
 * are not thread-safe; the replies serialise their calls.
 */
interface CallResponse {

    /** Sends a whole response and ends it. */
    void respond(int status, String contentType, byte[] body) throws IOException;

    /** Sends the status and headers of a streamed response (no length). */
    void startStream(int status, String contentType) throws IOException;

    /** Writes and flushes one chunk of a streamed response. */
    void write(byte[] chunk) throws IOException;

    /** Ends the streamed response. */
    void end() throws IOException;
}
