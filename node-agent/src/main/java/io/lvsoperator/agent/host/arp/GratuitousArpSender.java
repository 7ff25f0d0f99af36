package io.lvsoperator.agent.host.arp;

import io.lvsoperator.agent.host.ffm.NetworkInterfaces;
import io.lvsoperator.agent.host.ffm.PacketSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends gratuitous ARPs for VIPs: {@code count} rounds {@code interval} apart, the first at once,
 * each round one frame per VIP. Runs on the caller's scheduler, so a VRRP state machine can fire
 * and forget (and cancel the returned future when it loses mastership).
 */
public final class GratuitousArpSender {

  private static final Logger LOG = LoggerFactory.getLogger(GratuitousArpSender.class);

  /** Where frames go; the real one is a packet socket, tests capture. */
  @FunctionalInterface
  public interface FrameSink {
    void send(String interfaceName, byte[] frame) throws IOException;
  }

  /** Sends through a new AF_PACKET socket per round (cheap, and survives interface re-creation). */
  public static final FrameSink PACKET_SOCKET =
      (interfaceName, frame) -> {
        try (PacketSocket socket =
            PacketSocket.openSender(NetworkInterfaces.indexOf(interfaceName))) {
          socket.send(frame);
        }
      };

  /** Reads an interface's MAC. */
  @FunctionalInterface
  public interface MacLookup {
    byte[] mac(String interfaceName) throws IOException;
  }

  public static final MacLookup JDK_MAC_LOOKUP =
      name -> {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null || nif.getHardwareAddress() == null) {
          throw new IOException("interface " + name + ": no such interface or no MAC address");
        }
        return nif.getHardwareAddress();
      };

  private final ScheduledExecutorService scheduler;
  private final FrameSink sink;
  private final MacLookup macs;

  public GratuitousArpSender(ScheduledExecutorService scheduler) {
    this(scheduler, PACKET_SOCKET, JDK_MAC_LOOKUP);
  }

  public GratuitousArpSender(ScheduledExecutorService scheduler, FrameSink sink, MacLookup macs) {
    this.scheduler = scheduler;
    this.sink = sink;
    this.macs = macs;
  }

  /**
   * Announces {@code vips} on {@code interfaceName}. The future completes with the number of frames
   * sent after the last round; it completes exceptionally when the interface has no MAC. A round
   * that fails to send is logged and the next one still runs. Cancel it to stop early.
   */
  public CompletableFuture<Integer> announce(
      String interfaceName, List<Inet4Address> vips, int count, Duration interval) {
    if (count < 1) {
      throw new IllegalArgumentException("gratuitous ARP count: " + count + " must be at least 1");
    }
    if (interval.isNegative()) {
      throw new IllegalArgumentException("gratuitous ARP interval: " + interval + " is negative");
    }
    CompletableFuture<Integer> done = new CompletableFuture<>();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger round = new AtomicInteger();
    Runnable sendRound =
        new Runnable() {
          @Override
          public void run() {
            if (done.isDone()) {
              return;
            }
            try {
              byte[] mac = macs.mac(interfaceName);
              for (Inet4Address vip : vips) {
                try {
                  sink.send(
                      interfaceName,
                      GratuitousArp.frame(mac, vip, GratuitousArp.Operation.REQUEST));
                  sent.incrementAndGet();
                } catch (IOException e) {
                  LOG.warn(
                      "event=garp_send_failed interface={} vip={} error=\"{}\"",
                      interfaceName,
                      vip.getHostAddress(),
                      e.getMessage());
                }
              }
            } catch (IOException | RuntimeException e) {
              done.completeExceptionally(e);
              return;
            }
            if (round.incrementAndGet() >= count) {
              LOG.debug(
                  "event=garp_done interface={} vips={} frames={}",
                  interfaceName,
                  vips.size(),
                  sent.get());
              done.complete(sent.get());
            } else {
              scheduler.schedule(this, interval.toNanos(), TimeUnit.NANOSECONDS);
            }
          }
        };
    scheduler.execute(sendRound);
    return done;
  }
}
