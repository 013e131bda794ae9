package io.libchan.example.ledger;

import io.libchan.cdi.ChannelEndpoint;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

/**
 * A transactional libchan endpoint: a {@code @Stateless} session bean whose {@code @ChannelEndpoint}
 * method runs in a container-managed transaction (REQUIRED, the default) and writes a row with JPA
 * (the {@code ledger} unit, WildFly's {@code java:jboss/datasources/ExampleDS}).
 *
 * <p>The answer goes back on the entry's {@code ret} only after the transaction ended: a commit
 * sends the {@link Receipt}; a rollback sends an error reply, whether the method threw
 * ({@code #fail}: {@link LedgerRefusedException}, rolled back by the container) or returned after
 * marking the transaction rollback-only ({@code #rollback}: libchan-ejb's interceptor turns that
 * into {@code io.libchan.ejb.TransactionRolledBackException}). So a peer that got a receipt knows
 * the row is there, and one that got an error knows it is not.
 *
 * <p>Only in a Jakarta EE server; the example's {@code beans.xml} leaves this package out where
 * there is no EJB container (Java SE with Weld).
 */
@Stateless
public class LedgerEndpoint {
    @PersistenceContext(unitName = "ledger")
    EntityManager entities;

    @Resource
    SessionContext session;

    @ChannelEndpoint("ledger")
    public Receipt record(Entry entry) {
        if (entry.account() == null || entry.account().isBlank()) {
            throw new IllegalArgumentException("an entry needs an account");
        }
        String memo = entry.memo() == null ? "" : entry.memo();
        LedgerEntry row = new LedgerEntry(entry.account(), entry.cents(), memo);
        entities.persist(row);
        entities.flush(); // the INSERT runs now: what follows rolls back a row that was really written
        if (memo.contains("#fail")) {
            throw new LedgerRefusedException("entry for " + entry.account() + " refused (#fail): nothing was recorded");
        }
        if (memo.contains("#rollback")) {
            session.setRollbackOnly();
        }
        return row.receipt();
    }

    /** The committed rows of {@code account}, oldest first. */
    public List<Booked> entries(String account) {
        return entities.createNamedQuery(LedgerEntry.BY_ACCOUNT, LedgerEntry.class).setParameter("account", account)
                .getResultStream().map(LedgerEntry::booked).toList();
    }
}
