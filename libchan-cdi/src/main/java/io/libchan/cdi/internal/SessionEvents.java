package io.libchan.cdi.internal;

import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;

/**
 * Fires {@link SessionOpened} and {@link SessionClosed} synchronously, with a request context
 * active; an observer's exception is logged, so it cannot break a session loop. Thread-safe.
 */
final class SessionEvents {
    private static final System.Logger LOG = System.getLogger("io.libchan.cdi");

    private final BeanManager beanManager;
    private final RequestScopes scopes;

    SessionEvents(BeanManager beanManager, RequestScopes scopes) {
        this.beanManager = beanManager;
        this.scopes = scopes;
    }

    void opened(SessionOpened event) {
        fire(SessionOpened.class, event);
    }

    void closed(SessionClosed event) {
        fire(SessionClosed.class, event);
    }

    private <T> void fire(Class<T> type, T event) {
        try {
            scopes.run(() -> beanManager.getEvent().select(type).fire(event));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> UserMessages.observerFailed(event, e), e);
        }
    }
}
