package io.lvsoperator.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The client of {@code lab/run zero-loss}: N long-lived TCP connections to an echo service (the VIP
 * in the lab), each sending a short line every 100 ms and reading it back, driven by commands on
 * standard input, one answer line each on standard output:
 *
 * <pre>
 * open N         opens N connections; "opened N ports P1 P2 ..." (their local ports) once each has
 *                had an echo (or "open-failed ...")
 * mark           from now on a connection must show progress: "marked"
 * check SECONDS  waits up to SECONDS for every connection to get an echo sent after the mark, then
 *                "broken n of N"; before it one "broken-connection ..." line per broken one
 * close          closes them all: "closed"
 * quit
 * </pre>
 *
 * A connection is broken when it failed (reset, closed by the other end, an echo that is not what
 * was sent) or made no progress since the mark by the check's deadline: either way its user would
 * have had to reconnect. A test class, not product code: the lab runs it from node-agent's test
 * classes, like {@link ScenarioManifests}.
 */
public final class ZeroLossClient implements AutoCloseable {
  static final long SEND_EVERY_MILLIS = 100;

  private final InetSocketAddress target;
  private final List<Connection> connections = new ArrayList<>();
  private volatile long markNanos = Long.MAX_VALUE;

  ZeroLossClient(InetSocketAddress target) {
    this.target = target;
  }

  /** One connection: a writer and a reader thread, the newest echo's send time, a failure. */
  private final class Connection {
    final int id;
    final Socket socket = new Socket();
    volatile long lastEchoSentAt = -1; // System.nanoTime() of the send the latest echo answers
    volatile long longestGapNanos;
    volatile long lastEchoAt = -1;
    volatile String failure;
    volatile boolean closing; // closed by us: what the threads see then is no failure

    Connection(int id) {
      this.id = id;
    }

    void start() throws IOException {
      socket.setTcpNoDelay(true);
      socket.connect(target, 10_000);
      Thread.ofVirtual().start(this::write);
      Thread.ofVirtual().start(this::read);
    }

    // Each line carries its send time, so the reader knows which send an echo answers.
    private void write() {
      try {
        OutputStream out = socket.getOutputStream();
        while (failure == null && !closing) {
          out.write(
              ("c" + id + " " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(SEND_EVERY_MILLIS);
        }
      } catch (IOException e) {
        fail("write: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void read() {
      // Not closed here: the socket is closed by close(), and a failure must be seen first.
      try {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
          String[] parts = line.split(" ");
          if (parts.length != 2 || !parts[0].equals("c" + id)) {
            fail("echo '" + line + "' is not what connection c" + id + " sent");
            return;
          }
          long now = System.nanoTime();
          if (lastEchoAt >= 0 && now - lastEchoAt > longestGapNanos) {
            longestGapNanos = now - lastEchoAt;
          }
          lastEchoAt = now;
          lastEchoSentAt = Long.parseLong(parts[1]);
        }
        fail("closed by the other end");
      } catch (IOException e) {
        fail("read: " + e.getMessage());
      }
    }

    void fail(String why) {
      if (failure == null && !closing) {
        failure = why;
      }
    }

    boolean progressedSinceMark() {
      return lastEchoSentAt >= markNanos;
    }
  }

  /** Opens {@code n} connections and waits until each had an echo; null or the reason it failed. */
  String open(int n, long timeoutMillis) throws InterruptedException {
    close();
    markNanos = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Connection c = new Connection(i);
      connections.add(c);
      try {
        c.start();
      } catch (IOException e) {
        return "connection c" + i + " to " + target + ": " + e.getMessage();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (connections.stream().allMatch(c -> c.lastEchoSentAt >= 0 || c.failure != null)) {
        break;
      }
      Thread.sleep(20);
    }
    for (Connection c : connections) {
      if (c.failure != null || c.lastEchoSentAt < 0) {
        return "connection c" + c.id + ": " + (c.failure != null ? c.failure : "no echo");
      }
    }
    return null;
  }

  void mark() {
    markNanos = System.nanoTime();
    for (Connection c : connections) {
      c.longestGapNanos = 0;
    }
  }

  /**
   * Waits up to {@code timeoutMillis} for every connection to show progress since the mark and
   * returns the broken ones, described.
   */
  List<String> check(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline
        && connections.stream().anyMatch(c -> c.failure == null && !c.progressedSinceMark())) {
      Thread.sleep(20);
    }
    List<String> broken = new ArrayList<>();
    for (Connection c : connections) {
      if (c.failure != null) {
        broken.add("c" + c.id + " " + c.failure);
      } else if (!c.progressedSinceMark()) {
        broken.add("c" + c.id + " no echo within " + timeoutMillis / 1000.0 + " s of the mark");
      }
    }
    return broken;
  }

  /** The longest time a connection went without an echo since the mark, in seconds. */
  double longestGapSeconds() {
    return connections.stream().mapToLong(c -> c.longestGapNanos).max().orElse(0) / 1e9;
  }

  /** The connections' local ports, space-separated: how the directors' tables name them. */
  String localPorts() {
    return String.join(
        " ", connections.stream().map(c -> String.valueOf(c.socket.getLocalPort())).toList());
  }

  int size() {
    return connections.size();
  }

  @Override
  public void close() {
    for (Connection c : connections) {
      c.closing = true;
      try {
        c.socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    connections.clear();
  }

  /** Usage: {@code ZeroLossClient HOST PORT}, commands on standard input. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ZeroLossClient HOST PORT");
      System.exit(2);
    }
    PrintStream out = System.out;
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (ZeroLossClient client =
        new ZeroLossClient(new InetSocketAddress(args[0], Integer.parseInt(args[1])))) {
      String line;
      while ((line = commands.readLine()) != null) {
        String[] w = line.strip().split("\\s+");
        switch (w[0]) {
          case "open" -> {
            String failed = client.open(Integer.parseInt(w[1]), 30_000);
            out.println(
                failed == null
                    ? "opened " + client.size() + " ports " + client.localPorts()
                    : "open-failed " + failed);
          }
          case "mark" -> {
            client.mark();
            out.println("marked");
          }
          case "check" -> {
            List<String> broken = client.check((long) (Double.parseDouble(w[1]) * 1000));
            for (String b : broken) {
              out.println("broken-connection " + b);
            }
            out.printf(
                Locale.ROOT,
                "longest-gap %.2f%nbroken %d of %d%n",
                client.longestGapSeconds(),
                broken.size(),
                client.size());
          }
          case "close" -> {
            client.close();
            out.println("closed");
          }
          case "quit" -> {
            return;
          }
          default -> out.println("unknown-command " + line);
        }
        out.flush();
      }
    }
  }
}
