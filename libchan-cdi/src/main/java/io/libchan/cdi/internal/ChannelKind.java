package io.libchan.cdi.internal;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.util.Optional;

/** The types a {@code @Channel} injection point may have. */
enum ChannelKind {
    SENDER(Sender.class),
    RECEIVER(Receiver.class),
    TRANSPORT(Transport.class),
    GATEWAY(io.libchan.gateway.GatewayClient.class);

    final Class<?> type;

    ChannelKind(Class<?> type) {
        this.type = type;
    }

    static Optional<ChannelKind> of(Class<?> type) {
        for (ChannelKind kind : values()) {
            if (kind.type == type) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
