package io.ccdstream.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw connections to an HTTP server that send the start of a request and then stall, the way a slow or
 * malicious client holds a server's resources (slowloris). Closing closes every connection.
 */
public final class StalledClients implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();

    private StalledClients() {}

    /**
     * Opens {@code count} connections to {@code host:port}, each sending a request line and part of a header,
     * never the blank line that ends the headers.
     */
    public static StalledClients open(String host, int port, int count, String path) {
        StalledClients clients = new StalledClients();
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                clients.sockets.add(socket);
                socket.connect(new InetSocketAddress(host, port), 1_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Stalled-" + i + ": ")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return clients;
        } catch (IOException e) {
            clients.close();
            throw new UncheckedIOException(e);
        }
    }

    /** How many of the connections the server has closed (reading them answers end of stream or an error). */
    public int closedByServer() {
        int closed = 0;
        for (Socket socket : sockets) {
            try {
                socket.setSoTimeout(1);
                if (socket.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
