package io.libchan.example.ledger;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** One row of the ledger table. */
@Entity
@Table(name = "LIBCHAN_LEDGER")
@NamedQuery(name = LedgerEntry.BY_ACCOUNT, query = "select e from LedgerEntry e where e.account = :account order by e.id")
public class LedgerEntry {
    static final String BY_ACCOUNT = "LedgerEntry.byAccount";

    @Id
    @GeneratedValue
    private Long id;
    private String account;
    private long cents;
    private String memo;

    protected LedgerEntry() {
    }

    LedgerEntry(String account, long cents, String memo) {
        this.account = account;
        this.cents = cents;
        this.memo = memo;
    }

    Booked booked() {
        return new Booked(id, account, cents, memo);
    }

    Receipt receipt() {
        return new Receipt(id, account, cents);
    }
}
