package io.libchan.cdi.internal;

import io.libchan.Libchan;
import io.libchan.spi.TransportProvider;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.TreeSet;
import java.util.ServiceLoader;

/**
 * The URI schemes {@link Libchan} can connect to and listen on, found the way it finds them
 * ({@link ServiceLoader} of {@link TransportProvider}, context and library class loaders), so a
 * bad scheme fails deployment rather than the first send. Stateless.
 */
final class TransportSchemes {
    private TransportSchemes() {
    }

    static Set<String> known() {
        Set<String> schemes = new TreeSet<>();
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), Libchan.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            try {
                for (TransportProvider provider : ServiceLoader.load(TransportProvider.class, loader)) {
                    provider.schemes().forEach(s -> schemes.add(s.toLowerCase(Locale.ROOT)));
                }
            } catch (ServiceConfigurationError e) {
                // a broken provider: Libchan will report it when used
            }
        }
        return schemes;
    }
}
