package io.libchan.ejb;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs inside the endpoint's transaction (CDI interceptors of a session bean run within its
 * container-managed transaction) and turns a silent rollback into an error reply: when the method
 * returns but the transaction is marked rollback-only, it throws
 * {@link TransactionRolledBackException}, so the sender is told nothing was committed. An exception
 * thrown by the method already rolls the transaction back (system exceptions, and application
 * exceptions with {@code rollback = true}) and reaches the sender as an error reply through the CDI
 * dispatcher. Stateless; thread-safe.
 */
@Interceptor
@TransactionalEndpoint
@Priority(Interceptor.Priority.LIBRARY_AFTER)
public class RolledBackInterceptor {
    @Resource
    TransactionSynchronizationRegistry transactions;

    @AroundInvoke
    public Object failIfRolledBack(InvocationContext call) throws Exception {
        Object result = call.proceed();
        if (transactions != null && transactions.getTransactionStatus() == Status.STATUS_MARKED_ROLLBACK) {
            throw new TransactionRolledBackException("the transaction of " + call.getMethod().getDeclaringClass().getSimpleName()
                    + "." + call.getMethod().getName() + " was rolled back; nothing it did was committed");
        }
        return result;
    }
}
