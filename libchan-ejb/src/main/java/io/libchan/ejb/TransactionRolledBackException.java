package io.libchan.ejb;

import jakarta.ejb.ApplicationException;

/**
 * The endpoint returned normally but its transaction was marked rollback-only (by the bean, or by
 * a resource that failed): nothing it did was committed, so the sender gets this as an error reply
 * instead of the result. An application exception: the container passes it on unwrapped.
 */
@ApplicationException(rollback = true)
public class TransactionRolledBackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransactionRolledBackException(String message) {
        super(message);
    }
}
