package io.libchan.internal.observe;

/**
 * Commits the JFR events of a session, if this class loader sees JFR and a recording wants them:
 * otherwise each call is a branch on a flag. {@code jdk.jfr} may be left out of a jlinked runtime,
 * and an application server's deployment may not see it although the JVM has it (WildFly gives a
 * WAR {@code jdk.jfr} only when its {@code jboss-deployment-structure.xml} asks): the first event
 * that cannot link turns them off for good, so no session pays a failed class load per event. A
 * failure to record never reaches the session.
 */
final class LibchanEvents {
    private static volatile boolean jfr = visible();

    private LibchanEvents() {
    }

    static void sessionOpened(SessionObservation s) {
        if (jfr) {
            try {
                JfrEvents.sessionOpened(s);
            } catch (RuntimeException | LinkageError e) {
                notRecorded(e);
            }
        }
    }

    static void sessionClosed(SessionObservation s, Throwable failure) {
        if (jfr) {
            try {
                JfrEvents.sessionClosed(s, failure);
            } catch (RuntimeException | LinkageError e) {
                notRecorded(e);
            }
        }
    }

    static void protocolError(SessionObservation s, String type, String scope, String message) {
        if (jfr) {
            try {
                JfrEvents.protocolError(s, type, scope, message);
            } catch (RuntimeException | LinkageError e) {
                notRecorded(e);
            }
        }
    }

    static void messageRefused(SessionObservation s, String reason, String message) {
        if (jfr) {
            try {
                JfrEvents.messageRefused(s, reason, message);
            } catch (RuntimeException | LinkageError e) {
                notRecorded(e);
            }
        }
    }

    private static boolean visible() {
        try {
            Class.forName("jdk.jfr.Event", false, LibchanEvents.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void notRecorded(Throwable e) {
        if (e instanceof LinkageError) {
            jfr = false;
        }
        System.getLogger(LibchanEvents.class.getName()).log(System.Logger.Level.DEBUG, "JFR event not recorded", e);
    }
}
