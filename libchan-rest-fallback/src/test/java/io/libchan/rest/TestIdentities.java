package io.libchan.rest;

import io.undertow.security.idm.Account;
import io.undertow.security.idm.Credential;
import io.undertow.security.idm.IdentityManager;
import io.undertow.security.idm.PasswordCredential;
import java.security.Principal;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The users of the test deployment, all with password "secret": alice (roles user, auditor), carol
 * (user) and bob (no role), as a realm of the application server would know them.
 */
final class TestIdentities implements IdentityManager {
    static final String PASSWORD = "secret";
    private static final Map<String, Set<String>> ROLES = Map.of(
            "alice", Set.of("user", "auditor"), "carol", Set.of("user"), "bob", Set.of());

    @Override
    public Account verify(Account account) {
        return account;
    }

    @Override
    public Account verify(String id, Credential credential) {
        if (!ROLES.containsKey(id) || !(credential instanceof PasswordCredential)
                || !Arrays.equals(((PasswordCredential) credential).getPassword(), PASSWORD.toCharArray())) {
            return null;
        }
        Principal principal = () -> id;
        return new Account() {
            @Override
            public Principal getPrincipal() {
                return principal;
            }

            @Override
            public Set<String> getRoles() {
                return ROLES.get(id);
            }
        };
    }

    @Override
    public Account verify(Credential credential) {
        return null;
    }
}
