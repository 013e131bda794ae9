package io.libchan.cli;

import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.Sender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One top-level channel of the echo service: its messages are pushed to {@link #onNext} and
 * answered one at a time, in order; the next is asked for only once the last was answered (its
 * nested Receivers read to their end), so replies on a kept {@code ret} keep the order of their
 * requests, and the channel's sender feels back-pressure. No thread waits while the channel is idle.
 *
 * <p>State: {@code kept} is the {@code ret} of the last message that had {@code keep: true}; written
 * and read only by the one message in hand, handed from one to the next by the subscription.
 */
final class EchoChannel implements Flow.Subscriber<Object> {
    private static final Logger LOG = Logger.getLogger(EchoChannel.class.getName());
    private final Receiver channel;
    private final EchoAnswers answers;
    private volatile Flow.Subscription subscription;
    private volatile Sender kept;
    private volatile Executor executor;

    EchoChannel(Receiver channel, EchoAnswers answers) {
        this.channel = channel;
        this.answers = answers;
    }

    /**
     * Starts taking messages. Never blocks. A small message is answered where it is delivered, on
     * the connection's I/O thread (answering only encodes and sends asynchronously: nothing there
     * waits), which saves the hand-over to {@code executor} and its thread wake-up per request; a
     * large one is answered on {@code executor}, so encoding it does not hold up the other
     * connections of that I/O thread.
     */
    void start(Executor executor) {
        this.executor = executor;
        channel.publisher(Object.class, Runnable::run).subscribe(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(Object message) {
        if (SmallMessage.fits(message)) {
            answer(message);
        } else {
            executor.execute(() -> answer(message));
        }
    }

    private void answer(Object message) {
        Sender own = Messages.replyChannel(message).orElse(null);
        boolean keep = Messages.flag(message, "keep");
        if (own != null && keep) {
            kept = own;
        }
        // an own ret is closed after the reply unless kept; a kept one stays open
        Sender ret = own != null ? own : kept;
        boolean closeRet = own != null && !keep;
        CompletableFuture<Void> answered;
        try {
            answered = answers.answer(message, ret, closeRet);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "echo failed", e);
            answered = CompletableFuture.completedFuture(null);
        }
        answered.whenComplete((done, error) -> subscription.request(1));
    }

    @Override
    public void onError(Throwable error) {
        LOG.log(Level.FINE, "channel failed", error);
        executor.execute(this::end); // closing may wait for a send of ours: not on the I/O thread
    }

    @Override
    public void onComplete() {
        executor.execute(this::end);
    }

    private void end() {
        Sender k = kept;
        if (k != null) {
            k.close();
        }
        channel.close();
    }
}
