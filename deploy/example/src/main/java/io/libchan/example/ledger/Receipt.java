package io.libchan.example.ledger;

/** The answer to a committed {@link Entry}: the row's id, the account and the amount. */
public record Receipt(long id, String account, long cents) {
}
