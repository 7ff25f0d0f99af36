package io.lvsoperator.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyNettyTest {

  private final AtomicInteger made = new AtomicInteger();

  private LazyNetty lazy() {
    return new LazyNetty(
        () -> {
          made.incrementAndGet();
          return NettyProber.create(1);
        });
  }

  /** A task that notes the name of the thread it ran on in {@code threads[slot]}. */
  private static Runnable recordThread(String[] threads, int slot, CountDownLatch ran) {
    return () -> {
      threads[slot] = Thread.currentThread().getName();
      ran.countDown();
    };
  }

  @Test
  void aMonitorWithoutChecksNeverStartsNetty() {
    LazyNetty netty = lazy();
    NettyScheduler timers = new NettyScheduler(netty::eventLoopGroup);
    try (HealthMonitor monitor = new HealthMonitor(netty, timers, event -> {})) {
      monitor.update(List.of());
      assertThat(timers.nanoTime()).isPositive();
      assertThat(timers.now()).isNotNull();
    }
    assertThat(made).hasValue(0);
    assertThat(netty.started()).isFalse();
  }

  @Test
  void theFirstTimerStartsNettyOnceAndRunsOnIt() throws InterruptedException {
    LazyNetty netty = lazy();
    NettyScheduler timers = new NettyScheduler(netty::eventLoopGroup);
    try (netty) {
      CountDownLatch ran = new CountDownLatch(2);
      String[] threads = new String[2];
      timers.schedule(recordThread(threads, 0, ran), TimeUnit.MILLISECONDS.toNanos(10));
      timers.execute(recordThread(threads, 1, ran));
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("health-check"));
      assertThat(made).hasValue(1);
      assertThat(netty.started()).isTrue();
    }
  }

  @Test
  void afterCloseNothingStartsAndProbesFail() throws Exception {
    LazyNetty netty = lazy();
    NettyScheduler timers = new NettyScheduler(netty::eventLoopGroup);
    netty.close();
    CountDownLatch ran = new CountDownLatch(1);
    timers.schedule(ran::countDown, 0).cancel();
    timers.execute(ran::countDown);
    ProbeResult result =
        netty
            .probe(new HealthCheckKey("127.0.0.1", 9, TestingServices.defaults(CheckType.TCP)))
            .get(1, TimeUnit.SECONDS);
    assertThat(result.healthy()).isFalse();
    assertThat(result.reason()).isEqualTo("health monitor closed");
    assertThat(ran.await(100, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(made).hasValue(0);
  }
}
