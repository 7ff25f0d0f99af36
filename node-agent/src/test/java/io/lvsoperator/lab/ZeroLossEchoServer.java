package io.lvsoperator.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real servers' echo service in {@code lab/run zero-loss}: echoes every byte back, one virtual
 * thread per connection, with a deep accept queue. busybox {@code nc -ll -e cat} listens with a
 * backlog of 2 and forks a {@code cat} per connection, so under emulation opening 20 connections
 * beside the directors' health checks timed out. A test class, run from node-agent's test classes;
 * {@link ZeroLossClientTest} uses it too, with its two faults: {@link #resetAll} and {@link
 * #silent}.
 */
public final class ZeroLossEchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  volatile boolean silent; // read, echo nothing: a stalled path
  private volatile boolean reset; // answer the next bytes of each connection with RST

  public ZeroLossEchoServer(InetSocketAddress bind) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(bind, 512);
    Thread.ofVirtual().start(this::accept);
  }

  private void accept() {
    try {
      while (true) {
        Socket s = server.accept();
        accepted.add(s);
        Thread.ofVirtual().start(() -> echo(s));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void echo(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (reset) { // by the thread that reads it: a close from elsewhere waits for the read
          s.setSoLinger(true, 0);
          return;
        }
        if (!silent) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      // reset or closed by the client
    } finally {
      accepted.remove(s);
    }
  }

  /** As a director without the connection's entry does: RST on each connection's next packet. */
  void resetAll() {
    reset = true;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  /** Usage: {@code ZeroLossEchoServer PORT}: listens on every address until killed. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ZeroLossEchoServer PORT");
      System.exit(2);
    }
    try (ZeroLossEchoServer s =
        new ZeroLossEchoServer(
            new InetSocketAddress((InetAddress) null, Integer.parseInt(args[0])))) {
      System.out.println("listening " + s.address());
      Thread.currentThread().join();
    }
  }
}
