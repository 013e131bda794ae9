package io.libchan.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Virtual threads (Java 21+) for code compiled with {@code --release 17}: {@code Thread.ofVirtual()}
 * and {@code Thread.isVirtual()} are looked up with method handles, so this class loads on Java 17
 * and reports that they are missing there.
 */
public final class VirtualThreads {
    private static final MethodHandle OF_VIRTUAL;   // () -> Thread.Builder.OfVirtual
    private static final MethodHandle NAME;         // (Thread.Builder, String) -> Thread.Builder
    private static final MethodHandle START;        // (Thread.Builder, Runnable) -> Thread
    private static final MethodHandle IS_VIRTUAL;   // (Thread) -> boolean
    private static final MethodHandle FACTORY;      // (Thread.Builder) -> ThreadFactory
    private static final String MISSING;

    static {
        MethodHandle ofVirtual = null;
        MethodHandle name = null;
        MethodHandle start = null;
        MethodHandle isVirtual = null;
        MethodHandle factory = null;
        String missing = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
            ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
            name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
            start = lookup.findVirtual(builder, "start", MethodType.methodType(Thread.class, Runnable.class));
            isVirtual = lookup.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
            factory = lookup.findVirtual(builder, "factory", MethodType.methodType(java.util.concurrent.ThreadFactory.class));
        } catch (ReflectiveOperationException e) {
            missing = "virtual threads need Java 21 or later; this JVM is Java " + Runtime.version()
                    + " (run with JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64)";
        }
        OF_VIRTUAL = ofVirtual;
        NAME = name;
        START = start;
        IS_VIRTUAL = isVirtual;
        FACTORY = factory;
        MISSING = missing;
    }

    private VirtualThreads() {
    }

    /** True on Java 21+. */
    public static boolean available() {
        return MISSING == null;
    }

    /** Why virtual threads are missing, or null when they are available. */
    public static String unavailableReason() {
        return MISSING;
    }

    /** Starts {@code task} on a new virtual thread. */
    public static Thread start(String threadName, Runnable task) {
        if (MISSING != null) {
            throw new UnsupportedOperationException(MISSING);
        }
        try {
            Object b = OF_VIRTUAL.invoke();
            b = NAME.invoke(b, threadName);
            return (Thread) START.invoke(b, task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A factory of virtual threads named {@code threadName} (Java 21+). */
    public static java.util.concurrent.ThreadFactory factory(String threadName) {
        if (MISSING != null) {
            throw new UnsupportedOperationException(MISSING);
        }
        try {
            Object b = OF_VIRTUAL.invoke();
            b = NAME.invoke(b, threadName);
            return (java.util.concurrent.ThreadFactory) FACTORY.invoke(b);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** True when {@code t} is a virtual thread (always false on Java 17). */
    public static boolean isVirtual(Thread t) {
        if (MISSING != null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invoke(t);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
