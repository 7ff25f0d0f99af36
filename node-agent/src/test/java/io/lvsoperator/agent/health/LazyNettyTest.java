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
    NettyScheduler timers = new NettyScheduler(netty);
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
    NettyScheduler timers = new NettyScheduler(netty);
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
  void aTimerAskedForWhileNettyIsMadeDoesNotWaitForIt() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    LazyNetty netty =
        new LazyNetty(
            () -> {
              made.incrementAndGet();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return NettyProber.create(1);
            });
    NettyScheduler timers = new NettyScheduler(netty);
    try (netty) {
      CountDownLatch ran = new CountDownLatch(2);
      String[] threads = new String[2];
      CountDownLatch cancelledRan = new CountDownLatch(1);
      CountDownLatch asked = new CountDownLatch(1);
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                timers.schedule(recordThread(threads, 0, ran), 0);
                timers.execute(recordThread(threads, 1, ran));
                timers.schedule(cancelledRan::countDown, 0).cancel();
                asked.countDown();
              });
      assertThat(asked.await(5, TimeUnit.SECONDS))
          .as("the callers return while Netty is still being made")
          .isTrue();
      assertThat(netty.started()).isFalse();
      assertThat(ran.getCount()).isEqualTo(2);
      release.countDown();
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("health-check"));
      assertThat(cancelledRan.await(200, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(made).hasValue(1);
    }
  }

  @Test
  void afterCloseNothingStartsAndProbesFail() throws Exception {
    LazyNetty netty = lazy();
    NettyScheduler timers = new NettyScheduler(netty);
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
