package io.libchan.cdi.internal;

import io.libchan.ErrorReply;
import io.libchan.Receiver;
import io.libchan.cdi.UnknownEndpointException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Turns away a channel no endpoint serves: waits (without parking a thread, at most
 * {@link #FIRST_MESSAGE_WAIT}) for its first message, answers that message's reply channel, if
 * any, with an {@link UnknownEndpointException} error reply, and closes the channel. Thread-safe.
 */
final class ChannelRejector {
    static final Duration FIRST_MESSAGE_WAIT = Duration.ofSeconds(10);

    private final LibchanExecutors executors;

    ChannelRejector(LibchanExecutors executors) {
        this.executors = executors;
    }

    void reject(Receiver channel, String reason) {
        CompletableFuture<Object> first = channel.receiveAsync(Object.class);
        Future<?> timeout = executors.schedule(() -> first.cancel(false), FIRST_MESSAGE_WAIT);
        first.whenComplete((message, error) -> {
            timeout.cancel(false);
            if (error == null) {
                ReplyChannels.of(message).ifPresent(reply -> Replies.sendThenClose(
                        reply, ErrorReply.of(new UnknownEndpointException(reason)), "-"));
            }
            channel.close();
        });
    }
}
