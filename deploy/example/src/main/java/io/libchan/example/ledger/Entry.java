package io.libchan.example.ledger;

import io.libchan.Sender;

/**
 * A ledger entry as a peer sends it on a channel named {@code ledger}: an amount in cents for an
 * account, a memo, and the reply channel for the {@link Receipt} (or the error reply). Two memo
 * markers show what a rollback looks like from the peer's side: {@code #fail} makes the endpoint
 * throw after writing the row, {@code #rollback} makes it mark its transaction rollback-only and
 * return normally; either way nothing is committed and the peer gets an error reply.
 */
public record Entry(String account, long cents, String memo, Sender ret) {
}
