package io.libchan.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.ledger.Entry;
import io.libchan.example.ledger.Receipt;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code ledger} endpoint, a {@code @Stateless} bean writing with JPA in a container-managed
 * transaction, called over the raw TCP server: a commit answers with a receipt and the row is there;
 * a rollback, whether the bean threw or only marked its transaction, answers with an error reply
 * and the row is not there (read back through the WAR's JAX-RS resource, outside the endpoint).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LedgerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive();
    }

    private static Object record(String account, long cents, String memo) {
        // not on the raw listener: it is anonymous and serves echo and hello only
        try (Transport session = Libchan.connect(DemoWar.http("h2c"))) {
            Pipe ret = Pipe.create();
            Sender ledger = session.newSendChannel("ledger");
            ledger.send(new Entry(account, cents, memo, ret.sender()), WAIT);
            ledger.close();
            return ret.receiver().receive(Object.class, WAIT);
        }
    }

    private static List<?> committedRows(String account) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(DemoWar.page("api/ledger/" + account))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readValue(r.body(), List.class);
    }

    private static RemoteErrorException error(Object answer) {
        return ErrorReply.asError(answer).orElseThrow(() -> new AssertionError("not an error reply: " + answer));
    }

    @Test
    void aCommittedEntryAnswersWithItsReceiptAndTheRowIsThere() throws Exception {
        String account = "commit-" + UUID.randomUUID();
        Receipt receipt = Messages.convert(record(account, 1250, "coffee"), Receipt.class);
        assertEquals(account, receipt.account());
        assertEquals(1250, receipt.cents());
        List<?> rows = committedRows(account);
        assertEquals(1, rows.size(), rows::toString);
        assertEquals(Map.of("id", (int) receipt.id(), "account", account, "cents", 1250, "memo", "coffee"), rows.get(0));
    }

    @Test
    void anEntryTheBeanRefusesRollsBackAndAnswersWithTheBeansError() throws Exception {
        String account = "fail-" + UUID.randomUUID();
        RemoteErrorException e = error(record(account, 500, "refuse me #fail"));
        assertEquals("io.libchan.example.ledger.LedgerRefusedException", e.type());
        assertTrue(committedRows(account).isEmpty(), "the row written before the failure was committed");
    }

    @Test
    void anEntryWhoseTransactionIsMarkedRollbackOnlyAnswersWithAnError() throws Exception {
        String account = "rollback-" + UUID.randomUUID();
        RemoteErrorException e = error(record(account, 700, "undo me #rollback"));
        assertEquals("io.libchan.ejb.TransactionRolledBackException", e.type());
        assertTrue(e.getMessage().contains("nothing it did was committed"), e.getMessage());
        assertTrue(committedRows(account).isEmpty(), "the row of a rolled-back transaction was committed");
    }

    @Test
    void aRollbackDoesNotTouchWhatWasCommittedBefore() throws Exception {
        String account = "mixed-" + UUID.randomUUID();
        Messages.convert(record(account, 100, "first"), Receipt.class);
        error(record(account, 200, "second #fail"));
        Messages.convert(record(account, 300, "third"), Receipt.class);
        List<?> rows = committedRows(account);
        assertEquals(List.of("first", "third"), rows.stream().map(r -> ((Map<?, ?>) r).get("memo")).toList());
    }
}
