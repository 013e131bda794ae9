package io.libchan.cdi.internal;

import io.libchan.cdi.ChannelCall;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;

/**
 * Adds the synthetic {@code @RequestScoped} {@link ChannelCall} bean: its instance, created within
 * an endpoint call's request context, captures that call ({@link CurrentCall}). Stateless.
 */
final class ChannelCallBean {
    private ChannelCallBean() {
    }

    static void register(AfterBeanDiscovery event) {
        event.<ChannelCall>addBean()
                .beanClass(LibchanExtension.class)
                .types(ChannelCall.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(RequestScoped.class)
                .createWith(context -> CurrentCall.capture());
    }
}
