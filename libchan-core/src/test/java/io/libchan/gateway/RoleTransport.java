package io.libchan.gateway;

import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A session whose peer holds {@code roles}, as an authenticating HTTP door would say. */
final class RoleTransport implements Transport {
    private final Transport delegate;
    private final Set<String> roles;

    RoleTransport(Transport delegate, Set<String> roles) {
        this.delegate = delegate;
        this.roles = roles;
    }

    @Override
    public boolean isPeerInRole(String role) {
        return roles.contains(role);
    }

    @Override
    public Sender newSendChannel() {
        return delegate.newSendChannel();
    }

    @Override
    public Sender newSendChannel(String name) {
        return delegate.newSendChannel(name);
    }

    @Override
    public Receiver waitReceiveChannel() {
        return delegate.waitReceiveChannel();
    }

    @Override
    public Receiver waitReceiveChannel(Duration timeout) {
        return delegate.waitReceiveChannel(timeout);
    }

    @Override
    public CompletableFuture<Receiver> receiveChannelAsync() {
        return delegate.receiveChannelAsync();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return delegate.closeFuture();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void abort() {
        delegate.abort();
    }
}
