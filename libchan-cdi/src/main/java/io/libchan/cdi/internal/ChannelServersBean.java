package io.libchan.cdi.internal;

import io.libchan.cdi.ChannelServers;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import java.util.function.Supplier;

/**
 * Adds the synthetic {@code @Dependent} {@link ChannelServers} bean: the runtime's shared, thread-safe
 * {@link ExternalSessions}, so destroying an instance does nothing. Stateless.
 */
final class ChannelServersBean {
    private ChannelServersBean() {
    }

    static void register(AfterBeanDiscovery event, Supplier<ExternalSessions> servers) {
        event.<ChannelServers>addBean()
                .beanClass(LibchanExtension.class)
                .types(ChannelServers.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Dependent.class)
                .createWith(context -> servers.get());
    }
}
