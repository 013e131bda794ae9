package io.libchan.cdi.internal;

import io.libchan.cdi.ChannelEndpoint;
import jakarta.enterprise.inject.spi.Bean;
import java.lang.reflect.Method;

/**
 * A {@link ChannelEndpoint} method seen while the container scanned, not yet checked.
 *
 * @param bean the bean declaring it
 * @param method the method
 * @param annotation its annotation
 */
record FoundEndpoint(Bean<?> bean, Method method, ChannelEndpoint annotation) {
}
