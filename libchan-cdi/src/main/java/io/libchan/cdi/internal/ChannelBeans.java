package io.libchan.cdi.internal;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.cdi.Channel;
import io.libchan.gateway.GatewayClient;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Adds the synthetic {@code @Channel("<name>")} beans of types {@link Sender}, {@link Receiver},
 * {@link Transport} and {@link GatewayClient}, one of each per channel name. They are
 * {@code @Dependent} handles to objects the runtime owns and shares (destroying them does nothing);
 * a kind the channel's URI does not allow fails deployment at its injection point, or throws
 * {@link IllegalStateException} when looked up programmatically. Stateless.
 */
final class ChannelBeans {
    private ChannelBeans() {
    }

    static void register(AfterBeanDiscovery event, Set<String> names, Supplier<LibchanRuntime> runtime) {
        for (String name : names) {
            add(event, name, Sender.class, r -> r.sender(name), runtime);
            add(event, name, Receiver.class, r -> r.receiver(name), runtime);
            add(event, name, Transport.class, r -> r.transport(name), runtime);
            add(event, name, GatewayClient.class, r -> r.gatewayClient(name), runtime);
        }
    }

    private static <T> void add(AfterBeanDiscovery event, String name, Class<T> type,
                                Function<LibchanRuntime, T> create, Supplier<LibchanRuntime> runtime) {
        event.<T>addBean()
                .beanClass(LibchanExtension.class)
                .types(type, Object.class)
                .qualifiers(Channel.Literal.of(name), Any.Literal.INSTANCE)
                .scope(Dependent.class)
                .createWith(context -> create.apply(runtime.get()));
    }
}
