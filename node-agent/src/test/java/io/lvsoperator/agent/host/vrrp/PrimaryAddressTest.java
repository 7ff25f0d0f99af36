package io.lvsoperator.agent.host.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrimaryAddressTest {

  private static final Object NONE = new Object();

  /** Answers the queued results in turn: an address, {@link #NONE}, or a failure. */
  private static final class Answers implements RawSocketVrrpTransport.PrimaryAddressSource {
    final Deque<Object> queue = new ArrayDeque<>();

    @Override
    public Optional<Inet4Address> primaryOf(String interfaceName) throws IOException {
      Object next = queue.removeFirst();
      if (next instanceof IOException e) {
        throw e;
      }
      return next == NONE ? Optional.empty() : Optional.of((Inet4Address) next);
    }
  }

  private static Inet4Address v4(String text) throws IOException {
    return (Inet4Address) InetAddress.getByName(text);
  }

  @Test
  void aFailedLookUpKeepsTheAddressKnown() throws IOException {
    Answers answers = new Answers();
    PrimaryAddress primary = new PrimaryAddress("eth0", answers);
    answers.queue.add(v4("172.20.1.1"));
    answers.queue.add(new IOException("RTM_GETADDR dump: dump interrupted 5 times: EINTR"));

    assertThat(primary.refresh()).isEqualTo(v4("172.20.1.1"));
    assertThat(primary.refresh()).isEqualTo(v4("172.20.1.1"));
    assertThat(primary.current()).isEqualTo(v4("172.20.1.1"));
    assertThat(primary.bytes()).containsExactly(172, 20, 1, 1);
  }

  @Test
  void aLookUpThatFindsNoneOrAnotherAddressReplacesIt() throws IOException {
    Answers answers = new Answers();
    PrimaryAddress primary = new PrimaryAddress("eth0", answers);
    answers.queue.add(v4("172.20.1.1"));
    answers.queue.add(v4("172.20.1.9"));
    answers.queue.add(NONE);

    primary.refresh();
    assertThat(primary.refresh()).isEqualTo(v4("172.20.1.9"));
    assertThat(primary.bytes()).containsExactly(172, 20, 1, 9);
    assertThat(primary.refresh()).isNull();
    assertThat(primary.current()).isNull();
    assertThat(primary.bytes()).containsExactly(0, 0, 0, 0);
  }

  @Test
  void aFailureBeforeAnyAnswerKnowsNone() {
    Answers answers = new Answers();
    answers.queue.add(new IOException("no netlink"));
    PrimaryAddress primary = new PrimaryAddress("eth0", answers);

    assertThat(primary.refresh()).isNull();
    assertThat(primary.bytes()).containsExactly(0, 0, 0, 0);
  }
}
