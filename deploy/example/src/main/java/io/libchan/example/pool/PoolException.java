package io.libchan.example.pool;

/**
 * The pool could not do what was asked; sent to the peer as an error reply whose type is this
 * class's name and whose message says why: no worker registered, every worker tried was lost, a
 * worker name already taken, a registration without its channels, the pool shutting down.
 */
public class PoolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PoolException(String message) {
        super(message);
    }
}
