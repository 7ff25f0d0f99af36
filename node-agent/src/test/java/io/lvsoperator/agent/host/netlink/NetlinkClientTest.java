package io.lvsoperator.agent.host.netlink;

import static io.lvsoperator.agent.host.netlink.FakeNetlinkTransport.ack;
import static io.lvsoperator.agent.host.netlink.FakeNetlinkTransport.done;
import static io.lvsoperator.agent.host.netlink.FakeNetlinkTransport.error;
import static io.lvsoperator.agent.host.netlink.FakeNetlinkTransport.reply;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_ACK;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_DUMP;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_DUMP_INTR;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_MULTI;
import static io.lvsoperator.agent.host.netlink.NetlinkConstants.NLM_F_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.host.ffm.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetlinkClientTest {

  private static final NetlinkMessage CHANGE =
      new NetlinkMessage(0x20, 0, 0, 0, new byte[] {1, 2, 3, 4});

  @Test
  void requestAddsRequestAckAndIncreasingSequences() throws Exception {
    FakeNetlinkTransport fake = FakeNetlinkTransport.answering(r -> List.of(ack(r)));
    NetlinkClient client = new NetlinkClient(fake, 1000, 100);

    assertThat(client.request(CHANGE, "change")).isEmpty();
    assertThat(client.request(CHANGE, "change")).isEmpty();

    assertThat(fake.requests()).extracting(NetlinkMessage::sequence).containsExactly(101, 102);
    assertThat(fake.requests().getFirst().flags()).isEqualTo(NLM_F_REQUEST | NLM_F_ACK);
  }

  @Test
  void requestReturnsTheAnswerBeforeTheAck() throws Exception {
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(
            r -> List.of(reply(r, 0x20, 0, new byte[] {9, 9, 9, 9}), ack(r)));

    List<NetlinkMessage> replies = new NetlinkClient(fake).request(CHANGE, "get");

    assertThat(replies)
        .singleElement()
        .satisfies(m -> assertThat(m.payload()).containsExactly(9, 9, 9, 9));
  }

  @Test
  void errorBecomesExceptionWithErrnoAndExtendedAck() {
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(r -> List.of(error(r, Errno.ESRCH, "no such service")));

    assertThatThrownBy(
            () -> new NetlinkClient(fake).request(CHANGE, "IPVS_CMD_DEL_SERVICE tcp 10.0.0.1:80"))
        .isInstanceOfSatisfying(
            NetlinkException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(Errno.ESRCH);
              assertThat(e.extendedAck()).isEqualTo("no such service");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "IPVS_CMD_DEL_SERVICE tcp 10.0.0.1:80: ESRCH (No such process): no such service");
            });
  }

  @Test
  void repliesToOtherSequencesAreIgnored() throws Exception {
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(
            r -> List.of(error(r.with(r.flags(), r.sequence() - 1), Errno.EEXIST, null), ack(r)));

    assertThat(new NetlinkClient(fake).request(CHANGE, "change")).isEmpty();
  }

  @Test
  void dumpCollectsPartsAcrossDatagramsUntilDone() throws Exception {
    FakeNetlinkTransport fake =
        new FakeNetlinkTransport(
            r ->
                List.of(
                    List.of(
                        reply(r, 0x20, NLM_F_MULTI, new byte[] {1}),
                        reply(r, 0x20, NLM_F_MULTI, new byte[] {2})),
                    List.of(reply(r, 0x20, NLM_F_MULTI, new byte[] {3})),
                    List.of(done(r))));

    List<NetlinkMessage> parts = new NetlinkClient(fake).dump(CHANGE, "dump");

    assertThat(parts).extracting(m -> m.payload()[0]).containsExactly((byte) 1, (byte) 2, (byte) 3);
    assertThat(fake.requests().getFirst().flags()).isEqualTo(NLM_F_REQUEST | NLM_F_DUMP);
  }

  @Test
  void interruptedDumpIsRepeated() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(
            r ->
                List.of(
                    reply(
                        r,
                        0x20,
                        NLM_F_MULTI | (attempts.incrementAndGet() == 1 ? NLM_F_DUMP_INTR : 0),
                        new byte[] {(byte) attempts.get()}),
                    done(r)));

    List<NetlinkMessage> parts = new NetlinkClient(fake).dump(CHANGE, "dump");

    assertThat(parts)
        .singleElement()
        .satisfies(m -> assertThat(m.payload()[0]).isEqualTo((byte) 2));
  }

  @Test
  void dumpErrorInDoneIsReported() {
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(
            r ->
                List.of(
                    reply(
                        r,
                        NetlinkConstants.NLMSG_DONE,
                        NLM_F_MULTI,
                        new byte[] {(byte) 0xf3, (byte) 0xff, (byte) 0xff, (byte) 0xff})));

    assertThatThrownBy(() -> new NetlinkClient(fake).dump(CHANGE, "dump"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES));
  }

  @Test
  void silenceTimesOut() {
    FakeNetlinkTransport fake = FakeNetlinkTransport.answering(r -> List.of());

    assertThatThrownBy(() -> new NetlinkClient(fake, 10, 1).request(CHANGE, "change"))
        .isInstanceOfSatisfying(
            NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT));
  }

  @Test
  void batchReportsEachRequestAndSplitsDatagrams() throws Exception {
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(
            r -> List.of(r.payload()[0] == 2 ? error(r, Errno.EEXIST, "exists") : ack(r)));
    List<NetlinkMessage> batch = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      batch.add(new NetlinkMessage(0x20, 0, 0, 0, new byte[] {(byte) i, 0, 0, 0}));
    }

    List<NetlinkClient.BatchResult> results = new NetlinkClient(fake).requestAll(batch, 2, "batch");

    assertThat(results)
        .extracting(NetlinkClient.BatchResult::errno)
        .containsExactly(0, Errno.EEXIST, 0, 0, 0);
    assertThat(results.get(1).extendedAck()).isEqualTo("exists");
    assertThat(fake.sentDatagrams()).hasSize(3);
  }

  @Test
  void familyResolutionParsesIdVersionAndGroups() throws Exception {
    FakeNetlinkTransport fake =
        FakeNetlinkTransport.answering(
            r ->
                List.of(
                    reply(
                        r,
                        GenlConstants.GENL_ID_CTRL,
                        0,
                        GenericNetlink.payload(GenlConstants.CTRL_CMD_NEWFAMILY, 2)
                            .u16(GenlConstants.CTRL_ATTR_FAMILY_ID, 0x1b)
                            .string(GenlConstants.CTRL_ATTR_FAMILY_NAME, "IPVS")
                            .u32(GenlConstants.CTRL_ATTR_VERSION, 1)
                            .u32(GenlConstants.CTRL_ATTR_MAXATTR, 6)
                            .beginNested(GenlConstants.CTRL_ATTR_MCAST_GROUPS, false)
                            .beginNested(1, false)
                            .string(GenlConstants.CTRL_ATTR_MCAST_GRP_NAME, "events")
                            .u32(GenlConstants.CTRL_ATTR_MCAST_GRP_ID, 7)
                            .endNested()
                            .endNested()
                            .toByteArray()),
                    ack(r)));

    GenlFamily family = GenericNetlink.resolve(new NetlinkClient(fake), "IPVS");

    assertThat(family).isEqualTo(new GenlFamily(0x1b, "IPVS", 1, 6, java.util.Map.of("events", 7)));
  }
}
