package io.libchan.example.ledger;

/** A committed ledger row, as the JAX-RS resource of the WAR lists them. */
public record Booked(long id, String account, long cents, String memo) {
}
