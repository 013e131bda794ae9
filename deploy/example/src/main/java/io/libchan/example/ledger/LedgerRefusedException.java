package io.libchan.example.ledger;

import jakarta.ejb.ApplicationException;

/**
 * The ledger refused an entry after writing it (the {@code #fail} marker): an application exception
 * that rolls the transaction back, passed on by the container as it is, so the peer's error reply
 * names this type.
 */
@ApplicationException(rollback = true)
public class LedgerRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerRefusedException(String message) {
        super(message);
    }
}
