package io.libchan.cdi.internal;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Runs code with a CDI request context active (a fresh one, unless the thread already has one),
 * as endpoint calls and event observers expect. Thread-safe.
 */
final class RequestScopes {
    private final Instance<RequestContextController> controllers;

    RequestScopes(BeanManager beanManager) {
        this.controllers = beanManager.createInstance().select(RequestContextController.class);
    }

    void run(Runnable work) {
        RequestContextController controller = controllers.get();
        boolean activated = controller.activate();
        try {
            work.run();
        } finally {
            if (activated) {
                controller.deactivate();
            }
            controllers.destroy(controller);
        }
    }
}
