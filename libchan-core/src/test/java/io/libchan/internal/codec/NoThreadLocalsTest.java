package io.libchan.internal.codec;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A redeployed application must not leave its class loader behind on the container's threads
 * (issue 16: one more WAR class loader per redeploy on WildFly, held by a thread-local of
 * jackson-dataformat-msgpack on a pooled EE thread). Here the library is loaded as a WAR bundles
 * it, in a class loader of its own; its codecs run on a thread that outlives it, as a container's
 * pooled thread does; once the "deployment" is dropped, its loader must be collectable.
 */
class NoThreadLocalsTest {

    @Test
    void codecsLeaveNothingOnAContainerThreadThatHoldsTheDeploymentsClassLoader() throws Exception {
        ExecutorService containerThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "container-pooled-thread");
            t.setDaemon(true);
            return t;
        });
        try {
            ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
            WeakReference<ClassLoader> deployment = deployAndRun(containerThread, collected);
            // the container thread is still alive (and runs again, as pooled threads do)
            containerThread.submit(() -> { }).get(30, TimeUnit.SECONDS);
            for (int attempt = 0; attempt < 20; attempt++) {
                System.gc();
                if (collected.remove(500) == deployment) {
                    return;
                }
            }
            fail("the deployment's class loader is still reachable after 20 collections: something of the"
                    + " library stayed on the container's thread (take a heap dump to see what)");
        } finally {
            containerThread.shutdownNow();
        }
    }

    private static WeakReference<ClassLoader> deployAndRun(ExecutorService thread, ReferenceQueue<ClassLoader> queue)
            throws Exception {
        URLClassLoader war = new URLClassLoader("deployment.test.war", classPath(), ClassLoader.getPlatformClassLoader());
        Class<?> roundTrips = Class.forName(CodecRoundTrips.class.getName(), true, war);
        assertNotSame(CodecRoundTrips.class, roundTrips, "loaded again by the deployment's loader");
        Runnable task = (Runnable) roundTrips.getConstructor().newInstance();
        thread.submit(task).get(60, TimeUnit.SECONDS);
        war.close();
        return new WeakReference<>(war, queue);
    }

    private static URL[] classPath() throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = new File(entries[i]).toURI().toURL();
        }
        return urls;
    }
}
