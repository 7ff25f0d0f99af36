package io.lvsoperator.agent.host.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.ip;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.host.netlink.NetlinkCodec;
import io.lvsoperator.agent.host.netlink.NetlinkMessage;
import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.IpvsConstants;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.ipvs.SyncDaemon;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Requests pinned byte for byte, derived from include/uapi/linux/ip_vs.h and the attribute policies
 * of net/netfilter/ipvs/ip_vs_ctl.c (addresses 16 bytes, ports __be16, IPv4 netmask __be32). Family
 * id 0x1b stands for whatever the controller assigns.
 */
class IpvsCodecTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final IpvsCodec CODEC = new IpvsCodec(0x1b);

  private static String encode(IpvsOperation op) {
    return HEX.formatHex(NetlinkCodec.encode(CODEC.encode(op)));
  }

  @Test
  void newServiceTcp() {
    assertThat(encode(new IpvsOperation.AddService(IpvsService.of(tcp("10.0.0.1", 80), "rr"))))
        .isEqualTo(
            "68000000"
                + "1b00"
                + "0000"
                + "00000000"
                + "00000000" // nlmsghdr, 104 bytes
                + "01010000" // IPVS_CMD_NEW_SERVICE, version 1
                + "54000180" // IPVS_CMD_ATTR_SERVICE | NLA_F_NESTED, 84 bytes
                + "06000100"
                + "02000000" // IPVS_SVC_ATTR_AF AF_INET
                + "06000200"
                + "06000000" // IPVS_SVC_ATTR_PROTOCOL IPPROTO_TCP
                + "14000300"
                + "0a000001"
                + "000000000000000000000000" // ADDR, nf_inet_addr
                + "06000400"
                + "00500000" // PORT 80, big-endian
                + "07000600"
                + "72720000" // SCHED_NAME "rr\0"
                + "0c000700"
                + "00000000"
                + "ffffffff" // FLAGS {flags 0, mask ~0}
                + "08000800"
                + "00000000" // TIMEOUT 0
                + "08000900"
                + "ffffffff"); // NETMASK 255.255.255.255
  }

  @Test
  void editServiceWithPersistence() {
    IpvsService persistent = IpvsService.of(tcp("10.0.0.1", 80), "wlc").withPersistence(300, 24);

    assertThat(encode(new IpvsOperation.EditService(persistent)))
        .isEqualTo(
            "68000000"
                + "1b00"
                + "0000"
                + "00000000"
                + "00000000"
                + "02010000" // IPVS_CMD_SET_SERVICE
                + "54000180"
                + "06000100"
                + "02000000"
                + "06000200"
                + "06000000"
                + "14000300"
                + "0a000001"
                + "000000000000000000000000"
                + "06000400"
                + "00500000"
                + "08000600"
                + "776c6300" // "wlc\0"
                + "0c000700"
                + "01000000"
                + "ffffffff" // IP_VS_SVC_F_PERSISTENT
                + "08000800"
                + "2c010000" // 300 s
                + "08000900"
                + "ffffff00"); // /24
  }

  @Test
  void newDestinationDirectRouting() {
    assertThat(
            encode(new IpvsOperation.AddDestination(tcp("10.0.0.1", 80), dr("172.20.1.10", 80, 1))))
        .isEqualTo(
            "8c000000"
                + "1b00"
                + "0000"
                + "00000000"
                + "00000000"
                + "05010000" // IPVS_CMD_NEW_DEST
                + "30000180" // the service, key attributes only
                + "06000100"
                + "02000000"
                + "06000200"
                + "06000000"
                + "14000300"
                + "0a000001"
                + "000000000000000000000000"
                + "06000400"
                + "00500000"
                + "48000280" // IPVS_CMD_ATTR_DEST | NLA_F_NESTED
                + "14000100"
                + "ac14010a"
                + "000000000000000000000000" // DEST_ADDR
                + "06000200"
                + "00500000" // DEST_PORT
                + "06000b00"
                + "02000000" // DEST_ADDR_FAMILY
                + "08000300"
                + "03000000" // FWD_METHOD IP_VS_CONN_F_DROUTE
                + "08000400"
                + "01000000" // WEIGHT 1
                + "08000500"
                + "00000000" // U_THRESH
                + "08000600"
                + "00000000"); // L_THRESH
  }

  @Test
  void deleteFwmarkService() {
    assertThat(
            encode(
                new IpvsOperation.DeleteService(IpvsServiceKey.ofFwmark(IpvsConstants.AF_INET, 5))))
        .isEqualTo(
            "28000000"
                + "1b00"
                + "0000"
                + "00000000"
                + "00000000"
                + "03010000" // IPVS_CMD_DEL_SERVICE
                + "14000180"
                + "06000100"
                + "02000000"
                + "08000500"
                + "05000000"); // FWMARK 5
  }

  @Test
  void deleteDestinationCarriesOnlyItsAddress() {
    assertThat(
            encode(
                new IpvsOperation.DeleteDestination(tcp("10.0.0.1", 80), dr("172.20.1.10", 80, 1))))
        .endsWith(
            "28000280" // IPVS_CMD_ATTR_DEST without FWD_METHOD, WEIGHT, thresholds
                + "14000100"
                + "ac14010a"
                + "000000000000000000000000"
                + "06000200"
                + "00500000"
                + "06000b00"
                + "02000000");
  }

  /** A service as ip_vs_genl_fill_service reports it: HASHED set, stats nested. */
  @Test
  void newSyncDaemonWithTheKernelsDefaults() {
    assertThat(
            HEX.formatHex(
                NetlinkCodec.encode(
                    CODEC.newDaemon(new SyncDaemon(IpvsConstants.IP_VS_STATE_MASTER, "eth0", 51)))))
        .isEqualTo(
            "34000000"
                + "1b00"
                + "0000"
                + "00000000"
                + "00000000" // nlmsghdr, 52 bytes
                + "09010000" // IPVS_CMD_NEW_DAEMON, version 1
                + "20000380" // IPVS_CMD_ATTR_DAEMON | NLA_F_NESTED, 32 bytes
                + "08000100"
                + "01000000" // IPVS_DAEMON_ATTR_STATE IP_VS_STATE_MASTER
                + "09000200"
                + "6574683000000000" // MCAST_IFN "eth0\0", padded
                + "08000300"
                + "33000000"); // SYNC_ID 51
  }

  // The options in ipvsadm's order and encoding: strace -xx of ipvsadm 1.31 in the lab sent
  // ... 06000400 78050000 06000700 91220000 05000800 02000000 08000500 e0000052 for
  // --sync-maxlen 1400 --mcast-port 8849 --mcast-ttl 2 --mcast-group 224.0.0.82.
  @Test
  void newSyncDaemonWithEveryOption() throws Exception {
    SyncDaemon backup =
        new SyncDaemon(
            IpvsConstants.IP_VS_STATE_BACKUP,
            "eth0",
            51,
            1400,
            8849,
            2,
            java.net.InetAddress.getByName("224.0.0.82"));
    assertThat(HEX.formatHex(NetlinkCodec.encode(CODEC.newDaemon(backup))))
        .isEqualTo(
            "54000000"
                + "1b00"
                + "0000"
                + "00000000"
                + "00000000" // nlmsghdr, 84 bytes
                + "09010000"
                + "40000380" // nested, 64 bytes
                + "08000100"
                + "02000000" // STATE IP_VS_STATE_BACKUP
                + "09000200"
                + "6574683000000000" // MCAST_IFN "eth0"
                + "08000300"
                + "33000000" // SYNC_ID 51
                + "06000400"
                + "78050000" // SYNC_MAXLEN 1400 (u16, host order), padded
                + "06000700"
                + "91220000" // MCAST_PORT 8849 (u16, host order: the kernel htons()es it)
                + "05000800"
                + "02000000" // MCAST_TTL 2 (u8), padded
                + "08000500"
                + "e0000052"); // MCAST_GROUP 224.0.0.82 (__be32)
    // The kernel's dump carries the same attributes (IPVS_CMD_NEW_DAEMON): it decodes back.
    assertThat(IpvsCodec.decodeDaemon(CODEC.newDaemon(backup))).isEqualTo(backup);
  }

  @Test
  void aDumpedDaemonSatisfiesWhatWasAskedWhereTheKernelFilledInItsDefaults() throws Exception {
    SyncDaemon asked = new SyncDaemon(IpvsConstants.IP_VS_STATE_MASTER, "eth0", 51);
    SyncDaemon running =
        new SyncDaemon(
            IpvsConstants.IP_VS_STATE_MASTER,
            "eth0",
            51,
            1472,
            8848,
            1,
            java.net.InetAddress.getByName("224.0.0.81"));
    assertThat(running.satisfies(asked)).isTrue();
    assertThat(running.satisfies(asked.inState(IpvsConstants.IP_VS_STATE_BACKUP))).isFalse();
    assertThat(
            running.satisfies(
                new SyncDaemon(IpvsConstants.IP_VS_STATE_MASTER, "eth0", 51, 0, 8849, 0, null)))
        .as("another port asked for")
        .isFalse();
    assertThat(running.describe())
        .isEqualTo("master syncid=51 mcast=eth0 maxlen=1472 group=224.0.0.81 port=8848 ttl=1");
  }

  @Test
  void decodesDumpedServiceDroppingHashed() throws Exception {
    byte[] payload =
        HEX.parseHex(
            "01010000" // IPVS_CMD_NEW_SERVICE
                + "68000100" // IPVS_CMD_ATTR_SERVICE (no NLA_F_NESTED from this kernel)
                + "06000100"
                + "02000000"
                + "06000200"
                + "11000000" // UDP
                + "14000300"
                + "ac140164"
                + "000000000000000000000000"
                + "06000400"
                + "00350000" // 53
                + "08000600"
                + "776c6300"
                + "0c000700"
                + "03000000"
                + "ffffffff" // PERSISTENT | HASHED
                + "08000800"
                + "3c000000" // 60 s
                + "08000900"
                + "ffffff00"
                + "14000a00"
                + "08000100"
                + "07000000"
                + "08000200"
                + "09000000"); // stats
    NetlinkMessage reply = new NetlinkMessage(0x1b, 2, 1, 1, payload);

    IpvsService service = IpvsCodec.decodeService(reply);

    assertThat(service)
        .isEqualTo(
            new IpvsService(
                IpvsServiceKey.of(IpvsProtocol.UDP, ip("172.20.1.100"), 53),
                "wlc",
                0,
                60,
                24,
                null));
  }

  @Test
  void decodesDumpedDestination() throws Exception {
    byte[] payload =
        HEX.parseHex(
            "01010000"
                + "40000200"
                + "14000100"
                + "ac14010b"
                + "000000000000000000000000"
                + "06000200"
                + "1f900000" // 8080
                + "08000300"
                + "00000000" // MASQ
                + "08000400"
                + "05000000" // weight 5
                + "08000500"
                + "64000000" // u_thresh 100
                + "08000600"
                + "0a000000"); // l_thresh 10
    IpvsDestination d = IpvsCodec.decodeDestination(new NetlinkMessage(0x1b, 2, 1, 1, payload), 2);

    assertThat(d)
        .isEqualTo(new IpvsDestination(ip("172.20.1.11"), 8080, ForwardingMethod.MASQ, 5, 100, 10));
  }

  @Test
  void serviceRoundTripsThroughTheCodec() throws Exception {
    IpvsService s =
        IpvsService.of(IpvsServiceKey.of(IpvsProtocol.SCTP, ip("fd00::64"), 3868), "mh")
            .withPersistence(30, 64);
    NetlinkMessage request = CODEC.encode(new IpvsOperation.AddService(s));

    assertThat(IpvsCodec.decodeService(request)).isEqualTo(s);
  }
}
