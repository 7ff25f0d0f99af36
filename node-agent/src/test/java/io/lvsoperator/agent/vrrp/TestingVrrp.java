package io.lvsoperator.agent.vrrp;

import io.lvsoperator.agent.scheduling.ManualScheduler;
import io.lvsoperator.agent.vrrp.codec.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builders for instance configs and simulated hosts running an engine. */
final class TestingVrrp {
  private TestingVrrp() {}

  static final class Cfg {
    String name = "vi51";
    String iface = "eth0";
    int vrid = 51;
    int priority = 100;
    VrrpVersion version = VrrpVersion.V3;
    int centis = 100;
    boolean preempt = true;
    Duration preemptDelay = Duration.ZERO;
    String pass;
    List<String> track = List.of();
    List<InetAddress> peers = List.of();
    String vip = "172.20.1.100";
    Duration garpRefresh = Duration.ZERO;
    List<String> vips = List.of();
    List<String> excluded = List.of();

    Cfg name(String n) {
      name = n;
      return this;
    }

    Cfg vrid(int v) {
      vrid = v;
      return this;
    }

    Cfg priority(int p) {
      priority = p;
      return this;
    }

    Cfg v2(String password) {
      version = VrrpVersion.V2;
      pass = password;
      return this;
    }

    Cfg centis(int c) {
      centis = c;
      return this;
    }

    Cfg noPreempt() {
      preempt = false;
      return this;
    }

    Cfg preemptDelay(Duration d) {
      preemptDelay = d;
      return this;
    }

    Cfg track(String... interfaces) {
      track = List.of(interfaces);
      return this;
    }

    Cfg vip(String v) {
      vip = v;
      return this;
    }

    /** The advertised addresses, in advert order (instead of the one {@link #vip}). */
    Cfg vips(String... addresses) {
      vips = List.of(addresses);
      return this;
    }

    /** Addresses held but never advertised. */
    Cfg excluded(String... addresses) {
      excluded = List.of(addresses);
      return this;
    }

    Cfg garpRefresh(Duration d) {
      garpRefresh = d;
      return this;
    }

    Cfg unicast(String... addresses) {
      peers = java.util.Arrays.stream(addresses).map(InetAddress::ofLiteral).toList();
      return this;
    }

    VrrpInstanceConfig build() {
      return new VrrpInstanceConfig(
          name,
          iface,
          vrid,
          priority,
          version,
          centis,
          preempt,
          preemptDelay,
          false,
          pass,
          peers,
          addresses(vips.isEmpty() ? List.of(vip) : vips),
          track,
          new VrrpInstanceConfig.GarpSettings(5, Duration.ofMillis(100), garpRefresh),
          addresses(excluded));
    }

    private List<VrrpInstanceConfig.VirtualAddress> addresses(List<String> literals) {
      return literals.stream()
          .map(
              a ->
                  new VrrpInstanceConfig.VirtualAddress(InetAddress.ofLiteral(a), 16, iface + ":1"))
          .toList();
    }
  }

  static Cfg cfg() {
    return new Cfg();
  }

  /** One simulated director: an engine on the shared loop and network. */
  static final class Host {
    final String name;
    final ManualScheduler loop;
    final InMemoryVrrpNetwork.Endpoint endpoint;
    final RecordingEffects effects;
    final List<VrrpTransition> transitions = new ArrayList<>();
    VrrpEngine engine;

    Host(String name, String ip, ManualScheduler loop, InMemoryVrrpNetwork net, List<String> log) {
      this.name = name;
      this.loop = loop;
      this.endpoint = net.attach(ip);
      this.effects = new RecordingEffects(name, log);
      boot();
    }

    void boot() {
      engine = new VrrpEngine(loop, endpoint, effects);
      engine.addListener(transitions::add);
    }

    void run(VrrpInstanceConfig... configs) {
      engine.apply(List.of(configs), List.of()).join();
    }

    VrrpState state(String instance) {
      return engine.states().get(instance);
    }

    VrrpState state() {
      return state("vi51");
    }

    boolean holds() {
      return effects.holds("vi51");
    }

    void linkDown() {
      endpoint.setLinkUp(false);
      engine.setLinkUp("eth0", false);
    }

    void linkUp() {
      endpoint.setLinkUp(true);
      engine.setLinkUp("eth0", true);
    }

    /** kill -9: the process stops dead, its VIPs stay on the interface. */
    void kill() {
      engine.close();
      endpoint.detach();
    }

    long lastTransitionTo(VrrpState s) {
      return transitions.reversed().stream()
          .filter(t -> t.to() == s)
          .findFirst()
          .orElseThrow()
          .atNanos();
    }
  }
}
