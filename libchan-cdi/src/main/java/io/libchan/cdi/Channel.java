package io.libchan.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Injects the channel configured under {@code libchan.channel.<name>.*}:
 * {@code @Inject @Channel("orders") Sender orders;} and likewise {@link io.libchan.Receiver},
 * {@link io.libchan.Transport} and {@link io.libchan.gateway.GatewayClient}.
 *
 * <p>What is injected depends on the channel's URI:
 * <ul>
 *   <li><b>In-app</b> ({@code inmem:<name>}, an opaque URI): a {@code Sender} and a {@code Receiver}
 *       are the two ends of one in-memory pipe shared by the whole application; several injected
 *       Receivers (and an endpoint method of the channel's name) compete, each message going to
 *       exactly one. A {@code Transport} or {@code GatewayClient} cannot be injected (deployment fails).</li>
 *   <li><b>Remote</b> (any other URI, including {@code inmem://<listener>}): a {@code Sender} is a
 *       top-level channel opened on a session to the URI (addressed to
 *       {@code libchan.channel.<name>.remote-name}), reconnecting with back-off when the session
 *       is lost; a {@code Transport} is that session; a {@code GatewayClient} opens tunnels through
 *       the gateway at the other end of that session ({@code connect("db")}, PROTOCOL.md section
 *       14). A {@code Receiver} cannot be injected
 *       (deployment fails): receive replies on a channel sent inside the message, or serve
 *       channels the peer opens with {@link ChannelEndpoint}.</li>
 * </ul>
 *
 * <p>Injected objects are owned by the container: they are thread-safe, shared, and closed at
 * shutdown. Every missing or bad setting fails deployment naming the configuration key.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface Channel {

    /** The channel's name: the {@code <name>} in {@code libchan.channel.<name>.uri}. */
    String value();

    /** An instance for programmatic lookup: {@code instance.select(Sender.class, Channel.Literal.of("orders"))}. */
    final class Literal extends AnnotationLiteral<Channel> implements Channel {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value, "value");
        }

        /** The qualifier for channel {@code name}. */
        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
