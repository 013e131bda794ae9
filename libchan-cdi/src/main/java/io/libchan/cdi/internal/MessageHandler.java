package io.libchan.cdi.internal;

/** Handles one message of a call; must not throw (failures are answered or logged by the handler). */
@FunctionalInterface
interface MessageHandler {
    void handle(Object message, CallInfo call);
}
