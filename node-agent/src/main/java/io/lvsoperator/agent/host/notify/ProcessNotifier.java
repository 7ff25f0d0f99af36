package io.lvsoperator.agent.host.notify;

import io.lvsoperator.agent.node.NotifyCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs notify commands as processes, never on the caller's thread: at most {@code concurrency} at
 * once, those of one instance one after another in the order of its state changes (a command that
 * hangs delays only its own instance's later ones, and only until its timeout). A command still
 * running after its timeout is killed, with its children (SIGTERM, then SIGKILL a second later).
 * Each start, output line (stdout and stderr, at most {@link #MAX_LINES} per command), exit and
 * kill is one log line.
 */
public final class ProcessNotifier implements NotifyCommands.Notifier, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProcessNotifier.class);

  /** Output lines logged per command; the rest is read and dropped. */
  static final int MAX_LINES = 50;

  private static final int MAX_LINE_CHARS = 500;

  private final ExecutorService pool;
  private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ProcessNotifier(int concurrency) {
    this.pool =
        Executors.newFixedThreadPool(
            concurrency, Thread.ofPlatform().name("notify-", 0).daemon().factory());
  }

  @Override
  public synchronized void submit(List<NotifyCommands.Command> commands) {
    if (closed) {
      return;
    }
    for (NotifyCommands.Command c : commands) {
      CompletableFuture<Void> tail =
          tails.getOrDefault(c.instance(), CompletableFuture.completedFuture(null));
      tails.put(c.instance(), tail.exceptionally(e -> null).thenRunAsync(() -> run(c), pool));
    }
  }

  private void run(NotifyCommands.Command c) {
    long start = System.nanoTime();
    String command = String.join(" ", c.argv());
    Process p;
    try {
      p = new ProcessBuilder(c.argv()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "event=notify_failed instance={} state={} command=\"{}\" error=\"{}\"",
          c.instance(),
          c.state(),
          command,
          String.valueOf(e.getMessage()).replace("\"", "'").strip());
      return;
    }
    running.add(p);
    try {
      p.getOutputStream().close();
      log.info(
          "event=notify_started instance={} state={} command=\"{}\" pid={}",
          c.instance(),
          c.state(),
          command,
          p.pid());
      Thread out = drain(c, "stdout", p.getInputStream());
      Thread err = drain(c, "stderr", p.getErrorStream());
      if (p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        out.join(1000);
        err.join(1000);
        log.info(
            "event=notify_finished instance={} state={} exit_code={} ms={}",
            c.instance(),
            c.state(),
            p.exitValue(),
            (System.nanoTime() - start) / 1_000_000);
      } else {
        kill(p);
        log.warn(
            "event=notify_killed instance={} state={} command=\"{}\" timeout_ms={}",
            c.instance(),
            c.state(),
            command,
            c.timeout().toMillis());
      }
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.warn("event=notify_failed instance={} error=\"{}\"", c.instance(), e.getMessage());
    } finally {
      running.remove(p);
    }
  }

  private static Thread drain(NotifyCommands.Command c, String stream, InputStream in) {
    return Thread.ofVirtual()
        .name("notify-" + stream)
        .start(
            () -> {
              int lines = 0;
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (++lines <= MAX_LINES) {
                    String shown =
                        line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line;
                    log.info(
                        "event=notify_output instance={} state={} stream={} line=\"{}\"",
                        c.instance(),
                        c.state(),
                        stream,
                        shown.replace("\"", "'"));
                  }
                }
              } catch (IOException e) {
                // the process was killed: its pipe is gone
              }
            });
  }

  /** SIGTERM to the process and its children, SIGKILL to what is left a second later. */
  private static void kill(Process p) {
    List<ProcessHandle> family = p.descendants().toList();
    family.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(1, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Stops taking commands, lets the queued ones (a stopping agent's notify stop) run for at most
   * {@code bound}, then kills whatever still runs.
   */
  public void close(Duration bound) {
    CompletableFuture<?>[] pending;
    synchronized (this) {
      closed = true;
      pending = tails.values().toArray(CompletableFuture[]::new);
    }
    try {
      CompletableFuture.allOf(pending).get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("event=notify_unfinished running={} bound_ms={}", running.size(), bound.toMillis());
    } catch (Exception e) {
      log.warn("event=notify_unfinished error=\"{}\"", e.toString());
    }
    running.forEach(ProcessNotifier::kill);
    pool.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }
}
