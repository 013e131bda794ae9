package io.libchan.cdi;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.concurrent.ThreadFactory;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;

/**
 * A JNDI with one name, {@code java:comp/DefaultManagedThreadFactory}, standing for a container's
 * managed thread factory while a test boots its deployment ({@link #offering}); every other name is
 * not found, as in Java SE.
 */
public final class FakeJndi implements InitialContextFactory {
    private static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
    private static volatile ThreadFactory threads;

    /** Runs {@code boot} with {@code factory} found in JNDI (the JVM's JNDI is as before afterwards). */
    static <T> T offering(ThreadFactory factory, java.util.function.Supplier<T> boot) {
        threads = factory;
        System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJndi.class.getName());
        try {
            return boot.get();
        } finally {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
            threads = null;
        }
    }

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(FakeJndi.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "lookup" -> {
                        ThreadFactory found = threads;
                        if (found != null && MANAGED_THREAD_FACTORY.equals(String.valueOf(args[0]))) {
                            yield found;
                        }
                        throw new NameNotFoundException(String.valueOf(args[0]));
                    }
                    case "close" -> null;
                    case "getEnvironment" -> new Hashtable<>();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "FakeJndi";
                    default -> throw new OperationNotSupportedException(method.getName());
                });
    }
}
