package io.lvsoperator.agent.health;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Netty prober made on the first probe or timer, on a thread of its own: an agent whose spec has
 * no check (a lone VIP, a DR real server) never starts Netty (its event loop thread, native
 * transport and buffers), and one with checks starts it beside its first apply, which goes on to
 * IPVS and VRRP without waiting for it (docs/benchmarks.md, start-up and footprint). Its timers:
 * {@code new NettyScheduler(lazy)}.
 */
final class LazyNetty implements Prober, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LazyNetty.class);

  private final Supplier<NettyProber> factory;
  private final CompletableFuture<NettyProber> made = new CompletableFuture<>();
  private boolean starting; // guarded by this
  private boolean closed; // guarded by this

  LazyNetty(Supplier<NettyProber> factory) {
    this.factory = factory;
  }

  /** Whether the prober was made (tests). */
  boolean started() {
    return made.isDone();
  }

  /**
   * Starts making the prober (once) on the thread {@code netty-start}.
   *
   * @throws RejectedExecutionException once closed
   */
  private void start() {
    synchronized (this) {
      if (closed) {
        throw new RejectedExecutionException("health monitor closed");
      }
      if (starting) {
        return;
      }
      starting = true;
    }
    Thread.ofPlatform()
        .daemon()
        .name("netty-start")
        .start(
            () -> {
              try {
                made.complete(factory.get());
              } catch (RuntimeException | Error e) {
                log.error("event=health_prober_failed error=\"{}\"", e.toString());
                made.completeExceptionally(e);
              }
            });
  }

  /**
   * The prober's event loop group, made now if need be (waiting for it).
   *
   * @throws RejectedExecutionException once closed, or when it could not be made
   */
  EventLoopGroup eventLoopGroup() {
    start();
    try {
      return made.join().eventLoopGroup();
    } catch (CompletionException e) {
      throw new RejectedExecutionException("no health prober: " + e.getCause(), e);
    }
  }

  /** The group when it is made already, else null. */
  EventLoopGroup eventLoopGroupIfMade() {
    NettyProber p = made.isDone() && !made.isCompletedExceptionally() ? made.join() : null;
    return p == null ? null : p.eventLoopGroup();
  }

  /**
   * Runs {@code then} with the group once it is made: now when it is, else on {@code netty-start}
   * (never when it cannot be made).
   *
   * @throws RejectedExecutionException once closed
   */
  void whenMade(Consumer<EventLoopGroup> then) {
    start();
    made.thenAccept(p -> then.accept(p.eventLoopGroup()));
  }

  @Override
  public CompletableFuture<ProbeResult> probe(HealthCheckKey key) {
    try {
      start();
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(ProbeResult.failed(e.getMessage()));
    }
    return made.thenCompose(p -> p.probe(key));
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (!starting) {
        return;
      }
    }
    // Being made: closed when it is.
    made.thenAccept(NettyProber::close);
  }
}
