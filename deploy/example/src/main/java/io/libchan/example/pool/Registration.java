package io.libchan.example.pool;

import io.libchan.Receiver;
import io.libchan.Sender;

/**
 * What a worker sends on a channel named {@code workers} to join the pool. Both channels are made
 * by the worker and travel inside this message as nested channels of the worker's own session:
 *
 * <ul>
 *   <li>{@code jobs}: a {@link Sender} the pool sends {@link WorkerJob}s on (the worker reads them
 *       from its end). A send that fails tells the pool the worker is gone, with the job still in
 *       its hand to give to another worker.</li>
 *   <li>{@code status}: a {@link Receiver} the worker writes {@link WorkerStatus} updates on. It is
 *       the worker's lease: when the worker closes it, or its session ends or breaks, the pool sees
 *       the channel end and removes the worker at once, without waiting for a send to fail.</li>
 * </ul>
 *
 * The reply on {@code ret} is {@link Registered}, or an error reply (a blank name, a name already
 * registered, a missing channel).
 */
public record Registration(String worker, Sender jobs, Receiver status, Sender ret) {
}
