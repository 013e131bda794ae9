package io.libchan.cli;

import io.libchan.ChannelTimeoutException;
import io.libchan.Directory;
import io.libchan.LibchanException;
import io.libchan.Libchan;
import io.libchan.RemoteErrorException;
import io.libchan.Transport;
import java.io.PrintStream;
import java.net.URI;

/**
 * {@code libchan.jar ls URI}: asks the server's directory ({@link Directory}) what it offers this
 * caller and prints one line per entry, endpoints first, each group sorted by name:
 * {@code endpoint NAME} and {@code target NAME}. Exit 0 when answered (even with nothing listed),
 * 1 after an error reply (a server without a directory), 2 on a transport error or timeout.
 */
final class DirectoryCommand {
    private DirectoryCommand() {
    }

    static int ls(Main.Options o, PrintStream out, PrintStream err) {
        if (o.positional.size() != 1) {
            throw new IllegalArgumentException("ls needs URI");
        }
        Transport session = null;
        try {
            session = Libchan.connect(URI.create(o.positional.get(0)), Main.clientSettings(o));
            Directory.Listing listing = Directory.list(session, o.timeout);
            listing.endpoints().forEach(name -> out.println("endpoint " + name));
            listing.targets().forEach(name -> out.println("target " + name));
            out.flush();
            return 0;
        } catch (RemoteErrorException e) {
            err.println("libchan: the server answered " + e.getMessage());
            return 1;
        } catch (ChannelTimeoutException e) {
            err.println("libchan: no directory answer within " + o.timeout.toMillis() + " ms");
            return 2;
        } catch (LibchanException e) {
            err.println("libchan: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }
}
