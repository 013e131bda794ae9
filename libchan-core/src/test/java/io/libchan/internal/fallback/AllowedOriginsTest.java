package io.libchan.internal.fallback;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllowedOriginsTest {

    @Test
    void aRequestWithoutOriginIsNoBrowserAndPasses() {
        assertTrue(AllowedOrigins.sameOrigin().allows(null, "http", "127.0.0.1:8080"));
    }

    @Test
    void theServersOwnOriginPassesWithDefaultPortsAndCaseIgnored() {
        AllowedOrigins same = AllowedOrigins.sameOrigin();
        assertTrue(same.allows("http://127.0.0.1:8080", "http", "127.0.0.1:8080"));
        assertTrue(same.allows("HTTPS://App.Example.com", "https", "app.example.com:443"));
        assertTrue(same.allows("http://[::1]:9000", "http", "[::1]:9000"));
    }

    @Test
    void anotherHostPortOrSchemeIsRefused() {
        AllowedOrigins same = AllowedOrigins.sameOrigin();
        assertFalse(same.allows("http://evil.example", "http", "127.0.0.1:8080"));
        assertFalse(same.allows("http://127.0.0.1:8081", "http", "127.0.0.1:8080"));
        assertFalse(same.allows("https://127.0.0.1:8080", "http", "127.0.0.1:8080"));
        assertFalse(same.allows("null", "http", "127.0.0.1:8080"));
        assertFalse(same.allows("http://127.0.0.1:8080", "http", null));
    }

    @Test
    void listedOriginsPassBesideTheServersOwn() {
        AllowedOrigins list = AllowedOrigins.parse(" https://app.example.com, http://localhost:3000 ");
        assertTrue(list.allows("https://app.example.com:443", "http", "127.0.0.1:8080"));
        assertTrue(list.allows("http://localhost:3000", "http", "127.0.0.1:8080"));
        assertTrue(list.allows("http://127.0.0.1:8080", "http", "127.0.0.1:8080"));
        assertFalse(list.allows("http://localhost:3001", "http", "127.0.0.1:8080"));
    }

    @Test
    void aStarAllowsAnyOrigin() {
        assertTrue(AllowedOrigins.parse("*").allows("http://evil.example", "http", "127.0.0.1:8080"));
        assertTrue(AllowedOrigins.parse("").allows(null, "http", "x"));
        assertFalse(AllowedOrigins.parse("").allows("http://evil.example", "http", "127.0.0.1:8080"));
    }

    @Test
    void anEntryThatIsNoOriginIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllowedOrigins.parse("https://ok.example, app.example.com/path"));
        assertTrue(e.getMessage().contains("app.example.com/path"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AllowedOrigins.parse("https://ok.example/app"));
    }
}
