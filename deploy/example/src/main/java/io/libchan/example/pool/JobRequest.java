package io.libchan.example.pool;

import io.libchan.Sender;

/**
 * A job as a client submits it on a channel named {@code jobs}: a task (text), a reply channel for
 * the {@link JobResult} (or an error reply), and optionally a channel for {@link Progress} events,
 * closed when the job is done. Over the HTTP/1.1 fallback there is no {@code progress} (a call
 * cannot carry channels to the server); the result is the response.
 */
public record JobRequest(String task, Sender progress, Sender ret) {
}
