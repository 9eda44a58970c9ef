package io.ccdstream.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds ports the operating system currently considers free on a given address. */
final class FreePorts {

    private FreePorts() {}

    /**
     * Returns {@code requested} unless it is 0, in which case a currently free port on {@code host} is returned.
     * Another process may take that port before the broker binds it; the broker then fails with a bind error.
     *
     * @param host      the address the port will be bound on
     * @param requested a port, or 0 for any free one
     * @return a port number
     */
    static int resolve(String host, int requested) {
        if (requested != 0) {
            return requested;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }
}
