package io.lvsoperator.agent.host.arp;

import io.lvsoperator.agent.host.ffm.NetworkInterfaces;
import io.lvsoperator.agent.host.ffm.PacketSocket;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
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

  /** Where frames go: one channel per round; the real one is a packet socket, tests capture. */
  @FunctionalInterface
  public interface FrameSink {
    /** A channel on {@code interfaceName} for one round's frames, closed after the round. */
    Frames open(String interfaceName) throws IOException;
  }

  /** One round's frames to one interface. */
  @FunctionalInterface
  public interface Frames extends AutoCloseable {
    void send(byte[] frame) throws IOException;

    @Override
    default void close() throws IOException {}
  }

  /**
   * A new AF_PACKET socket per round (cheap per round, and survives interface re-creation between
   * rounds). Not one per frame: opening and closing a packet socket costs milliseconds (its close
   * waits for the kernel's synchronize_net), and 10,000 VIPs went out at about 70 frames a second
   * (docs/benchmarks.md, "10,000 VIPs on one agent").
   */
  public static final FrameSink PACKET_SOCKET =
      interfaceName -> {
        PacketSocket socket = PacketSocket.openSender(NetworkInterfaces.indexOf(interfaceName));
        return new Frames() {
          @Override
          public void send(byte[] frame) throws IOException {
            socket.send(frame);
          }

          @Override
          public void close() throws IOException {
            socket.close();
          }
        };
      };

  /** Reads an interface's MAC. */
  @FunctionalInterface
  public interface MacLookup {
    byte[] mac(String interfaceName) throws IOException;
  }

  /**
   * From {@code /sys/class/net/NAME/address}. Not java.net's {@code NetworkInterface.getByName},
   * which reads every address of every interface: with 10,000 VIPs on the interface one look-up
   * took about a second of CPU, and there is one per round.
   */
  public static final MacLookup SYSFS_MAC_LOOKUP =
      name -> {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
          throw new IOException("interface '" + name + "': not an interface name");
        }
        String text;
        try {
          text = Files.readString(Path.of("/sys/class/net", name, "address")).strip();
        } catch (NoSuchFileException e) {
          text = "";
        }
        if (text.isEmpty()) {
          throw new IOException("interface " + name + ": no such interface or no MAC address");
        }
        try {
          return HexFormat.ofDelimiter(":").parseHex(text);
        } catch (IllegalArgumentException e) {
          throw new IOException("interface " + name + ": unreadable MAC address '" + text + "'");
        }
      };

  private final ScheduledExecutorService scheduler;
  private final FrameSink sink;
  private final MacLookup macs;

  public GratuitousArpSender(ScheduledExecutorService scheduler) {
    this(scheduler, PACKET_SOCKET, SYSFS_MAC_LOOKUP);
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
              sendAll(mac);
            } catch (IOException | RuntimeException e) {
              done.completeExceptionally(e);
              return;
            }
            if (!done.isDone()) {
              finishRound();
            }
          }

          private void sendAll(byte[] mac) {
            try (Frames out = sink.open(interfaceName)) {
              for (Inet4Address vip : vips) {
                if (done.isDone()) {
                  return; // cancelled: no GARP for an address we may have given up
                }
                try {
                  out.send(GratuitousArp.frame(mac, vip, GratuitousArp.Operation.REQUEST));
                  sent.incrementAndGet();
                } catch (IOException e) {
                  LOG.warn(
                      "event=garp_send_failed interface={} vip={} error=\"{}\"",
                      interfaceName,
                      vip.getHostAddress(),
                      e.getMessage());
                }
              }
            } catch (IOException e) {
              LOG.warn(
                  "event=garp_send_failed interface={} vips={} error=\"{}\"",
                  interfaceName,
                  vips.size(),
                  e.getMessage());
            }
          }

          private void finishRound() {
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
