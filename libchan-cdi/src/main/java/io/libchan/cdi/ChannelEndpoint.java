package io.libchan.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that serves the endpoint {@link #value()}: it is called once for every
 * message on every channel routed to that name, which are
 * <ul>
 *   <li>top-level channels a peer opens, on a session accepted by a {@code libchan.server.<name>}
 *       listener or on a session of a remote {@link Channel}, whose channel name
 *       ({@link io.libchan.Receiver#channelName()}) equals the endpoint name (an unnamed channel on
 *       a server goes to its default endpoint);</li>
 *   <li>the in-app {@code inmem:} channel of the same name, fed by injected {@link Channel} Senders.</li>
 * </ul>
 *
 * <p><b>Signature.</b> {@code (M message)}, {@code (M message, Sender reply)} or {@code ()}, on a
 * non-static, non-private method of a bean. The message is converted to {@code M} (a record, POJO,
 * {@code Map}, scalar, or {@code Object} for the untyped form); a record or POJO may declare
 * {@code Sender ret} to receive the reply channel. A non-void return value is sent on the
 * message's reply channel ({@link io.libchan.Messages#replyChannel}, the {@code ret} field), which
 * is then closed; an exception is sent there as {@link io.libchan.ErrorReply#of(Throwable)}, or
 * logged when the message has no reply channel. A void method that does not take the reply
 * channel (as a parameter or a {@code ret} property) has it closed when it returns.
 *
 * <p><b>Threading.</b> Calls run on a bounded executor, the container's managed executor (Java SE:
 * a pool of {@code libchan.threads} daemon threads) with a CDI request context active and
 * {@link ChannelCall} describing the call; no thread waits for a channel's next message. Messages of
 * one channel are handled one at a time, in order; calls for different channels run concurrently,
 * at most {@link #maxConcurrency()} at once per endpoint. The method may block: its call then holds
 * one executor thread until it returns, and {@link #maxConcurrency()} bounds how many it takes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ChannelEndpoint {

    /** The endpoint name peers address ({@code Transport.newSendChannel(name)}). */
    String value();

    /**
     * Most calls of this endpoint running at once, across all its channels; 0 (the default) means
     * no limit of its own (the executor's size is then the bound). A message over the limit waits,
     * holding no thread, until a call finishes. Overridden by
     * {@code libchan.endpoint.<name>.max-concurrency}.
     */
    int maxConcurrency() default 0;
}
